package io.kato.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kato.common.NodeIds;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ProtoJson;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.Emotives;
import io.kato.proto.v1.ExtendSessionRequest;
import io.kato.proto.v1.LoadedNode;
import io.kato.proto.v1.NodeRequest;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.ObserveResponse;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.PingResponse;
import io.kato.proto.v1.PredictionsJsonResponse;
import io.kato.proto.v1.PredictionsResponse;
import io.kato.proto.v1.ProcessorGrpc;
import io.kato.proto.v1.SessionLookup;
import io.kato.proto.v1.SessionRequest;
import io.kato.proto.v1.SymbolAffinitiesResponse;
import io.kato.proto.v1.SymbolAffinityResponse;
import io.kato.proto.v1.SymbolRequest;
import io.kato.proto.v1.SymbolStats;
import io.kato.proto.v1.SymbolStatsResponse;
import io.kato.proto.v1.UpdateSessionConfigRequest;
import io.kato.proto.v1.Vector;
import io.kato.proto.v1.WorkerStats;
import io.kato.proto.v1.WorkerStatsRequest;
import io.kato.worker.WorkerServer;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.host.WorkerIdentity;
import io.kato.worker.storage.MemoryNodeStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Processor RPCs of lookups, symbols, ping, worker statistics and implicit sessions, and the
 * error details, through a real worker server on a loopback socket called with grpc-java stubs.
 * The host runs on a clock the test moves, so expiry and idle times are exact.
 */
class ProcessorGrpcEndpointTest {

