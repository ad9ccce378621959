package io.kato.gateway.transport;

/** The contract kit over the worker's gRPC service. */
class GrpcTransportContractTest extends WorkerTransportContractTest {

  @Override
  protected WorkerTransport transport(ContractWorker worker) {
    return worker.grpc;
  }

  @Override
  protected String transportName() {
    return "grpc";
  }
}
