package io.kato.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.gateway.transport.FakeZmqWorker.Reply;
import io.kato.gateway.transport.WorkerTransportContractTest.Scenario;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract kit cannot show: the ZeroMQ transport's wire fields, lazy-pirate retries,
 * error mapping, pool bounds, threading and health checks, against a scripted worker.
 */
class ZmqTransportTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final CallContext CALL = new CallContext(4, "req-1", "trace-1", 10_000);
  private static final SessionRef SESSION = new SessionRef("s-1", "n-1");

  private FakeZmqWorker fake;
  private ZmqTransport transport;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeZmqWorker();
    transport = new ZmqTransport(fake.address(), ZmqTransport.Options.defaults().withTimeout(TIMEOUT));
  }

  @AfterEach
  void stop() throws Exception {
    transport.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    fake.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static WorkerCallException failure(Future<?> future) {
    return catchThrowableOfType(WorkerCallException.class, () -> await(future));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  // ---- the request --------------------------------------------------------------------------

  @Test
  void extensionFieldsTravelTopLevel() throws Exception {
    ObjectNode body = await(transport.observe(SESSION, Scenario.observation(List.of("a"), List.of(List.of(1.0, 2.0)),
        Map.of("joy", 1.0), Scenario.map("k", "v")), CALL));
    assertThat(body.toString()).isEqualTo("{\"ok\":true}");
    JsonNode request = fake.calls("observe").get(0);
    assertThat(request.get("params").toString()).isEqualTo("{\"strings\":[\"a\"],\"vectors\":[[1.0,2.0]],"
        + "\"emotives\":{\"joy\":1.0},\"metadata\":{\"k\":\"v\"}}");
    assertThat(request.get("node_id").textValue()).isEqualTo("n-1");
    assertThat(request.get("session_id").textValue()).isEqualTo("s-1");
    assertThat(request.get("epoch").intValue()).isEqualTo(4);
    assertThat(request.get("request_id").textValue()).isEqualTo("req-1");
    assertThat(request.get("trace_id").textValue()).isEqualTo("trace-1");
    assertThat(request.get("deadline_ms").intValue()).isEqualTo(300);
    assertThat(request.has("traceparent")).isFalse();
  }

  @Test
  void theW3cTraceContextTravelsAsFields() throws Exception {
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    CallContext traced = new CallContext(4, "req-2", "trace-2", 300, Map.of("traceparent", parent,
        "tracestate", "vendor=1"));
    await(transport.stm(SESSION, traced));
    JsonNode request = fake.calls("get_stm").get(0);
    assertThat(request.get("traceparent").textValue()).isEqualTo(parent);
    assertThat(request.get("tracestate").textValue()).isEqualTo("vendor=1");
  }

  @Test
  void anImplicitSessionIsNamedByItsNodeOnly() throws Exception {
    await(transport.stm(SessionRef.implicit("n-2"), CALL));
    JsonNode request = fake.calls("get_stm").get(0);
    assertThat(request.get("node_id").textValue()).isEqualTo("n-2");
    assertThat(request.has("session_id")).isFalse();
  }

  @Test
  void sequencesGetFiftyMillisecondsPerObservationUpToTwoMinutes() throws Exception {
    ObserveSequenceRequest.Builder ten = ObserveSequenceRequest.newBuilder();
    for (int i = 0; i < 10; i++) {
      ten.addObservations(Scenario.strings("s" + i));
    }
    await(transport.observeSequence(SESSION, ten.build(), CALL));
    assertThat(fake.calls("observe_sequence").get(0).get("deadline_ms").intValue()).isEqualTo(300 + 500);

    ZmqTransport slow = new ZmqTransport(fake.address(), ZmqTransport.Options.defaults()
        .withTimeout(Duration.ofSeconds(100)));
    try {
      ObserveSequenceRequest.Builder many = ObserveSequenceRequest.newBuilder();
      for (int i = 0; i < 1000; i++) {
        many.addObservations(Scenario.strings("s"));
      }
      await(slow.observeSequence(SESSION, many.build(), new CallContext(0, "r", null, 200_000)));
      assertThat(fake.calls("observe_sequence").get(1).get("deadline_ms").intValue()).isEqualTo(120_000);
    } finally {
      await(slow.close());
    }
  }

  @Test
  void aShorterCallerDeadlineWins() throws Exception {
    await(transport.workerStats(0, new CallContext(0, "", null, 100)));
    JsonNode request = fake.calls("get_worker_stats").get(0);
    assertThat(request.get("deadline_ms").intValue()).isEqualTo(100);
    assertThat(request.get("params").get("max_nodes").intValue()).isZero();
    assertThat(request.has("request_id")).isFalse();
    assertThat(request.has("trace_id")).isFalse();
  }

  // ---- lazy pirate --------------------------------------------------------------------------

  @Test
  void aTimedOutReadIsRetriedOnAFreshSocket() throws Exception {
    fake.script = (request, index) -> index == 0 ? null : Reply.of(map("status", "okay", "result", map("n", index)));
    assertThat(await(transport.stm(SESSION, CALL)).toString()).isEqualTo("{\"n\":1}");
    List<JsonNode> calls = fake.calls("get_stm");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).get("request_id")).isEqualTo(calls.get(0).get("request_id"));
    ObjectNode stats = transport.poolStatistics();
    assertThat(stats.get("reconnections").intValue()).isEqualTo(1);
    assertThat(stats.get("failed_requests").intValue()).isZero();
    assertThat(stats.get("total_requests").intValue()).isEqualTo(1);
  }

  @Test
  void aMutationWithARequestIdIsRetriedWithTheSameId() throws Exception {
    fake.script = (request, index) -> index == 0 ? null : Reply.of(map("status", "okay", "result", map("n", index)));
    await(transport.observe(SESSION, Scenario.strings("a"), CALL));
    assertThat(fake.calls("observe")).extracting(r -> r.get("request_id").textValue()).containsExactly("req-1", "req-1");
  }

  @Test
  void aMutationWithoutARequestIdIsNotRetried() throws Exception {
    fake.script = (request, index) -> null;
    WorkerCallException e = failure(transport.observe(SESSION, Scenario.strings("a"),
        new CallContext(0, "", null, 10_000)));
    assertThat(e.code()).isEqualTo(ErrorCode.GATEWAY_TIMEOUT);
    assertThat(e.outcome()).isEqualTo(WorkerCallException.Outcome.UNKNOWN);
    assertThat(fake.calls("observe")).hasSize(1);
  }

  @Test
  void atMostThreeAttemptsThenTheOutcomeIsUnknown() throws Exception {
    fake.script = (request, index) -> null;
    WorkerCallException e = failure(transport.getSession(SESSION, CALL));
    assertThat(e.code()).isEqualTo(ErrorCode.GATEWAY_TIMEOUT);
    assertThat(e.outcome()).isEqualTo(WorkerCallException.Outcome.UNKNOWN);
    assertThat(e.getMessage()).contains("3 attempts");
    assertThat(fake.calls("get_session")).hasSize(3);
    assertThat(transport.poolStatistics().get("failed_requests").intValue()).isEqualTo(1);
    assertThat(transport.poolStatistics().get("reconnections").intValue()).isEqualTo(3);
    // the pool recovered: the next call works
    fake.script = (request, index) -> Reply.of(map("status", "okay", "result", map()));
    await(transport.getSession(SESSION, CALL));
  }

  @Test
  void nothingListeningIsUnavailableAndNotApplied() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ZmqTransport nowhere = new ZmqTransport("tcp://127.0.0.1:" + port, ZmqTransport.Options.defaults()
        .withTimeout(Duration.ofMillis(200)));
    try {
      WorkerCallException e = failure(nowhere.observe(SESSION, Scenario.strings("a"), CALL));
      assertThat(e.code()).isEqualTo(ErrorCode.WORKER_UNAVAILABLE);
      assertThat(e.outcome()).isEqualTo(WorkerCallException.Outcome.NOT_APPLIED);
    } finally {
      await(nowhere.close());
    }
  }

  @Test
  void aRestartedWorkerIsReachedAgain() throws Exception {
    ZmqTransport patient = new ZmqTransport(fake.address(), ZmqTransport.Options.defaults()
        .withTimeout(Duration.ofSeconds(5)));
    try {
      await(patient.stm(SESSION, CALL));
      int port = Integer.parseInt(fake.address().substring(fake.address().lastIndexOf(':') + 1));
      fake.close();
      fake = new FakeZmqWorker(port);
      // the pooled socket reconnects on its own (back-off from 1 s); the call waits for it
      assertThat(await(patient.stm(SESSION, CALL)).toString()).isEqualTo("{\"ok\":true}");
      assertThat(fake.calls("get_stm")).hasSize(1);
    } finally {
      await(patient.close());
    }
  }

  // ---- replies ------------------------------------------------------------------------------

  @Test
  void errorRepliesBecomeTheirApiErrors() throws Exception {
    record Case(String code, ErrorCode expected, WorkerCallException.Outcome outcome) {}
    for (Case c : List.of(new Case("SESSION_NOT_FOUND", ErrorCode.SESSION_NOT_FOUND,
            WorkerCallException.Outcome.REJECTED),
        new Case("CONFIG_VALIDATION_ERROR", ErrorCode.CONFIG_VALIDATION_ERROR, WorkerCallException.Outcome.REJECTED),
        new Case("OVERLOADED", ErrorCode.OVERLOADED, WorkerCallException.Outcome.NOT_APPLIED),
        new Case("STALE_EPOCH", ErrorCode.STALE_EPOCH, WorkerCallException.Outcome.NOT_APPLIED),
        new Case("SOMETHING_NEWER", ErrorCode.WORKER_ERROR, WorkerCallException.Outcome.REJECTED),
        new Case("UNKNOWN_METHOD", ErrorCode.WORKER_ERROR, WorkerCallException.Outcome.REJECTED))) {
      fake.script = (request, index) -> Reply.of(map("status", "error", "message", "it failed: " + c.code(),
          "code", c.code(), "http_status", 400, "details", map("session_id", "s-1", "n", 2)));
      WorkerCallException e = failure(transport.getConfig(SESSION, CALL));
      assertThat(e.code()).as(c.code()).isEqualTo(c.expected());
      assertThat(e.outcome()).as(c.code()).isEqualTo(c.outcome());
      assertThat(e.getMessage()).isEqualTo("it failed: " + c.code());
      assertThat(e.details().toString()).isEqualTo("{\"session_id\":\"s-1\",\"n\":2}");
    }
    fake.script = (request, index) -> Reply.of(map("status", "error", "message", "bare"));
    WorkerCallException bare = failure(transport.getConfig(SESSION, CALL));
    assertThat(bare.code()).isEqualTo(ErrorCode.WORKER_ERROR);
    assertThat(bare.details().toString()).isEqualTo("{}");
  }

  @Test
  void anUnparseableReplyIsAWorkerError() throws Exception {
    List<Reply> replies = List.of(Reply.raw(new byte[] {(byte) 0xc1}), Reply.raw(new byte[0]), Reply.of(map()),
        new Reply(io.kato.common.msgpack.MessagePackCodec.encode(List.of("okay")), 0),
        Reply.of(map("status", "okay")), Reply.of(map("status", "okay", "result", "not a map")));
    for (Reply reply : replies) {
      fake.script = (request, index) -> reply;
      WorkerCallException e = failure(transport.stm(SESSION, CALL));
      assertThat(e.code()).isEqualTo(ErrorCode.WORKER_ERROR);
    }
  }

  @Test
  void learningAnEmptyStmIsTheEmptyStmError() throws Exception {
    fake.script = (request, index) -> Reply.of(map("status", "okay", "pattern_name", "", "message", "",
        "empty_stm", true, "id", "n-1", "interval", 0, "time_stamp", 1.0));
    WorkerCallException e = failure(transport.learn(SESSION, CALL));
    assertThat(e.code()).isEqualTo(ErrorCode.EMPTY_STM);
    assertThat(e.getMessage()).isEqualTo("Cannot learn from empty STM");
    assertThat(e.outcome()).isEqualTo(WorkerCallException.Outcome.REJECTED);
  }

  @Test
  void aMissingPatternIsTheV3ErrorWrapper() throws Exception {
    fake.script = (request, index) -> Reply.of(map("status", "error", "message", "Pattern PTRN|x not found",
        "code", "PATTERN_NOT_FOUND", "http_status", 404, "details", map("pattern_id", "PTRN|x")));
    assertThat(await(transport.pattern("my-node", "PTRN|x", CALL)).toString()).isEqualTo(
        "{\"pattern\":{\"status\":\"error\",\"message\":\"Pattern PTRN|x not found\"},\"node_id\":\"my_node_kato\"}");
    assertThat(transport.poolStatistics().get("failed_requests").intValue()).isZero();
  }

  // ---- pool and threads ---------------------------------------------------------------------

  @Test
  void thePoolNeverHoldsMoreThanTenSockets() throws Exception {
    fake.script = (request, index) -> Reply.late(map("status", "okay", "result", map("i", index)), 50);
    List<Future<ObjectNode>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(transport.stm(SESSION, CALL));
    }
    for (Future<ObjectNode> call : calls) {
      await(call);
    }
    assertThat(fake.identities.size()).isBetween(2, 10);
    ObjectNode stats = transport.poolStatistics();
    assertThat(stats.get("total_connections").intValue()).isBetween(1, 10);
    assertThat(stats.get("active_connections").intValue()).isZero();
    assertThat(stats.get("total_requests").intValue()).isEqualTo(40);
  }

  @Test
  void callsCompleteOnTheCallersContextAndNeverBlockIt() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // the reply comes 3 s late: a blocking call would hold the event loop that long; the bound
      // leaves room for class loading on a busy machine
      fake.script = (request, index) -> Reply.late(map("status", "okay", "result", map()), 3000);
      Context context = vertx.getOrCreateContext();
      CompletableFuture<String> done = new CompletableFuture<>();
      context.runOnContext(v -> {
        long start = System.nanoTime();
        Future<ObjectNode> call = transport.stm(SESSION, CALL);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (elapsedMillis > 1500) {
          done.completeExceptionally(new AssertionError("the call blocked the event loop for " + elapsedMillis));
        }
        call.onComplete(r -> done.complete(Vertx.currentContext() == context && Context.isOnEventLoopThread()
            ? "on the caller's context" : "elsewhere: " + Thread.currentThread().getName()));
      });
      assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("on the caller's context");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void healthChecksPingIdleSocketsAndReconnectAfterFailures() throws Exception {
    ZmqTransport checked = new ZmqTransport(fake.address(), ZmqTransport.Options.defaults().withTimeout(TIMEOUT)
        .withHealthInterval(Duration.ofMillis(100)));
    try {
      eventually("the health check pings", () -> fake.pings.get() >= 2);
      fake.answerPings = false;
      eventually("a failed check", () -> checked.failedHealthChecks() >= 1);
      assertThat(checked.poolStatistics().get("reconnections").intValue()).isPositive();
      fake.answerPings = true;
      eventually("recovery after the back-off", () -> checked.failedHealthChecks() == 0);
      assertThat(checked.poolStatistics().get("total_connections").intValue()).isEqualTo(1);
      assertThat(checked.poolStatistics().get("total_requests").intValue()).as("checks are not requests").isZero();
    } finally {
      await(checked.close());
    }
  }

  @Test
  void afterCloseCallsAreNotApplied() throws Exception {
    await(transport.stm(SESSION, CALL));
    await(transport.close());
    WorkerCallException e = failure(transport.stm(SESSION, CALL));
    assertThat(e.code()).isEqualTo(ErrorCode.WORKER_UNAVAILABLE);
    assertThat(e.outcome()).isEqualTo(WorkerCallException.Outcome.NOT_APPLIED);
    assertThat(transport.poolStatistics().get("total_connections").intValue()).isZero();
  }

  @Test
  void optionsComeFromTheEnvironment() {
    ZmqTransport.Options options = ZmqTransport.Options.fromEnvironment(Map.of("KATO_ZMQ_TIMEOUT_MS", "750",
        "KATO_ZMQ_HEALTH_INTERVAL_S", "12"));
    assertThat(options.timeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(options.healthInterval()).isEqualTo(Duration.ofSeconds(12));
    assertThat(options.minSockets()).isEqualTo(1);
    assertThat(options.maxSockets()).isEqualTo(10);
    assertThat(ZmqTransport.Options.fromEnvironment(Map.of())).isEqualTo(ZmqTransport.Options.defaults());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZmqTransport.Options.defaults().withPoolSize(3, 2))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ZmqTransport("localhost:5555"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