  /** A clock the test moves by hand; it starts off a whole second, so timestamps show their fraction. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-01T10:00:00.123456789Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private ProcessorHost host;
  private WorkerServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    host = new ProcessorHost(HostOptions.defaults().withSweepInterval(Duration.ofHours(1))
        .withIdentity(new WorkerIdentity("w-test", "TestProcessor", 7)), new MemoryNodeStore(), clock);
    server = WorkerServer.start(host, "127.0.0.1", 0, 16 * 1024 * 1024);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private ProcessorGrpc.ProcessorBlockingStub stub() {
    return ProcessorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private String session(String nodeId, long ttlSeconds) {
    return stub().createSession(CreateSessionRequest.newBuilder().setNodeId(nodeId).setTtlSeconds(ttlSeconds).build())
        .getSessionId();
  }

  private ObserveResponse observe(String sessionId, String nodeId, Observation.Builder observation) {
    return stub().observe(ObserveRequest.newBuilder().setSessionId(sessionId).setNodeId(nodeId)
        .setObservation(observation).build());
  }

  private static Observation.Builder strings(String... strings) {
    return Observation.newBuilder().addAllStrings(List.of(strings));
  }

  private static SessionRequest bySession(String sessionId) {
    return SessionRequest.newBuilder().setSessionId(sessionId).build();
  }

  private static SessionRequest byNode(String nodeId) {
    return SessionRequest.newBuilder().setNodeId(nodeId).build();
  }

  private static NodeRequest node(String nodeId) {
    return NodeRequest.newBuilder().setNodeId(nodeId).build();
  }

  private static Map<String, Double> emotives(Emotives emotives) {
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    emotives.getEntriesList().forEach(e -> out.put(e.getName(), e.getValue()));
    return out;
  }

  private long nodesLoaded() {
    return stub().getWorkerStats(WorkerStatsRequest.getDefaultInstance()).getNodesLoaded();
  }

  // ---- LookupSession --------------------------------------------------------------------------

  @Test
  void lookupNeverSlidesTheTtlAndReportsAnExpiredRecordOnce() {
    String s = session("look", 100);
    clock.advance(Duration.ofSeconds(60));
    SessionLookup live = stub().lookupSession(bySession(s));
    assertThat(live.getExists()).isTrue();
    assertThat(live.getExpired()).isFalse();
    assertThat(live.getSessionId()).isEqualTo(s);
    assertThat(live.getNodeId()).isEqualTo("look");
    assertThat(live.getKbId()).isEqualTo(NodeIds.kbId("look"));

    clock.advance(Duration.ofSeconds(50)); // 110 s after creation: gone unless the lookup slid the expiry
    SessionLookup expired = stub().lookupSession(bySession(s));
    assertThat(expired.getExists()).isFalse();
    assertThat(expired.getExpired()).isTrue();
    assertThat(expired.getNodeId()).isEqualTo("look");

    SessionLookup again = stub().lookupSession(bySession(s));
    assertThat(again.getExists()).isFalse();
    assertThat(again.getExpired()).as("reported expired once, then removed").isFalse();
    assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> stub().getStm(bySession(s))).getStatus()
        .getCode()).isEqualTo(Status.Code.NOT_FOUND);

    SessionLookup unknown = stub().lookupSession(bySession("session-never"));
    assertThat(unknown.getExists()).isFalse();
    assertThat(unknown.getExpired()).isFalse();
    assertThat(unknown.getSessionId()).isEqualTo("session-never");
    assertThat(unknown.getNodeId()).isEmpty();
  }

  // ---- implicit sessions ----------------------------------------------------------------------

  @Test
  void callsNamingOnlyANodeUseItsImplicitSession() {
    String implicit = "__node__:imp";
    assertThat(stub().lookupSession(byNode("imp")).getExists()).as("a lookup does not create it").isFalse();

    ObserveResponse first = observe("", "imp", strings("a"));
    assertThat(first.getSessionId()).isEqualTo(implicit);
    assertThat(first.getProcessorId()).isEqualTo("imp");
    observe("", "imp", strings("b"));
    assertThat(stub().getStm(byNode("imp")).getLength()).isEqualTo(2);
    assertThat(stub().getStm(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().getSession(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().getPredictions(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().getPerceptData(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().getCognitionData(byNode("imp")).getCognitionData().getTime()).isEqualTo(2);
    assertThat(stub().learn(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().finalizeTraining(byNode("imp")).getPatternsProcessed()).isEqualTo(1);

    assertThat(stub().updateSessionConfig(UpdateSessionConfigRequest.newBuilder().setNodeId("imp")
        .setConfig(ProtoValues.toProtoMap(Map.of("max_predictions", 3))).build()).getSessionId()).isEqualTo(implicit);
    assertThat(ProtoValues.toJavaMap(stub().getSession(byNode("imp")).getSessionConfig()).get("max_predictions"))
        .isEqualTo(3L);
    assertThat(stub().extendSession(ExtendSessionRequest.newBuilder().setNodeId("imp").setTtlSeconds(50).build())
        .getSessionId()).isEqualTo(implicit);
    assertThat(stub().observeSequence(ObserveSequenceRequest.newBuilder().setNodeId("imp")
        .addObservations(strings("c")).build()).getProcessorId()).isEqualTo("imp");
    assertThat(stub().clearStm(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().getStm(bySession(implicit)).getLength()).as("the same session by its id").isZero();

    assertThat(stub().lookupSession(byNode("imp")).getExists()).isTrue();
    assertThat(stub().getWorkerStats(WorkerStatsRequest.getDefaultInstance()).getActiveSessions())
        .as("implicit sessions are not counted").isZero();
    assertThat(stub().deleteSession(byNode("imp")).getSessionId()).isEqualTo(implicit);
    assertThat(stub().lookupSession(byNode("imp")).getExists()).isFalse();
    assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> stub().deleteSession(byNode("imp")))
        .getStatus().getCode()).as("deleting does not create it").isEqualTo(Status.Code.NOT_FOUND);

    // neither a session nor a node: a session id that does not exist
    assertThat(catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().getStm(SessionRequest.getDefaultInstance())).getStatus().getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    // a session id wins over a node id
    String explicit = session("other", 0);
    assertThat(stub().getStm(SessionRequest.newBuilder().setSessionId(explicit).setNodeId("imp").build())
        .getSessionId()).isEqualTo(explicit);
  }

  // ---- GetPredictionsJson ---------------------------------------------------------------------

  @Test
  void predictionsAsJsonAreTheTypedPredictionsMappedToJson() throws Exception {
    String learner = session("pj", 0);
    for (String[] pattern : new String[][] {{"a", "b", "c"}, {"a", "x", "é\uD83D\uDE00"}, {"b", "c", "d"}}) {
      for (String symbol : pattern) {
        observe(learner, "pj", strings(symbol, "z"));
      }
      stub().learn(bySession(learner));
    }
    String reader = session("pj", 0);
    observe(reader, "pj", strings("a"));
    observe(reader, "pj", strings("b", "z"));

    PredictionsResponse typed = stub().getPredictions(bySession(reader));
    PredictionsJsonResponse json = stub().getPredictionsJson(bySession(reader));

    assertThat(typed.getPredictionsCount()).isEqualTo(3);
    assertThat(json.getCount()).isEqualTo(typed.getCount());
    assertThat(json.getSessionId()).isEqualTo(reader);
    assertThat(json.getPredictionsJson().toStringUtf8()).isEqualTo(new String(JsonValues.responseWriter()
        .writeValueAsBytes(ProtoJson.predictionList(typed.getPredictionsList())), StandardCharsets.UTF_8));
    assertThat(json.getFuturePotentialsJson().toStringUtf8()).isEqualTo(new String(JsonValues.responseWriter()
        .writeValueAsBytes(ProtoJson.futurePotentials(typed.getFuturePotentialsList())), StandardCharsets.UTF_8));
    assertThat(catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().getPredictionsJson(bySession("session-missing"))).getStatus().getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  // ---- symbols --------------------------------------------------------------------------------

  @Test
  void symbolStatsAndAffinitiesOfANode() {
    String a = session("sym", 0);
    observe(a, "", strings("alpha", "beta").addEmotives(Emotive.newBuilder().setName("energy").setValue(10)));
    stub().learn(bySession(a));
    String b = session("sym", 0);
    observe(b, "", strings("alpha", "gamma").addEmotives(Emotive.newBuilder().setName("trust").setValue(5)));
    stub().learn(bySession(b));
    String c = session("sym", 0);
    observe(c, "", strings("alpha"));
    observe(c, "", strings("delta"));
    stub().learn(bySession(c));
    String d = session("sym", 0);
    observe(d, "", strings("alpha", "beta")); // a re-learn without emotives: freq grows, pmf and affinity do not
    stub().learn(bySession(d));

    SymbolStatsResponse stats = stub().getSymbolStats(node("sym"));
    assertThat(stats.getKbId()).isEqualTo(NodeIds.kbId("sym"));
    assertThat(stats.getSymbolsList()).extracting(SymbolStats::getName, SymbolStats::getFrequency,
        SymbolStats::getPatternMemberFrequency).containsExactly(
            Tuple.tuple("alpha", 4L, 3L), Tuple.tuple("beta", 2L, 1L),
            Tuple.tuple("gamma", 1L, 1L), Tuple.tuple("delta", 1L, 1L));

    SymbolAffinitiesResponse all = stub().getSymbolAffinities(node("sym"));
    assertThat(all.getKbId()).isEqualTo(NodeIds.kbId("sym"));
    Map<String, Map<String, Double>> affinities = new LinkedHashMap<>();
    all.getAffinitiesList().forEach(x -> affinities.put(x.getSymbol(), emotives(x.getAffinity())));
    assertThat(affinities).containsExactly(Map.entry("alpha", Map.of("energy", 10.0, "trust", 5.0)),
        Map.entry("beta", Map.of("energy", 10.0)), Map.entry("gamma", Map.of("trust", 5.0)));

    SymbolAffinityResponse alpha = stub().getSymbolAffinity(SymbolRequest.newBuilder().setNodeId("sym")
        .setSymbol("alpha").build());
    assertThat(alpha.getSymbol()).isEqualTo("alpha");
    assertThat(alpha.getAffinity().getEntriesList()).extracting(Emotive::getName).containsExactly("energy", "trust");
    assertThat(emotives(alpha.getAffinity())).containsEntry("trust", 5.0);
    assertThat(alpha.getKbId()).isEqualTo(NodeIds.kbId("sym"));
    SymbolAffinityResponse unknown = stub().getSymbolAffinity(SymbolRequest.newBuilder().setNodeId("sym")
        .setSymbol("zzz").build());
    assertThat(unknown.getSymbol()).isEqualTo("zzz");
    assertThat(unknown.getAffinity().getEntriesCount()).isZero();

    // an unknown node is empty, and reading it leaves nothing behind
    long loaded = nodesLoaded();
    assertThat(stub().getSymbolStats(node("nobody")).getSymbolsCount()).isZero();
    assertThat(stub().getSymbolStats(node("nobody")).getKbId()).isEqualTo(NodeIds.kbId("nobody"));
    assertThat(stub().getSymbolAffinities(node("nobody")).getAffinitiesCount()).isZero();
    assertThat(stub().getSymbolAffinity(SymbolRequest.newBuilder().setNodeId("nobody").setSymbol("alpha").build())
        .getAffinity().getEntriesCount()).isZero();
    assertThat(nodesLoaded()).isEqualTo(loaded);
  }

  // ---- Ping -----------------------------------------------------------------------------------

  @Test
  void pingAnswersWithTheImplicitSessionsTimeAndCreatesNothing() {
    long loaded = nodesLoaded();
    double before = System.currentTimeMillis() / 1000.0;
    PingResponse pong = stub().ping(node("ping-node"));
    double after = System.currentTimeMillis() / 1000.0;
    assertThat(pong.getStatus()).isEqualTo("okay");
    assertThat(pong.getProcessor()).isEqualTo("TestProcessor");
    assertThat(pong.getWorkerId()).isEqualTo("w-test");
    assertThat(pong.getInterval()).isZero();
    assertThat(pong.getTimeStamp()).isBetween(before - 0.001, after + 0.001);
    assertThat(nodesLoaded()).as("no node taken in").isEqualTo(loaded);

    String explicit = session("ping-node", 0);
    observe(explicit, "", strings("x"));
    assertThat(stub().ping(node("ping-node")).getInterval()).as("explicit sessions do not count").isZero();
    assertThat(stub().lookupSession(byNode("ping-node")).getExists()).as("ping created no implicit session")
        .isFalse();
    observe("", "ping-node", strings("a"));
    observe("", "ping-node", strings("b"));
    assertThat(stub().ping(node("ping-node")).getInterval()).isEqualTo(2);
  }

  // ---- GetWorkerStats -------------------------------------------------------------------------

  @Test
  void workerStatsCountTheWholeWorker() {
    String a = session("stats-a", 0);
    observe(a, "", strings("x"));
    observe(a, "", strings("y"));
    stub().learn(bySession(a));
    observe(a, "", strings("z"));
    clock.advance(Duration.ofSeconds(1));
    String b = session("stats-b", 0);
    observe(b, "", strings("p"));
    observe(b, "", strings("q"));
    stub().getPredictions(bySession(b));
    clock.advance(Duration.ofSeconds(1));
    observe("", "stats-c", strings("k")); // implicit: a loaded node, but no session that counts
    clock.advance(Duration.ofMillis(2500));

    WorkerStats stats = stub().getWorkerStats(WorkerStatsRequest.newBuilder().setMaxNodes(2).build());
    assertThat(stats.getWorkerId()).isEqualTo("w-test");
    assertThat(stats.getCapacity()).isEqualTo(7);
    assertThat(stats.getActiveSessions()).isEqualTo(2);
    assertThat(stats.getNodesLoaded()).isEqualTo(3);
    assertThat(stats.getNodesWithSessions()).isEqualTo(2);
    assertThat(stats.getTotalStmEvents()).isEqualTo(3);
    assertThat(stats.getObservationsProcessed()).isEqualTo(6);
    assertThat(stats.getPatternsLearned()).isEqualTo(1);
    assertThat(stats.getPredictionsGenerated()).isEqualTo(1);
    assertThat(stats.getStore()).isEqualTo("memory");
    assertThat(stats.getStoreOperations()).isPositive();
    assertThat(stats.getStoreErrors()).isZero();

    assertThat(stats.getNodesList()).extracting(LoadedNode::getNodeId).as("most recently used first")
        .containsExactly("stats-c", "stats-b");
    LoadedNode c = stats.getNodes(0);
    assertThat(c.getKbId()).isEqualTo(NodeIds.kbId("stats-c"));
    assertThat(c.getIdleSeconds()).isEqualTo(2.5);
    assertThat(c.getAccessCount()).isEqualTo(1);
    assertThat(c.getCreatedAt()).isEqualTo("2026-12-01T10:00:02.123456+00:00");
    assertThat(c.getLastAccessed()).isEqualTo(c.getCreatedAt());
    LoadedNode b2 = stats.getNodes(1);
    assertThat(b2.getAccessCount()).as("create, two observes, predictions").isEqualTo(4);
    assertThat(b2.getIdleSeconds()).isEqualTo(3.5);

    WorkerStats everything = stub().getWorkerStats(WorkerStatsRequest.newBuilder().setMaxNodes(100).build());
    assertThat(everything.getNodesList()).extracting(LoadedNode::getNodeId)
        .containsExactly("stats-c", "stats-b", "stats-a");
    assertThat(everything.getNodes(2).getPatternCount()).isEqualTo(1);
    assertThat(everything.getNodes(2).getCreatedAt())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    assertThat(stub().getWorkerStats(WorkerStatsRequest.getDefaultInstance()).getNodesCount())
        .as("max_nodes 0: counters only").isZero();
  }

  // ---- errors ---------------------------------------------------------------------------------

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
    for (com.google.protobuf.Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + e);
  }

  private static JsonNode detailsJson(StatusRuntimeException e) throws Exception {
    ErrorInfo info = errorInfo(e);
    assertThat(info.getMetadataMap()).containsKey("details_json");
    return JsonValues.mapper().readTree(info.getMetadataOrThrow("details_json"));
  }

  @Test
  void errorDetailsTravelAsJsonWithTheirKinds() throws Exception {
    String s = session("errors", 0);
    StatusRuntimeException config = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().updateSessionConfig(UpdateSessionConfigRequest.newBuilder().setSessionId(s)
            .setConfig(ProtoValues.toProtoMap(Map.of("recall_threshold", 1.5))).build()));
    assertThat(errorInfo(config).getReason()).isEqualTo("CONFIG_VALIDATION_ERROR");
    assertThat(errorInfo(config).getMetadataOrThrow("error")).as("the per-key strings stay")
        .isEqualTo("Configuration validation failed");
    JsonNode configDetails = detailsJson(config);
    assertThat(configDetails.get("validation_errors").isObject()).isTrue();
    assertThat(configDetails.get("validation_errors").get("recall_threshold").textValue())
        .isEqualTo("Must be a number between 0.0 and 1.0");

    observe(s, "", strings("a").addVectors(Vector.newBuilder().addValues(1).addValues(0).addValues(0).addValues(0)));
    stub().learn(bySession(s));
    StatusRuntimeException vector = catchThrowableOfType(StatusRuntimeException.class,
        () -> observe(s, "", Observation.newBuilder().addVectors(Vector.newBuilder().addValues(1).addValues(2))));
    assertThat(errorInfo(vector).getReason()).isEqualTo("VECTOR_DIMENSION_ERROR");
    JsonNode vectorDetails = detailsJson(vector);
    assertThat(vectorDetails.get("expected_dimension").isIntegralNumber()).isTrue();
    assertThat(vectorDetails.get("expected_dimension").intValue()).isEqualTo(4);
    assertThat(vectorDetails.get("actual_dimension").intValue()).isEqualTo(2);
    assertThat(vectorDetails.get("vector_name").textValue()).startsWith("VCTR|");

    stub().getNodeStatus(NodeRequest.newBuilder().setNodeId("errors").setEpoch(5).build());
    StatusRuntimeException stale = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().learn(SessionRequest.newBuilder().setSessionId(s).setEpoch(3).build()));
    JsonNode staleDetails = detailsJson(stale);
    assertThat(staleDetails.get("node_epoch").isIntegralNumber()).isTrue();
    assertThat(staleDetails.get("node_epoch").longValue()).isEqualTo(5);

    StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().getStm(bySession("session-none")));
    assertThat(detailsJson(missing).get("session_id").textValue()).isEqualTo("session-none");
  }
}
