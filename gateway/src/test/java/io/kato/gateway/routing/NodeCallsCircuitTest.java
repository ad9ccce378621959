package io.kato.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.gateway.registry.WorkerCircuit;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.testing.FakeTransport;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.WorkerCallException;
import io.kato.proto.v1.RegisterRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-worker circuit breaker of API.md §6.4 as NodeCalls applies it. */
class NodeCallsCircuitTest {
  private Vertx vertx;
  private WorkerRegistry registry;
  private NodeCalls calls;
  private final AtomicInteger sent = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    registry = new WorkerRegistry(new FakeTransport.Factory(), Duration.ofSeconds(1), 5, Clock.systemUTC());
    registry.register(RegisterRequest.newBuilder().setWorkerId("w1").setGrpcAddress("w1:50051").build(), false);
    calls = new NodeCalls(new NodePlacement(registry, System::currentTimeMillis), vertx, Duration.ZERO);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private WorkerCallException call(WorkerCallException failure) throws Exception {
    Future<NodeCalls.Served<ObjectNode>> f = calls.call("n1", new CallContext(0, "r", "t", 1000), (t, c) -> {
      sent.incrementAndGet();
      return failure == null ? Future.succeededFuture(JsonNodeFactory.instance.objectNode())
          : Future.failedFuture(failure);
    });
    try {
      f.await(10, TimeUnit.SECONDS);
      return null;
    } catch (WorkerCallException e) {
      return e;
    }
  }

  private static WorkerCallException unreachable() {
    return new WorkerCallException(ErrorCode.WORKER_UNAVAILABLE, "connection refused",
        JsonNodeFactory.instance.objectNode(), WorkerCallException.Outcome.NOT_APPLIED);
  }

  private static WorkerCallException rejected() {
    return new WorkerCallException(ErrorCode.EMPTY_STM, "Cannot learn from empty STM",
        JsonNodeFactory.instance.objectNode(), WorkerCallException.Outcome.REJECTED);
  }

  @Test
  void fiveConsecutiveTransportFailuresOpenTheCircuitAndLaterCallsAreNotSent() throws Exception {
    for (int i = 0; i < WorkerCircuit.CONSECUTIVE_FAILURES; i++) {
      assertThat(call(unreachable()).getMessage()).contains("connection refused");
    }
    assertThat(sent.get()).isEqualTo(5);
    WorkerCallException fast = call(null);
    assertThat(fast.code()).isEqualTo(ErrorCode.WORKER_UNAVAILABLE);
    assertThat(fast.outcome()).isEqualTo(WorkerCallException.Outcome.NOT_APPLIED);
    assertThat(fast.getMessage()).contains("circuit open");
    assertThat(sent.get()).as("nothing is sent while the circuit is open").isEqualTo(5);
    assertThat(WorkerCircuit.stateName(registry.get("w1").orElseThrow().circuit())).isEqualTo("open");
  }

  @Test
  void errorsTheWorkerAnsweredDoNotOpenIt() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(call(rejected()).code()).isEqualTo(ErrorCode.EMPTY_STM);
    }
    assertThat(call(null)).isNull();
    assertThat(sent.get()).isEqualTo(21);
  }

  @Test
  void aSuccessInBetweenResetsTheCount() throws Exception {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < WorkerCircuit.CONSECUTIVE_FAILURES - 1; i++) {
        call(unreachable());
      }
      assertThat(call(null)).isNull();
    }
    assertThat(WorkerCircuit.stateName(registry.get("w1").orElseThrow().circuit())).isEqualTo("closed");
  }

  @Test
  void halfOpenLetsOneTrialThroughAndASuccessClosesIt() throws Exception {
    var circuit = registry.get("w1").orElseThrow().circuit();
    for (int i = 0; i < WorkerCircuit.CONSECUTIVE_FAILURES; i++) {
      call(unreachable());
    }
    circuit.transitionToHalfOpenState(); // what 30 s in the open state does
    assertThat(call(null)).isNull();
    assertThat(WorkerCircuit.stateName(circuit)).isEqualTo("closed");

    for (int i = 0; i < WorkerCircuit.CONSECUTIVE_FAILURES; i++) {
      call(unreachable());
    }
    circuit.transitionToHalfOpenState();
    call(unreachable());
    assertThat(WorkerCircuit.stateName(circuit)).as("a failed trial opens it again").isEqualTo("open");
  }
}
