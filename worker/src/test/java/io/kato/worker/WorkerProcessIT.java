package io.kato.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.kato.common.client.KatoWorkerClient;
import io.kato.common.proto.ProtoValues;
import io.kato.engine.FullPrediction;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Observation;
import io.kato.engine.PredictionResult;
import io.kato.engine.Processor;
import io.kato.engine.SessionState;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.DeregisterRequest;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.NodeRequest;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.PredictionsResponse;
import io.kato.proto.v1.ProcessorGrpc;
import io.kato.proto.v1.RegisterRequest;
import io.kato.proto.v1.SessionInfo;
import io.kato.proto.v1.SessionRequest;
import io.kato.proto.v1.UpdateSessionConfigRequest;
import io.kato.proto.v1.Vector;
import io.kato.worker.registration.RecordingRegistry;
import io.kato.worker.storage.PostgresTestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker JVM (the shaded jar) on a loopback port, called from a plain grpc-java Netty
 * client: the service contract, error statuses, health, reflection, crash durability, gateway
 * registration and clean shutdown.
 */
class WorkerProcessIT {
  @TempDir static Path dataDir;
  static WorkerProcess worker;
  static KatoWorkerClient client;
  static int adminPort;
  static int zmqPort;

  @BeforeAll
  static void startWorker() throws Exception {
    adminPort = WorkerProcess.freePort();
    zmqPort = WorkerProcess.freePort();
    worker = WorkerProcess.start(WorkerProcess.freePort(), "--store", "rocksdb", "--data-dir",
        dataDir.resolve("w1").toString(), "--admin-port", String.valueOf(adminPort), "--zmq-port",
        String.valueOf(zmqPort));
    client = KatoWorkerClient.connect("127.0.0.1", worker.grpcPort);
  }

