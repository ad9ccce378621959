package io.kato.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.NodeIds;
import io.kato.common.json.JsonValues;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.Vector;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The compatibility kit of {@link WorkerTransport}: one scenario that calls every method of the
 * interface against a real worker (explicit and implicit sessions, every error the HTTP layer
 * maps) and checks what any transport must answer. Each transport has a subclass; {@link
 * TransportParityTest} runs the same scenario through both and compares the recorded bodies
 * byte for byte, with only the values that legitimately differ between runs (generated ids,
 * times, the run's node ids) replaced by placeholders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WorkerTransportContractTest {

  protected ContractWorker worker;

  /** The transport under test, connected to {@code worker}. */
  protected abstract WorkerTransport transport(ContractWorker worker);

  /** The {@code transport} name of its pool statistics. */
  protected abstract String transportName();

  @BeforeAll
  void startWorker() throws Exception {
    worker = ContractWorker.start();
  }

  @AfterAll
  void stopWorker() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void everyMethodAnswersItsV3Body() throws Exception {
    List<Step> steps = Scenario.run(worker, transport(worker), freshRun());
    assertThat(steps).hasSizeGreaterThan(70);
  }

  @Test
  void poolStatisticsCountTheCalls() throws Exception {
    WorkerTransport transport = transport(worker);
    String node = freshRun() + "stats";
    long before = transport.poolStatistics().get("total_requests").longValue();
    worker.await(() -> transport.ping(node, Scenario.context()));
    try {
      worker.await(() -> transport.getSession(new SessionRef("session-none", node), Scenario.context()));
      fail("an unknown session must fail");
    } catch (WorkerCallException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }
    ObjectNode stats = transport.poolStatistics();
    List<String> keys = new ArrayList<>();
    stats.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("transport", "address", "total_connections", "active_connections",
        "total_requests", "failed_requests", "reconnections", "failure_rate");
    assertThat(stats.get("transport").textValue()).isEqualTo(transportName());
    assertThat(stats.get("total_requests").longValue()).isGreaterThanOrEqualTo(before + 2);
    assertThat(stats.get("failed_requests").longValue()).isPositive();
    assertThat(stats.get("total_connections").intValue()).isPositive();
    assertThat(stats.get("failure_rate").isDouble()).isTrue();
  }

  /** A node-id prefix no earlier run used (letters and digits only: kb ids keep it verbatim). */
  static String freshRun() {
    return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  // ---- the scenario ---------------------------------------------------------------------------

  /**
   * One recorded call: its label and its body (or its failure as {@code {"error": {"code",
   * "message", "details", "outcome"}}}), normalised.
   */
  record Step(String label, String json) {
    @Override
    public String toString() {
      return label + " -> " + json;
    }
  }

  /** Runs every {@link WorkerTransport} method in one fixed order, asserting as it goes. */
  static final class Scenario {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final Pattern SESSION_ID = Pattern.compile("session-[0-9a-f]{32}-\\d{13}");
    private static final Pattern OBSERVATION_ID = Pattern.compile("obs-[0-9a-f]{32}");
    private static final Pattern ELAPSED = Pattern.compile(" in [0-9.]+ms");
    private static final Pattern PATTERN_NAME = Pattern.compile("PTRN\\|[0-9a-f]{40}");
    /** Values that change from one call to the next. */
    private static final Set<String> TIMES = Set.of("created_at", "expires_at", "last_accessed", "time_stamp",
        "time_ms");

    private final ContractWorker worker;
    private final WorkerTransport t;
    private final String run;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, String> sessionAliases = new LinkedHashMap<>();

    private Scenario(ContractWorker worker, WorkerTransport transport, String run) {
      this.worker = worker;
      this.t = transport;
      this.run = run;
    }

    /** Every gateway call carries a fresh request id, a trace id and a deadline. */
    static CallContext context() {
      return new CallContext(0, "ct-" + UUID.randomUUID(), "trace-contract-" + REQUESTS.incrementAndGet(), 10_000);
    }

    static List<Step> run(ContractWorker worker, WorkerTransport transport, String run) throws Exception {
      Scenario s = new Scenario(worker, transport, run);
      s.sessions();
      s.observeAndLearn();
      s.sequences();
      s.nodeData();
      s.handOver();
      s.clears();
      s.implicitSession();
      s.unknownSessions();
      s.deletes();
      return List.copyOf(s.steps);
    }

    private String nodeA() {
      return run + "a";
    }

    private String nodeB() {
      return run + "b";
    }

    private SessionRef ref(String sessionId) {
      return new SessionRef(sessionId, nodeA());
    }

    // ---- sessions ---------------------------------------------------------------------------

    private String s1;
    private String s2;

    private void sessions() throws Exception {
      String chosen = run + "-chosen";
      ObjectNode created = ok("create: config, metadata, ttl and a client-chosen id", c -> t.createSession(
          CreateSessionRequest.newBuilder().setNodeId(nodeA())
              .setConfig(map("max_predictions", 5L, "recall_threshold", 0.2, "stm_mode", "CLEAR"))
              .setMetadata(map("app", "contract", "build", 7L, "ratio", 0.5, "tags", List.of("x", "y")))
              .setTtlSeconds(600).setSessionId(chosen).build(), c));
      assertThat(keys(created)).containsExactly("session_id", "node_id", "created_at", "expires_at", "ttl_seconds",
          "metadata", "session_config");
      assertThat(created.get("session_id").textValue()).isEqualTo(chosen);
      assertThat(created.get("node_id").textValue()).isEqualTo(nodeA());
      assertThat(created.get("ttl_seconds").longValue()).isEqualTo(600);
      assertThat(created.get("metadata").toString())
          .isEqualTo("{\"app\":\"contract\",\"build\":7,\"ratio\":0.5,\"tags\":[\"x\",\"y\"]}");
      assertThat(created.get("session_config").get("max_predictions").intValue()).isEqualTo(5);
      assertThat(created.get("session_config").get("recall_threshold").isDouble()).isTrue();
      s1 = chosen;

      ObjectNode defaults = ok("create: defaults", c -> t.createSession(
          CreateSessionRequest.newBuilder().setNodeId(nodeA()).build(), c));
      assertThat(defaults.get("session_id").textValue()).matches(SESSION_ID.pattern());
      assertThat(defaults.get("ttl_seconds").longValue()).isEqualTo(3600);
      assertThat(defaults.get("metadata").toString()).isEqualTo("{}");
      s2 = defaults.get("session_id").textValue();

      ObjectNode again = ok("create: the same client-chosen id again", c -> t.createSession(
          CreateSessionRequest.newBuilder().setNodeId(nodeA()).setSessionId(chosen).build(), c));
      assertThat(again.get("created_at").textValue()).isEqualTo(created.get("created_at").textValue());
      failure("create: the client-chosen id on another node", ErrorCode.SESSION_EXISTS, c -> t.createSession(
          CreateSessionRequest.newBuilder().setNodeId(nodeB()).setSessionId(chosen).build(), c));
      WorkerCallException invalid = failure("create: an invalid config", ErrorCode.CONFIG_VALIDATION_ERROR,
          c -> t.createSession(CreateSessionRequest.newBuilder().setNodeId(nodeA())
              .setConfig(map("persistence", 0L)).build(), c));
      assertThat(invalid.details().get("validation_errors").get("persistence").textValue())
          .isEqualTo("Must be an integer between 1 and 100");

      ObjectNode got = ok("get", c -> t.getSession(ref(s1), c));
      assertThat(got.get("session_id").textValue()).isEqualTo(s1);
      assertThat(got.get("metadata")).isEqualTo(created.get("metadata"));
      ObjectNode lookup = ok("lookup", c -> t.lookupSession(s1, c));
      assertThat(lookup.toString()).isEqualTo("{\"exists\":true,\"expired\":false,\"session_id\":\"" + s1
          + "\",\"node_id\":\"" + nodeA() + "\",\"kb_id\":\"" + NodeIds.kbId(nodeA()) + "\"}");
      ObjectNode unknown = ok("lookup: unknown id", c -> t.lookupSession(run + "-missing", c));
      assertThat(unknown.get("exists").booleanValue()).isFalse();
      assertThat(unknown.get("node_id").textValue()).isEmpty();

      ObjectNode extended = ok("extend", c -> t.extendSession(ref(s1), 900, c));
      assertThat(extended.toString())
          .isEqualTo("{\"status\":\"extended\",\"session_id\":\"" + s1 + "\",\"ttl_seconds\":900}");
      ok("get after extend", c -> t.getSession(ref(s1), c));

      ObjectNode config = ok("config", c -> t.getConfig(ref(s1), c));
      assertThat(keys(config)).containsExactly("session_id", "config");
      assertThat(config.get("config").get("max_predictions").intValue()).isEqualTo(5);
      ObjectNode updated = ok("config: update", c -> t.updateConfig(ref(s1),
          map("max_predictions", 7L, "recall_threshold", 0.3), c));
      assertThat(updated.toString()).isEqualTo(
          "{\"status\":\"okay\",\"message\":\"Configuration updated\",\"session_id\":\"" + s1 + "\"}");
      WorkerCallException rejected = failure("config: an invalid update", ErrorCode.CONFIG_VALIDATION_ERROR,
          c -> t.updateConfig(ref(s1), map("persistence", 0L, "recall_threshold", 2L), c));
      assertThat(rejected.outcome()).isEqualTo(WorkerCallException.Outcome.REJECTED);
      assertThat(rejected.getMessage()).isEqualTo("Configuration validation failed");
      assertThat(rejected.details().toString()).isEqualTo("{\"error\":\"Configuration validation failed\","
          + "\"validation_errors\":{\"persistence\":\"Must be an integer between 1 and 100\","
          + "\"recall_threshold\":\"Must be a number between 0.0 and 1.0\"}}");
      ObjectNode after = ok("config after the invalid update", c -> t.getConfig(ref(s1), c));
      assertThat(after.get("config").get("max_predictions").intValue()).isEqualTo(7);
      assertThat(after.get("config").get("recall_threshold").doubleValue()).isEqualTo(0.3);
    }

    // ---- observe, learn, predictions --------------------------------------------------------

    private String patternName;

    private void observeAndLearn() throws Exception {
      ObjectNode first = ok("observe: strings, emotives, metadata", c -> t.observe(ref(s1),
          observation(List.of("world", "hello"), List.of(), Map.of("joy", 0.5), map("source", "contract")), c));
      assertThat(keys(first)).containsExactly("status", "session_id", "processor_id", "stm_length", "time",
          "unique_id", "auto_learned_pattern");
      assertThat(first.get("session_id").textValue()).isEqualTo(s1);
      assertThat(first.get("processor_id").textValue()).isEqualTo(nodeA());
      assertThat(first.get("stm_length").intValue()).isEqualTo(1);
      assertThat(first.get("time").intValue()).isEqualTo(1);
      assertThat(first.get("unique_id").textValue()).matches(OBSERVATION_ID.pattern());
      assertThat(first.get("auto_learned_pattern").isNull()).isTrue();
      ok("observe: a vector", c -> t.observe(ref(s1),
          observation(List.of("foo"), List.of(List.of(1.0, 0.0, 0.0)), Map.of(), MapValue.getDefaultInstance()), c));
      WorkerCallException dimension = failure("observe: vectors of two dimensions",
          ErrorCode.VECTOR_DIMENSION_ERROR, c -> t.observe(ref(s1), observation(List.of(),
              List.of(List.of(1.0, 0.0, 0.0), List.of(1.0, 0.0)), Map.of(), MapValue.getDefaultInstance()), c));
      assertThat(dimension.details().get("expected_dimension").intValue()).isEqualTo(3);
      assertThat(dimension.details().get("actual_dimension").intValue()).isEqualTo(2);
      assertThat(dimension.outcome()).isEqualTo(WorkerCallException.Outcome.REJECTED);

      ObjectNode stm = ok("stm", c -> t.stm(ref(s1), c));
      assertThat(stm.get("length").intValue()).isEqualTo(2);
      assertThat(stm.get("stm").get(0).toString()).isEqualTo("[\"hello\",\"world\"]");
      ObjectNode percept = ok("percept data", c -> t.perceptData(ref(s1), c));
      assertThat(keys(percept)).containsExactly("percept_data", "session_id", "node_id");
      assertThat(percept.get("percept_data").get("vectors").toString()).isEqualTo("[[1.0,0.0,0.0]]");
      ObjectNode cognition = ok("cognition data", c -> t.cognitionData(ref(s1), c));
      assertThat(cognition.get("cognition_data").get("time").intValue()).isEqualTo(2);

      ObjectNode learned = ok("learn", c -> t.learn(ref(s1), c));
      assertThat(keys(learned)).containsExactly("status", "pattern_name", "session_id", "processor_id", "message");
      assertThat(learned.get("status").textValue()).isEqualTo("learned");
      assertThat(learned.get("processor_id").isNull()).isTrue();
      patternName = learned.get("pattern_name").textValue();
      assertThat(patternName).matches(PATTERN_NAME.pattern());
      WorkerCallException empty = failure("learn: an empty STM", ErrorCode.EMPTY_STM, c -> t.learn(ref(s1), c));
      assertThat(empty.getMessage()).isEqualTo("Cannot learn from empty STM");
      assertThat(empty.outcome()).isEqualTo(WorkerCallException.Outcome.REJECTED);

      ok("observe: the pattern's start", c -> t.observe(ref(s1), strings("hello", "world"), c));
      ObjectNode predictions = ok("predictions", c -> t.predictions(ref(s1), c));
      assertThat(keys(predictions)).containsExactly("predictions", "future_potentials", "session_id",
          "processor_id", "count", "time", "unique_id");
      assertThat(predictions.get("count").intValue()).isPositive();
      assertThat(predictions.get("predictions").get(0).get("name").textValue())
          .isEqualTo(patternName.substring("PTRN|".length()));
      ok("cognition data with predictions", c -> t.cognitionData(ref(s1), c));
    }

    // ---- observe-sequence, finalize-training ------------------------------------------------

    private void sequences() throws Exception {
      ObjectNode atEnd = ok("observe-sequence: learn at end", c -> t.observeSequence(ref(s2),
          ObserveSequenceRequest.newBuilder().addObservations(strings("a"))
              .addObservations(strings("b").toBuilder().setUniqueId(run + "-item"))
              .addObservations(observation(List.of("c"), List.of(), Map.of("joy", 1.0), MapValue.getDefaultInstance()))
              .setLearnAtEnd(true).build(), c));
      assertThat(keys(atEnd)).containsExactly("status", "processor_id", "observations_processed",
          "initial_stm_length", "final_stm_length", "results", "auto_learned_patterns", "final_learned_pattern",
          "isolated");
      assertThat(atEnd.get("observations_processed").intValue()).isEqualTo(3);
      assertThat(atEnd.get("results").get(1).get("unique_id").textValue()).isEqualTo(run + "-item");
      assertThat(atEnd.get("results").get(0).get("unique_id").textValue()).startsWith("seq-obs-");
      assertThat(atEnd.get("final_learned_pattern").textValue()).matches(PATTERN_NAME.pattern());
      ObjectNode eachCleared = ok("observe-sequence: learn after each, clear between", c -> t.observeSequence(
          ref(s2), ObserveSequenceRequest.newBuilder().addObservations(strings("x", "y"))
              .addObservations(strings("z")).setLearnAfterEach(true).setClearStmBetween(true).build(), c));
      assertThat(eachCleared.get("auto_learned_patterns").size()).isEqualTo(2);
      assertThat(eachCleared.get("final_learned_pattern").isNull()).isTrue();
      ObjectNode plain = ok("observe-sequence: no flags", c -> t.observeSequence(ref(s2),
          ObserveSequenceRequest.newBuilder().addObservations(strings("a")).addObservations(strings("b")).build(), c));
      assertThat(plain.get("final_stm_length").intValue()).isEqualTo(2);
      ok("predictions of the second session", c -> t.predictions(ref(s2), c));

      ObjectNode finalized = ok("finalize-training", c -> t.finalizeTraining(ref(s1), c));
      assertThat(keys(finalized)).containsExactly("status", "patterns_processed", "time_ms", "session_id", "node_id",
          "message");
      assertThat(finalized.get("status").textValue()).isEqualTo("completed");
      assertThat(finalized.get("patterns_processed").intValue()).isGreaterThanOrEqualTo(2);
      assertThat(finalized.get("time_ms").isDouble()).isTrue();
    }

    // ---- node data --------------------------------------------------------------------------

    private void nodeData() throws Exception {
      ObjectNode found = ok("pattern: found", c -> t.pattern(nodeA(), patternName, c));
      assertThat(found.get("pattern").get("status").textValue()).isEqualTo("okay");
      assertThat(found.get("pattern").get("pattern").get("name").textValue()).isEqualTo(patternName);
      assertThat(found.get("node_id").textValue()).isEqualTo(NodeIds.kbId(nodeA()));
      ok("pattern: found by its bare hash", c -> t.pattern(nodeA(), patternName.substring(5), c));
      ObjectNode missing = ok("pattern: not found", c -> t.pattern(nodeA(), "PTRN|0000", c));
      assertThat(missing.toString()).isEqualTo("{\"pattern\":{\"status\":\"error\",\"message\":"
          + "\"Pattern PTRN|0000 not found\"},\"node_id\":\"" + NodeIds.kbId(nodeA()) + "\"}");
      ok("pattern: not found in another node", c -> t.pattern(nodeB(), patternName, c));

      ObjectNode stats = ok("symbol stats", c -> t.symbolStats(nodeA(), c));
      assertThat(stats.get("symbols").get("hello").get("frequency").intValue()).isPositive();
      ObjectNode affinities = ok("symbol affinities", c -> t.symbolAffinities(nodeA(), c));
      assertThat(affinities.get("node_id").textValue()).isEqualTo(NodeIds.kbId(nodeA()));
      ObjectNode affinity = ok("symbol affinity", c -> t.symbolAffinity(nodeA(), "hello", c));
      assertThat(keys(affinity)).containsExactly("symbol", "affinity", "node_id");
      assertThat(affinity.get("affinity").get("joy").isDouble()).isTrue();
      ObjectNode none = ok("symbol affinity: unknown symbol", c -> t.symbolAffinity(nodeA(), "never-seen", c));
      assertThat(none.get("affinity").toString()).isEqualTo("{}");

      ObjectNode ping = ok("ping", c -> t.ping(nodeA(), c));
      assertThat(keys(ping)).containsExactly("status", "processor", "interval", "time_stamp", "worker_id",
          "stm_length");
      assertThat(ping.get("stm_length").intValue()).isZero();
      assertThat(ping.get("status").textValue()).isEqualTo("okay");
      assertThat(ping.get("processor").textValue()).isEqualTo(ContractWorker.PROCESSOR_NAME);
      assertThat(ping.get("interval").intValue()).isZero();
      assertThat(ping.get("time_stamp").isDouble()).isTrue();
      assertThat(ping.get("worker_id").textValue()).isEqualTo(ContractWorker.WORKER_ID);
      ObjectNode workerStats = ok("worker stats", c -> t.workerStats(2, c));
      assertThat(keys(workerStats)).containsExactly("worker_id", "active_sessions", "nodes_loaded",
          "nodes_with_sessions", "total_stm_events", "observations_processed", "patterns_learned",
          "predictions_generated", "store", "store_operations", "store_errors", "store_avg_seconds", "nodes");
      assertThat(workerStats.get("worker_id").textValue()).isEqualTo(ContractWorker.WORKER_ID);
      assertThat(workerStats.get("active_sessions").intValue()).isGreaterThanOrEqualTo(2);
      assertThat(workerStats.get("nodes")).hasSize(2);
      assertThat(keys(workerStats.get("nodes").get(0))).containsExactly("processor_id", "node_id", "created_at",
          "last_accessed", "access_count", "idle_seconds");
    }

    /** release then acquire (API.md §6.4): the node's data is what the store kept. */
    private void handOver() throws Exception {
      String before = ok("symbol stats before a hand-over", c -> t.symbolStats(nodeA(), c)).toString();
      ObjectNode released = ok("release node", c -> t.releaseNode(nodeA(), c));
      assertThat(keys(released)).containsExactly("node_id", "epoch", "state");
      assertThat(released.get("state").textValue()).isEqualTo("released");
      assertThat(released.get("node_id").textValue()).isEqualTo(nodeA());
      ObjectNode acquired = ok("acquire node", c -> t.acquireNode(nodeA(), c));
      assertThat(acquired.get("state").textValue()).isEqualTo("owned");
      assertThat(ok("symbol stats after a hand-over", c -> t.symbolStats(nodeA(), c)).toString()).isEqualTo(before);
    }

    private void clears() throws Exception {
      assertThat(ok("clear-stm", c -> t.clearStm(ref(s2), c)).toString())
          .isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + s2 + "\"}");
      assertThat(ok("stm after clear-stm", c -> t.stm(ref(s2), c)).get("length").intValue()).isZero();
      assertThat(ok("clear-all", c -> t.clearAll(ref(s1), c)).toString())
          .isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + s1 + "\",\"scope\":\"all\"}");
      assertThat(ok("pattern after clear-all", c -> t.pattern(nodeA(), patternName, c)).get("pattern")
          .get("status").textValue()).isEqualTo("error");
      assertThat(ok("symbol stats after clear-all", c -> t.symbolStats(nodeA(), c)).get("symbols").size()).isZero();
    }

    // ---- the implicit session of a node -----------------------------------------------------

    private void implicitSession() throws Exception {
      SessionRef b = SessionRef.implicit(nodeB());
      String id = "__node__:" + nodeB();
      ObjectNode observed = ok("implicit: observe", c -> t.observe(b, strings("one"), c));
      assertThat(observed.get("session_id").textValue()).isEqualTo(id);
      assertThat(observed.get("processor_id").textValue()).isEqualTo(nodeB());
      ok("implicit: observe again", c -> t.observe(b, strings("two"), c));
      assertThat(ok("implicit: stm", c -> t.stm(b, c)).get("session_id").textValue()).isEqualTo(id);
      ObjectNode got = ok("implicit: get", c -> t.getSession(b, c));
      assertThat(got.get("session_id").textValue()).isEqualTo(id);
      assertThat(got.get("node_id").textValue()).isEqualTo(nodeB());
      assertThat(ok("implicit: config", c -> t.getConfig(b, c)).get("session_id").textValue()).isEqualTo(id);
      ok("implicit: config update", c -> t.updateConfig(b, map("max_predictions", 3L), c));
      failure("implicit: an invalid config update", ErrorCode.CONFIG_VALIDATION_ERROR,
          c -> t.updateConfig(b, map("recall_threshold", "high"), c));
      ObjectNode learned = ok("implicit: learn", c -> t.learn(b, c));
      assertThat(learned.get("session_id").textValue()).isEqualTo(id);
      failure("implicit: learn on an empty STM", ErrorCode.EMPTY_STM, c -> t.learn(b, c));
      ok("implicit: observe the pattern's start", c -> t.observe(b, strings("one"), c));
      ObjectNode predictions = ok("implicit: predictions", c -> t.predictions(b, c));
      assertThat(predictions.get("session_id").textValue()).isEqualTo(id);
      assertThat(predictions.get("count").intValue()).isPositive();
      ok("implicit: percept data", c -> t.perceptData(b, c));
      ok("implicit: cognition data", c -> t.cognitionData(b, c));
      ok("implicit: observe-sequence", c -> t.observeSequence(b, ObserveSequenceRequest.newBuilder()
          .addObservations(strings("one")).addObservations(strings("three")).setLearnAtEnd(true).build(), c));
      assertThat(ok("implicit: finalize-training", c -> t.finalizeTraining(b, c)).get("session_id").textValue())
          .isEqualTo(id);
      assertThat(ok("implicit: extend", c -> t.extendSession(b, 120, c)).get("session_id").textValue())
          .isEqualTo(id);
      ObjectNode ping = ok("implicit: ping counts the implicit session's time", c -> t.ping(nodeB(), c));
      assertThat(ping.get("interval").intValue()).isEqualTo(5);
      assertThat(ok("implicit: lookup", c -> t.lookupSession(id, c)).get("exists").booleanValue()).isTrue();
      ok("implicit: clear-stm", c -> t.clearStm(b, c));
      ok("implicit: clear-all", c -> t.clearAll(b, c));
      assertThat(ok("implicit: delete", c -> t.deleteSession(b, c)).toString())
          .isEqualTo("{\"status\":\"deleted\",\"session_id\":\"" + id + "\"}");
      failure("implicit: delete again", ErrorCode.SESSION_NOT_FOUND, c -> t.deleteSession(b, c));
      assertThat(ok("implicit: lookup after delete", c -> t.lookupSession(id, c)).get("exists").booleanValue())
          .isFalse();
      assertThat(ok("implicit: ping after delete", c -> t.ping(nodeB(), c)).get("interval").intValue()).isZero();
    }

    // ---- unknown sessions -------------------------------------------------------------------

    private void unknownSessions() throws Exception {
      String id = run + "-unknown";
      SessionRef u = ref(id);
      Map<String, Function<CallContext, Future<ObjectNode>>> calls = new LinkedHashMap<>();
      calls.put("get", c -> t.getSession(u, c));
      calls.put("delete", c -> t.deleteSession(u, c));
      calls.put("extend", c -> t.extendSession(u, 60, c));
      calls.put("config", c -> t.getConfig(u, c));
      calls.put("config update", c -> t.updateConfig(u, map("max_predictions", 2L), c));
      calls.put("observe", c -> t.observe(u, strings("a"), c));
      calls.put("observe-sequence", c -> t.observeSequence(u, ObserveSequenceRequest.newBuilder()
          .addObservations(strings("a")).build(), c));
      calls.put("learn", c -> t.learn(u, c));
      calls.put("stm", c -> t.stm(u, c));
      calls.put("predictions", c -> t.predictions(u, c));
      calls.put("clear-stm", c -> t.clearStm(u, c));
      calls.put("clear-all", c -> t.clearAll(u, c));
      calls.put("percept data", c -> t.perceptData(u, c));
      calls.put("cognition data", c -> t.cognitionData(u, c));
      calls.put("finalize-training", c -> t.finalizeTraining(u, c));
      for (Map.Entry<String, Function<CallContext, Future<ObjectNode>>> call : calls.entrySet()) {
        WorkerCallException e = failure("unknown session: " + call.getKey(), ErrorCode.SESSION_NOT_FOUND,
            call.getValue());
        assertThat(e.outcome()).isEqualTo(WorkerCallException.Outcome.REJECTED);
        assertThat(e.getMessage()).isEqualTo("Session " + id + " not found or expired");
        assertThat(e.details().get("session_id").textValue()).isEqualTo(id);
      }
    }

    private void deletes() throws Exception {
      assertThat(ok("delete", c -> t.deleteSession(ref(s2), c)).toString())
          .isEqualTo("{\"status\":\"deleted\",\"session_id\":\"" + s2 + "\"}");
      assertThat(ok("lookup after delete", c -> t.lookupSession(s2, c)).get("exists").booleanValue()).isFalse();
      failure("get after delete", ErrorCode.SESSION_NOT_FOUND, c -> t.getSession(ref(s2), c));
      failure("delete again", ErrorCode.SESSION_NOT_FOUND, c -> t.deleteSession(ref(s2), c));
    }

    // ---- recording --------------------------------------------------------------------------

    private ObjectNode ok(String label, Function<CallContext, Future<ObjectNode>> call) throws Exception {
      ObjectNode body;
      try {
        body = worker.await(() -> call.apply(context()));
      } catch (WorkerCallException e) {
        throw new AssertionError(label + ": failed with " + e.code() + " " + e.getMessage() + " " + e.details(), e);
      }
      assertThat(body).as(label).isNotNull();
      record(label, body);
      return body;
    }

    private WorkerCallException failure(String label, ErrorCode expected,
        Function<CallContext, Future<ObjectNode>> call) throws Exception {
      try {
        ObjectNode body = worker.await(() -> call.apply(context()));
        throw new AssertionError(label + ": expected " + expected + ", got " + body);
      } catch (WorkerCallException e) {
        assertThat(e.code()).as(label + ": " + e.getMessage()).isEqualTo(expected);
        assertThat(e.details()).as(label).isNotNull();
        ObjectNode error = NODES.objectNode();
        ObjectNode inner = error.putObject("error");
        inner.put("code", e.code().name());
        inner.put("message", e.getMessage());
        inner.set("details", e.details());
        inner.put("outcome", e.outcome().name());
        record(label, error);
        return e;
      }
    }

    private void record(String label, ObjectNode body) throws Exception {
      JsonNode normal = normalise(label, body.deepCopy());
      String json = JsonValues.mapper().writeValueAsString(normal);
      json = json.replace(run, "<run>");
      json = replaceAll(SESSION_ID, json, m -> sessionAliases.computeIfAbsent(m, k -> "<session-"
          + (sessionAliases.size() + 1) + ">"));
      json = replaceAll(OBSERVATION_ID, json, m -> "obs-<generated>");
      json = replaceAll(ELAPSED, json, m -> " in <elapsed>ms");
      steps.add(new Step(label, json));
    }

    /** Times become placeholders; worker-wide counters (other runs share the worker) become their kinds. */
    private JsonNode normalise(String label, JsonNode node) {
      if (label.equals("worker stats")) {
        return kinds(node);
      }
      if (node instanceof ObjectNode) {
        ObjectNode object = (ObjectNode) node;
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        List<String> names = new ArrayList<>();
        fields.forEachRemaining(e -> names.add(e.getKey()));
        for (String name : names) {
          JsonNode value = object.get(name);
          if (TIMES.contains(name) && !value.isNull()) {
            object.put(name, "<" + kind(value) + ">");
          } else if (name.equals("ttl_seconds") && (label.startsWith("get") || label.endsWith(": get"))) {
            // the remaining TTL of a read: a whole second may tick between two reads
            assertThat(value.isIntegralNumber()).as(label + " ttl_seconds").isTrue();
            object.put(name, "<remaining>");
          } else {
            normalise(label, value);
          }
        }
      } else if (node instanceof ArrayNode) {
        node.forEach(item -> normalise(label, item));
      }
      return node;
    }

    private static JsonNode kinds(JsonNode node) {
      if (node instanceof ObjectNode) {
        ObjectNode out = NODES.objectNode();
        node.fields().forEachRemaining(e -> out.set(e.getKey(), e.getKey().equals("worker_id")
            || e.getKey().equals("store") ? e.getValue() : kinds(e.getValue())));
        return out;
      }
      if (node instanceof ArrayNode) {
        ArrayNode out = NODES.arrayNode();
        node.forEach(item -> out.add(kinds(item)));
        return out;
      }
      return NODES.textNode("<" + kind(node) + ">");
    }

    private static String kind(JsonNode value) {
      if (value.isIntegralNumber()) {
        return "int";
      }
      if (value.isFloatingPointNumber()) {
        return "float";
      }
      return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String replaceAll(Pattern pattern, String text, Function<String, String> replacement) {
      Matcher m = pattern.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m.group())));
      }
      m.appendTail(out);
      return out.toString();
    }

    // ---- building requests ------------------------------------------------------------------

    static Observation strings(String... strings) {
      return Observation.newBuilder().addAllStrings(List.of(strings)).build();
    }

    static Observation observation(List<String> strings, List<List<Double>> vectors, Map<String, Double> emotives,
        MapValue metadata) {
      Observation.Builder o = Observation.newBuilder().addAllStrings(strings).setMetadata(metadata);
      vectors.forEach(v -> o.addVectors(Vector.newBuilder().addAllValues(v)));
      emotives.forEach((name, value) -> o.addEmotives(Emotive.newBuilder().setName(name).setValue(value)));
      return o.build();
    }

    static MapValue map(Object... keysAndValues) {
      LinkedHashMap<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        out.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
      return ProtoValues.toProtoMap(out);
    }

    static List<String> keys(JsonNode node) {
      List<String> out = new ArrayList<>();
      node.fieldNames().forEachRemaining(out::add);
      return out;
    }
  }
}
