package io.kato.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.gateway.transport.WorkerTransportContractTest.Scenario;
import io.kato.gateway.transport.WorkerTransportContractTest.Step;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The acceptance of the ZeroMQ transport: the contract scenario through gRPC and through ZeroMQ,
 * on fresh nodes of one worker, records the same bodies (and the same errors) step for step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportParityTest {
  private ContractWorker worker;

  @BeforeAll
  void start() throws Exception {
    worker = ContractWorker.start();
  }

  @AfterAll
  void stop() throws Exception {
    worker.close();
  }

  @Test
  void bothTransportsRecordIdenticalBodies() throws Exception {
    List<Step> grpc = Scenario.run(worker, worker.grpc, WorkerTransportContractTest.freshRun());
    List<Step> zmq = Scenario.run(worker, worker.zmq, WorkerTransportContractTest.freshRun());
    assertThat(zmq).hasSameSizeAs(grpc);
    for (int i = 0; i < grpc.size(); i++) {
      assertThat(zmq.get(i).label()).isEqualTo(grpc.get(i).label());
      assertThat(zmq.get(i).json()).as("step %d, %s", i, grpc.get(i).label()).isEqualTo(grpc.get(i).json());
    }
    assertThat(zmq).containsExactlyElementsOf(grpc);
  }
}
