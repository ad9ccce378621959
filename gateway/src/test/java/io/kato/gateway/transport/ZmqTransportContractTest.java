package io.kato.gateway.transport;

/** The contract kit over the worker's legacy ZeroMQ/MessagePack endpoint. */
class ZmqTransportContractTest extends WorkerTransportContractTest {

  @Override
  protected WorkerTransport transport(ContractWorker worker) {
    return worker.zmq;
  }

  @Override
  protected String transportName() {
    return "zmq";
  }
}