  @AfterAll
  static void stopWorker() throws Exception {
    if (client != null) {
      client.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private static String session(String nodeId) {
    return client.createSession(CreateSessionRequest.newBuilder().setNodeId(nodeId).build()).getSessionId();
  }

  private static void observe(String sessionId, String... strings) {
    client.observe(ObserveRequest.newBuilder().setSessionId(sessionId)
        .setObservation(io.kato.proto.v1.Observation.newBuilder().addAllStrings(List.of(strings))).build());
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws InvalidProtocolBufferException {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("status details present").isNotNull();
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + status);
  }

  @Test
  void predictionsOverGrpcEqualTheEngineInProcess() {
    String s = session("it-predictions");
    Processor reference = new Processor(NodeDefaults.STANDARD);
    SessionState r = SessionState.empty();
    String[][] learned = {{"hello"}, {"world"}, {"foo", "bar"}, {"baz"}};
    for (String[] event : learned) {
      observe(s, event);
      r = reference.observe(r, Observation.ofStrings(event)).state();
    }
    assertThat(client.learn(s).getPatternName()).isEqualTo(reference.learn(r).patternName());
    r = reference.learn(r).state();
    observe(s, "hello");
    observe(s, "world");
    r = reference.observe(r, Observation.ofStrings("hello")).state();
    r = reference.observe(r, Observation.ofStrings("world")).state();

    PredictionsResponse remote = client.getPredictions(s);
    PredictionResult local = reference.predictions(r);

    assertThat(remote.getCount()).isEqualTo(local.predictions().size()).isEqualTo(1);
    FullPrediction expected = (FullPrediction) local.predictions().get(0);
    io.kato.proto.v1.FullPrediction actual = remote.getPredictions(0).getFull();
    assertThat(actual.getName()).isEqualTo(expected.name());
    assertThat(actual.getSimilarity()).isEqualTo(expected.similarity());
    assertThat(actual.getPotential()).isEqualTo(expected.potential());
    assertThat(actual.getBayesianPosterior()).isEqualTo(expected.bayesianPosterior());
    assertThat(actual.getFutureCount()).isEqualTo(2);
    assertThat(actual.hasWeightedSimilarity()).isFalse();
    assertThat(remote.getFuturePotentialsCount()).isEqualTo(1);
    assertThat(client.getStm(s).getLength()).isEqualTo(2);
  }

  @Test
  void errorsCarryPreciseStatusesAndChangeNothing() throws Exception {
    String s = session("it-errors");
    observe(s, "a", "b");

    StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
        () -> client.getStm("session-does-not-exist"));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(errorInfo(unknown).getReason()).isEqualTo("SESSION_NOT_FOUND");

    StatusRuntimeException badGene = catchThrowableOfType(StatusRuntimeException.class,
        () -> client.updateSessionConfig(UpdateSessionConfigRequest.newBuilder().setSessionId(s)
            .setConfig(ProtoValues.toProtoMap(Map.of("recall_threshold", 1.5))).build()));
    assertThat(badGene.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(badGene).getReason()).isEqualTo("CONFIG_VALIDATION_ERROR");

    StatusRuntimeException notFinite = catchThrowableOfType(StatusRuntimeException.class,
        () -> client.observe(ObserveRequest.newBuilder().setSessionId(s).setObservation(
            io.kato.proto.v1.Observation.newBuilder().addStrings("c")
                .addEmotives(Emotive.newBuilder().setName("joy").setValue(Double.NaN))).build()));
    assertThat(notFinite.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest badRequest = StatusProto.fromThrowable(notFinite).getDetails(1).unpack(BadRequest.class);
    assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("observation.emotives.joy");

    StatusRuntimeException mixedVectors = catchThrowableOfType(StatusRuntimeException.class,
        () -> client.observe(ObserveRequest.newBuilder().setSessionId(s).setObservation(
            io.kato.proto.v1.Observation.newBuilder()
                .addVectors(Vector.newBuilder().addValues(1).addValues(2))
                .addVectors(Vector.newBuilder().addValues(1))).build()));
    assertThat(mixedVectors.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(mixedVectors).getReason()).isEqualTo("VECTOR_DIMENSION_ERROR");

    // nothing above changed the session
    assertThat(client.getStm(s).getStmList()).hasSize(1);
    assertThat(client.getSession(s).getSessionConfig().getEntriesList().stream()
        .filter(e -> e.getKey().equals("recall_threshold")).findFirst().orElseThrow().getValue().getDoubleValue())
        .isEqualTo(0.1);

    client.learn(s);
    StatusRuntimeException empty = catchThrowableOfType(StatusRuntimeException.class, () -> client.learn(s));
    assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(errorInfo(empty).getReason()).isEqualTo("EMPTY_STM");
  }

  @Test
  void anOlderEpochIsFenced() throws Exception {
    String s = session("it-epochs");
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", worker.grpcPort).usePlaintext().build();
    try {
      ProcessorGrpc.ProcessorBlockingStub stub = ProcessorGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThat(stub.getNodeStatus(NodeRequest.newBuilder().setNodeId("it-epochs").setEpoch(7).build()).getEpoch())
          .isEqualTo(7);
      StatusRuntimeException fenced = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.learn(SessionRequest.newBuilder().setSessionId(s).setEpoch(6).build()));
      assertThat(fenced.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(errorInfo(fenced).getReason()).isEqualTo("STALE_EPOCH");
      assertThat(stub.getStm(SessionRequest.newBuilder().setSessionId(s).setEpoch(8).build()).getLength()).isZero();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void oversizedMessagesAreRefused() {
    String s = session("it-oversized");
    io.kato.proto.v1.Observation.Builder huge = io.kato.proto.v1.Observation.newBuilder();
    String symbol = "x".repeat(1 << 20);
    for (int i = 0; i < 17; i++) {
      huge.addStrings(symbol + i);
    }
    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> client.observe(ObserveRequest.newBuilder().setSessionId(s).setObservation(huge).build()));
    assertThat(refused.getStatus().getCode()).as(refused.getStatus().toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(client.getStm(s).getLength()).isZero();
  }

  @Test
  void theAdminPortServesHealthAndPrometheusMetricsOfEveryCall() throws Exception {
    String s = session("it-metrics");
    observe(s, "a");
    catchThrowableOfType(StatusRuntimeException.class, () -> client.learn("session-missing"));
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + adminPort + "/health")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("healthy");
    String metrics = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + adminPort + "/metrics/prometheus")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).containsPattern("kato_worker_grpc_requests_seconds_count\\{[^}]*method=\"Observe\"[^}]*outcome=\"OK\"");
    assertThat(metrics).containsPattern("kato_worker_grpc_requests_seconds_count\\{[^}]*method=\"Learn\"[^}]*outcome=\"SESSION_NOT_FOUND\"");
  }

  @Test
  void theLegacyZeroMqEndpointServesTheSameNodes() {
    String s = session("it-zmq");
    observe(s, "hello");
    try (org.zeromq.ZContext context = new org.zeromq.ZContext(1)) {
      org.zeromq.ZMQ.Socket req = context.createSocket(org.zeromq.SocketType.REQ);
      req.setReceiveTimeOut(10_000);
      req.setLinger(0);
      req.connect("tcp://127.0.0.1:" + zmqPort);
      req.send(io.kato.common.msgpack.MessagePackCodec.encode(Map.of("method", "ping")));
      assertThat(io.kato.common.msgpack.MessagePackCodec.decodeTree(req.recv()).get("message").textValue())
          .isEqualTo("pong");
      req.send(io.kato.common.msgpack.MessagePackCodec.encode(Map.of("method", "get_stm", "session_id", s)));
      assertThat(io.kato.common.msgpack.MessagePackCodec.decodeTree(req.recv()).get("short_term_memory").toString())
          .isEqualTo("[[\"hello\"]]");
    }
  }

  @Test
  void healthAndReflectionAnswerStockClients() throws Exception {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", worker.grpcPort).usePlaintext().build();
    try {
      HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("kato.v1.Processor").build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      CompletableFuture<List<String>> services = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
          .serverReflectionInfo(new StreamObserver<>() {
            final List<String> names = new ArrayList<>();

            @Override
            public void onNext(ServerReflectionResponse response) {
              response.getListServicesResponse().getServiceList().forEach(sr -> names.add(sr.getName()));
              services.complete(names);
            }

            @Override
            public void onError(Throwable t) {
              services.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              services.complete(names);
            }
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      assertThat(services.get(10, TimeUnit.SECONDS)).contains("kato.v1.Processor", "grpc.health.v1.Health");
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void acknowledgedLearnsAndObservationsSurviveSigkillOnRocksDb(@TempDir Path dir) throws Exception {
    crashAndRecover("--store", "rocksdb", "--data-dir", dir.toString());
  }

  /** Without a sync per commit the WAL is still written before the answer: a kill loses nothing. */
  @Test
  void acknowledgedLearnsAndObservationsSurviveSigkillOnRocksDbWithProcessDurability(@TempDir Path dir)
      throws Exception {
    crashAndRecover("--store", "rocksdb", "--data-dir", dir.toString(), "--durability", "process");
  }

  @Test
  void acknowledgedLearnsAndObservationsSurviveSigkillOnPostgres() throws Exception {
    String schema = PostgresTestDatabase.newSchema();
    String password = PostgresTestDatabase.password();
    try {
      crashAndRecover("--store", "postgres", "--pg-url", PostgresTestDatabase.URL, "--pg-user",
          PostgresTestDatabase.USER, "--pg-password", password == null ? "" : password, "--pg-schema", schema);
    } finally {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  /** Learns and observes, SIGKILLs the worker, restarts it on the same storage, finds every ack. */
  private static void crashAndRecover(String... storeArgs) throws Exception {
    WorkerProcess first = WorkerProcess.start(WorkerProcess.freePort(), storeArgs);
    String sessionId;
    String twice = null;
    String once;
    try (KatoWorkerClient c = KatoWorkerClient.connect("127.0.0.1", first.grpcPort)) {
      SessionInfo info = c.createSession(CreateSessionRequest.newBuilder().setNodeId("it-crash").build());
      sessionId = info.getSessionId();
      for (int round = 0; round < 2; round++) {
        observeWith(c, sessionId, "a");
        observeWith(c, sessionId, "b");
        twice = c.learn(sessionId).getPatternName();
      }
      observeWith(c, sessionId, "x", "y");
      once = c.learn(sessionId).getPatternName();
      observeWith(c, sessionId, "pending");
      observeWith(c, sessionId, "events");
    }
    first.kill();

    WorkerProcess second = WorkerProcess.start(WorkerProcess.freePort(), storeArgs);
    try (KatoWorkerClient c = KatoWorkerClient.connect("127.0.0.1", second.grpcPort)) {
      assertThat(c.getPattern("it-crash", twice).getPattern().getFrequency()).isEqualTo(2);
      assertThat(c.getPattern("it-crash", once).getPattern().getFrequency()).isEqualTo(1);
      assertThat(c.getStm(sessionId).getStmList()).extracting(e -> List.copyOf(e.getSymbolsList()))
          .containsExactly(List.of("pending"), List.of("events"));
      assertThat(c.getNodeStatus("it-crash").getPatternCount()).isEqualTo(2);
    } finally {
      second.close();
    }
  }

  private static void observeWith(KatoWorkerClient c, String sessionId, String... strings) {
    c.observe(ObserveRequest.newBuilder().setSessionId(sessionId)
        .setObservation(io.kato.proto.v1.Observation.newBuilder().addAllStrings(List.of(strings))).build());
  }

  @Test
  void registersWithTheGatewayHeartbeatsAndDeregistersFirstOnSigterm(@TempDir Path dir) throws Exception {
    try (RecordingRegistry registry = RecordingRegistry.start(0, 100)) {
      int zmq = WorkerProcess.freePort();
      WorkerProcess w = WorkerProcess.start(WorkerProcess.freePort(), "--store", "rocksdb", "--data-dir",
          dir.toString(), "--worker-id", "w-it", "--capacity", "4", "--zmq-port", String.valueOf(zmq),
          "--host", "0.0.0.0", "--gateway", "http://127.0.0.1:" + registry.port());
      try {
        RegisterRequest register = registry.registers.poll(20, TimeUnit.SECONDS);
        assertThat(register).as("Register within 20 s").isNotNull();
        assertThat(register.getWorkerId()).isEqualTo("w-it");
        assertThat(register.getGrpcAddress()).as("a wildcard bind advertises loopback")
            .isEqualTo("127.0.0.1:" + w.grpcPort);
        assertThat(register.getZmqAddress()).isEqualTo("tcp://127.0.0.1:" + zmq);
        assertThat(register.getCapacity()).isEqualTo(4);
        assertThat(register.getVersion()).isEqualTo(WorkerMain.VERSION);
        assertThat(register.getSharedStore()).isFalse();
        assertThat(registry.heartbeats.poll(10, TimeUnit.SECONDS)).as("a heartbeat").isNotNull();

        w.terminate();
        DeregisterRequest deregister = registry.deregisters.poll(20, TimeUnit.SECONDS);
        assertThat(deregister).as("Deregister on SIGTERM").isNotNull();
        assertThat(deregister.getWorkerId()).isEqualTo("w-it");
        assertThat(w.process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        String output = w.output();
        assertThat(output).contains("deregistered from gateway").contains("worker stopped");
        assertThat(output.indexOf("deregistered from gateway")).as("deregistered before the server stopped")
            .isLessThan(output.indexOf("worker stopped"));
      } finally {
        w.close();
      }
    }
  }

  @Test
  void sigtermShutsDownCleanly(@TempDir Path dir) throws Exception {
    WorkerProcess w = WorkerProcess.start(WorkerProcess.freePort(), "--store", "rocksdb", "--data-dir", dir.toString());
    w.terminate();
    assertThat(w.process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    assertThat(w.output()).as("exit status %d", w.process.exitValue()).contains("worker stopped");
  }
}
