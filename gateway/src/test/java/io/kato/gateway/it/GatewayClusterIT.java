package io.kato.gateway.it;

/** {@link GatewayClusterSuite} with workers that register themselves and are called over gRPC. */
class GatewayClusterIT extends GatewayClusterSuite {
  @Override
  KatoCluster.Transport transport() {
    return KatoCluster.Transport.GRPC;
  }
}
