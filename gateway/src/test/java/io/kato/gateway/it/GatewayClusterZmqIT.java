package io.kato.gateway.it;

/**
 * {@link GatewayClusterSuite} with legacy workers that an admin adds by their ZeroMQ address
 * and the gateway calls over ZeroMQ/MessagePack; their answers must equal a gRPC cluster's.
 */
class GatewayClusterZmqIT extends GatewayClusterSuite {
  @Override
  KatoCluster.Transport transport() {
    return KatoCluster.Transport.ZMQ;
  }
}
