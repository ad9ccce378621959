package io.kato.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.gateway.transport.WorkerTransportContractTest.Scenario;
import io.kato.proto.v1.CreateSessionRequest;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick measurement, not a benchmark: the round trip of one observe, awaited one at a time
 * from the test thread, through each transport to the same in-process worker. Prints p50/p99
 * and the ZeroMQ/gRPC ratio of the medians, for calls back to back and for the two transports
 * interleaved. The ZeroMQ path crosses about twice as many threads (event loop, call executor,
 * JeroMQ I/O threads on both sides, the endpoint's I/O thread), so on a machine with busy cores
 * its round trip after an idle gap suffers more from wake-up latency than its back-to-back one. Off by default (it takes seconds on a busy machine):
 * {@code mvn verify -pl gateway -Dtest=TransportLatencyTest -Dkato.latency=true}.
 */
@EnabledIfSystemProperty(named = "kato.latency", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportLatencyTest {
  private static final int WARM_UP = 500;
  private static final int CALLS = 2000;
  private ContractWorker worker;

  @BeforeAll
  void start() throws Exception {
    worker = ContractWorker.start();
  }

  @AfterAll
  void stop() throws Exception {
    worker.close();
  }

  /** An open session and its STM-length bookkeeping for one transport. */
  private final class Loop {
    final WorkerTransport transport;
    final SessionRef session;
    final long[] nanos = new long[CALLS];

    Loop(WorkerTransport transport) throws Exception {
      this.transport = transport;
      String node = WorkerTransportContractTest.freshRun() + "lat";
      String id = worker.await(() -> transport.createSession(CreateSessionRequest.newBuilder().setNodeId(node)
          .build(), Scenario.context())).get("session_id").textValue();
      this.session = new SessionRef(id, node);
    }

    void observe(int i) throws Exception {
      String symbol = "s" + (i % 7);
      long start = System.nanoTime();
      worker.await(() -> transport.observe(session, Scenario.strings(symbol), Scenario.context()));
      if (i >= WARM_UP) {
        nanos[i - WARM_UP] = System.nanoTime() - start;
      }
      if (i % 20 == 19) { // keep the STM short: the engine's cost must not grow during the loop
        worker.await(() -> transport.clearStm(session, Scenario.context()));
      }
    }

    double percentileMicros(int percent) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(CALLS - 1, CALLS * percent / 100)] / 1e3;
    }
  }

  @Test
  void observeRoundTripZmqVersusGrpc() throws Exception {
    Loop grpc = new Loop(worker.grpc);
    Loop zmq = new Loop(worker.zmq);
    for (int i = 0; i < WARM_UP + CALLS; i++) {
      grpc.observe(i);
    }
    for (int i = 0; i < WARM_UP + CALLS; i++) {
      zmq.observe(i);
    }
    report("back to back", grpc, zmq);
    grpc = new Loop(worker.grpc);
    zmq = new Loop(worker.zmq);
    for (int i = 0; i < WARM_UP + CALLS; i++) {
      grpc.observe(i);
      zmq.observe(i);
    }
    report("interleaved", grpc, zmq);
  }

  private static void report(String mode, Loop grpc, Loop zmq) {
    double grpcP50 = grpc.percentileMicros(50);
    double zmqP50 = zmq.percentileMicros(50);
    System.out.printf("observe round trip, %s, %d calls each: grpc p50=%.0f us p99=%.0f us; zmq p50=%.0f us"
        + " p99=%.0f us; zmq/grpc p50 ratio=%.2f%n", mode, CALLS, grpcP50, grpc.percentileMicros(99), zmqP50,
        zmq.percentileMicros(99), zmqP50 / grpcP50);
    assertThat(grpcP50).isPositive();
    assertThat(zmqP50).isPositive();
  }
}
