package io.kato.worker.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.kato.common.Timestamps;
import io.kato.common.json.ObservationParser;
import io.kato.common.json.ParsedObservation;
import io.kato.common.json.ValidationIssue;
import io.kato.common.proto.ProtoValues;
import io.kato.engine.Processor;
import io.kato.worker.host.CallMeta;
import io.kato.worker.host.Failures;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.storage.SessionRecord;
import io.kato.proto.v1.ClearResponse;
import io.kato.proto.v1.CognitionData;
import io.kato.proto.v1.CognitionDataResponse;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.DeleteSessionResponse;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.ExtendSessionRequest;
import io.kato.proto.v1.ExtendSessionResponse;
import io.kato.proto.v1.FinalizeTrainingResponse;
import io.kato.proto.v1.GetPatternRequest;
import io.kato.proto.v1.GetPatternResponse;
import io.kato.proto.v1.LearnResponse;
import io.kato.proto.v1.NodeRequest;
import io.kato.proto.v1.NodeStatus;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.ObserveResponse;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.ObserveSequenceResponse;
import io.kato.proto.v1.PerceptDataResponse;
import io.kato.proto.v1.PredictionsResponse;
import io.kato.proto.v1.ProcessorGrpcService;
import io.kato.proto.v1.ProcessorProto;
import io.kato.proto.v1.SequenceItemResult;
import io.kato.proto.v1.SessionConfigResponse;
import io.kato.proto.v1.SessionInfo;
import io.kato.proto.v1.SessionRequest;
import io.kato.proto.v1.StmResponse;
import io.kato.proto.v1.UpdateSessionConfigRequest;
import io.kato.proto.v1.Vector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code kato.v1.Processor} gRPC service on the Vert.x gRPC server: decodes each request,
 * hands it to the {@link ProcessorHost} (event loops never run engine work) and encodes the
 * result. A failure becomes the status of its error code with a {@code google.rpc.ErrorInfo}
 * (reason = code) and, for invalid input, a {@code google.rpc.BadRequest} naming each field.
 */
public final class ProcessorGrpcEndpoint implements Service {
  private static final String ERROR_DOMAIN = "kato.v1";

  private final ProcessorHost host;
  private final MeterRegistry metrics;

  /** @param metrics receives {@code kato_worker_grpc_requests} timers per method and outcome */
  public ProcessorGrpcEndpoint(ProcessorHost host, MeterRegistry metrics) {
    this.host = host;
    this.metrics = metrics;
  }

  @Override
  public ServiceName name() {
    return ProcessorGrpcService.SERVICE_NAME;
  }

  @Override
  public com.google.protobuf.Descriptors.ServiceDescriptor descriptor() {
    return ProcessorProto.getDescriptor().findServiceByName("Processor");
  }

  @Override
  public void bind(GrpcServer server) {
    unary(server, ProcessorGrpcService.CreateSession, this::createSession);
    unary(server, ProcessorGrpcService.GetSession, r -> host.getSession(r.getSessionId(), meta(r))
        .thenApply(record -> sessionInfo(record, remainingSeconds(record))));
    unary(server, ProcessorGrpcService.ExtendSession, this::extendSession);
    unary(server, ProcessorGrpcService.DeleteSession, r -> host.deleteSession(r.getSessionId(), meta(r))
        .thenApply(v -> DeleteSessionResponse.newBuilder().setStatus("deleted").setSessionId(r.getSessionId()).build()));
    unary(server, ProcessorGrpcService.UpdateSessionConfig, this::updateConfig);
    unary(server, ProcessorGrpcService.Observe, this::observe);
    unary(server, ProcessorGrpcService.ObserveSequence, this::observeSequence);
    unary(server, ProcessorGrpcService.Learn, r -> host.learn(r.getSessionId(), meta(r)).thenApply(learned ->
        LearnResponse.newBuilder().setStatus("learned").setPatternName(learned.patternName())
            .setSessionId(r.getSessionId())
            .setMessage("Learned pattern " + learned.patternName() + " from "
                + learned.session().state().stm().size() + " events")
            .build()));
    unary(server, ProcessorGrpcService.GetStm, r -> host.readSession(r.getSessionId(), meta(r)).thenApply(record ->
        StmResponse.newBuilder().addAllStm(EngineProto.events(record.state().stm()))
            .setSessionId(r.getSessionId()).setLength(record.state().stm().size()).build()));
    unary(server, ProcessorGrpcService.GetPredictions, r -> host.predictions(r.getSessionId(), meta(r))
        .thenApply(result -> PredictionsResponse.newBuilder()
            .addAllPredictions(EngineProto.predictions(result.predictions()))
            .addAllFuturePotentials(EngineProto.futurePotentials(result.futurePotentials()))
            .setSessionId(r.getSessionId()).setCount(result.predictions().size()).build()));
    unary(server, ProcessorGrpcService.ClearStm, r -> host.clearStm(r.getSessionId(), meta(r)).thenApply(record ->
        ClearResponse.newBuilder().setStatus("cleared").setSessionId(r.getSessionId()).build()));
    unary(server, ProcessorGrpcService.ClearAll, r -> host.clearAll(r.getSessionId(), meta(r)).thenApply(record ->
        ClearResponse.newBuilder().setStatus("cleared").setSessionId(r.getSessionId()).setScope("all").build()));
    unary(server, ProcessorGrpcService.GetPattern, this::getPattern);
    unary(server, ProcessorGrpcService.GetPerceptData, r -> host.readSession(r.getSessionId(), meta(r))
        .thenApply(record -> {
          PerceptDataResponse.Builder out = PerceptDataResponse.newBuilder().setSessionId(r.getSessionId())
              .setNodeId(record.nodeId());
          if (record.state().perceptData() != null) {
            out.setPerceptData(EngineProto.perceptData(record.state().perceptData()));
          }
          return out.build();
        }));
    unary(server, ProcessorGrpcService.GetCognitionData, r -> host.readSession(r.getSessionId(), meta(r))
        .thenApply(record -> {
          var state = record.state();
          var emotives = state.emotivesAccumulator();
          CognitionData data = CognitionData.newBuilder()
              .addAllPredictions(EngineProto.predictions(state.predictions()))
              .setEmotives(EngineProto.emotives(emotives.isEmpty() ? Map.of() : emotives.get(emotives.size() - 1)))
              .addAllSymbols(state.stm().stream().flatMap(List::stream).collect(Collectors.toList()))
              .addAllShortTermMemory(EngineProto.events(state.stm())).setTime(state.time()).build();
          return CognitionDataResponse.newBuilder().setCognitionData(data).setSessionId(r.getSessionId())
              .setNodeId(record.nodeId()).build();
        }));
    unary(server, ProcessorGrpcService.FinalizeTraining, r -> host.finalizeTraining(r.getSessionId(), meta(r))
        .thenApply(done -> {
          double millis = Math.round(done.result().elapsedMillis() * 100) / 100.0;
          int count = done.result().patternsProcessed();
          return FinalizeTrainingResponse.newBuilder().setStatus("completed").setPatternsProcessed(count)
              .setTimeMs(millis).setSessionId(r.getSessionId()).setNodeId(done.session().nodeId())
              .setMessage("Computed Shannon entropy and TF vectors for " + count + " patterns in " + millis + "ms")
              .build();
        }));
    unary(server, ProcessorGrpcService.GetNodeStatus, this::nodeStatus);
  }

  // ---- handlers -------------------------------------------------------------------------------

  private CompletableFuture<SessionInfo> createSession(CreateSessionRequest r) {
    Map<String, Object> config = ProtoValues.toJavaMap(r.getConfig());
    Map<String, Object> metadata = ProtoValues.toJavaMap(r.getMetadata());
    return host.createSession(r.getNodeId(), config, metadata, r.getTtlSeconds(), r.getSessionId(),
        new CallMeta(r.getEpoch(), r.getRequestId())).thenApply(record -> sessionInfo(record, record.ttlSeconds()));
  }

  private CompletableFuture<ExtendSessionResponse> extendSession(ExtendSessionRequest r) {
    return host.extendSession(r.getSessionId(), r.getTtlSeconds(), new CallMeta(r.getEpoch(), r.getRequestId()))
        .thenApply(record -> ExtendSessionResponse.newBuilder().setStatus("extended").setSessionId(r.getSessionId())
            .setTtlSeconds(r.getTtlSeconds()).build());
  }

  private CompletableFuture<SessionConfigResponse> updateConfig(UpdateSessionConfigRequest r) {
    return host.updateConfig(r.getSessionId(), ProtoValues.toJavaMap(r.getConfig()),
        new CallMeta(r.getEpoch(), r.getRequestId())).thenApply(record -> SessionConfigResponse.newBuilder()
            .setSessionId(r.getSessionId()).setConfig(ProtoValues.toProtoMap(host.effectiveConfig(record.state())))
            .build());
  }

  private CompletableFuture<ObserveResponse> observe(ObserveRequest r) {
    ParsedObservation observation = observation(r.getObservation(), List.of("observation"));
    return host.observe(r.getSessionId(), observation, new CallMeta(r.getEpoch(), r.getRequestId()))
        .thenApply(observed -> {
          Processor.ObserveResult result = observed.result();
          ObserveResponse.Builder out = ObserveResponse.newBuilder().setStatus("okay").setSessionId(r.getSessionId())
              .setProcessorId(observed.session().nodeId()).setStmLength(result.stmLength())
              .setTime(observed.session().state().time()).setUniqueId(observed.uniqueId());
          if (result.autoLearnedPattern() != null) {
            out.setAutoLearnedPattern(result.autoLearnedPattern());
          }
          return out.build();
        });
  }

  private CompletableFuture<ObserveSequenceResponse> observeSequence(ObserveSequenceRequest r) {
    List<ProcessorHost.SequenceItem> items = new ArrayList<>(r.getObservationsCount());
    for (int i = 0; i < r.getObservationsCount(); i++) {
      Observation o = r.getObservations(i);
      items.add(new ProcessorHost.SequenceItem(observation(o, List.of("observations", i)), o.getUniqueId()));
    }
    return host.observeSequence(r.getSessionId(), items, r.getLearnAfterEach(), r.getLearnAtEnd(),
        r.getClearStmBetween(), new CallMeta(r.getEpoch(), r.getRequestId())).thenApply(done -> {
          ObserveSequenceResponse.Builder out = ObserveSequenceResponse.newBuilder().setStatus("completed")
              .setProcessorId(done.session().nodeId()).setObservationsProcessed(done.results().size())
              .setInitialStmLength(done.initialStmLength()).setFinalStmLength(done.session().state().stm().size())
              .addAllAutoLearnedPatterns(done.learnedPatterns()).setIsolated(false);
          for (ProcessorHost.SequenceItemResult item : done.results()) {
            SequenceItemResult.Builder b = SequenceItemResult.newBuilder().setStatus("okay")
                .setSequencePosition(item.position()).setStmLength(item.stmLength()).setTime(item.time())
                .setUniqueId(item.uniqueId());
            if (item.autoLearned() != null) {
              b.setAutoLearnedPattern(item.autoLearned());
            }
            out.addResults(b);
          }
          if (done.finalLearnedPattern() != null) {
            out.setFinalLearnedPattern(done.finalLearnedPattern());
          }
          return out.build();
        });
  }

  private CompletableFuture<GetPatternResponse> getPattern(GetPatternRequest r) {
    String kbId = io.kato.common.NodeIds.kbId(r.getNodeId());
    return host.pattern(r.getNodeId(), r.getPatternId(), new CallMeta(r.getEpoch(), "")).thenApply(found ->
        found.map(p -> GetPatternResponse.newBuilder().setStatus("okay").setPattern(EngineProto.pattern(p))
                .setKbId(kbId).build())
            .orElseGet(() -> GetPatternResponse.newBuilder().setStatus("error")
                .setMessage("Pattern " + r.getPatternId() + " not found").setKbId(kbId).build()));
  }

  private CompletableFuture<NodeStatus> nodeStatus(NodeRequest r) {
    return host.nodeStatus(r.getNodeId(), new CallMeta(r.getEpoch(), "")).thenApply(status ->
        NodeStatus.newBuilder().setNodeId(status.nodeId()).setKbId(status.kbId())
            .setPatternCount(status.patternCount()).setSessionCount(status.sessionCount())
            .setEpoch(status.epoch()).build());
  }

  // ---- mapping --------------------------------------------------------------------------------

  /** A proto observation as the engine input, validated like a REST body (limits, finite numbers). */
  private ParsedObservation observation(Observation o, List<Object> prefix) {
    List<double[]> vectors = new ArrayList<>(o.getVectorsCount());
    for (Vector v : o.getVectorsList()) {
      double[] values = new double[v.getValuesCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = v.getValues(i);
      }
      vectors.add(values);
    }
    LinkedHashMap<String, Double> emotives = new LinkedHashMap<>();
    for (Emotive e : o.getEmotivesList()) {
      emotives.put(e.getName(), e.getValue());
    }
    ParsedObservation parsed = new ParsedObservation(List.copyOf(o.getStringsList()), vectors, emotives,
        ProtoValues.toJavaMap(o.getMetadata()));
    ObservationParser.validate(parsed, prefix, host.options().limits());
    return parsed;
  }

  private SessionInfo sessionInfo(SessionRecord record, long ttlSeconds) {
    return SessionInfo.newBuilder().setSessionId(record.sessionId()).setNodeId(record.nodeId())
        .setCreatedAt(Timestamps.sessionTime(record.createdAt()))
        .setExpiresAt(Timestamps.sessionTime(record.expiresAt())).setTtlSeconds(ttlSeconds)
        .setMetadata(ProtoValues.toProtoMap(record.metadata()))
        .setSessionConfig(ProtoValues.toProtoMap(host.effectiveConfig(record.state())))
        .setKbId(record.kbId()).build();
  }

  private static long remainingSeconds(SessionRecord record) {
    return Math.max(0, Duration.between(Instant.now(), record.expiresAt()).toSeconds());
  }

  private static CallMeta meta(SessionRequest r) {
    return new CallMeta(r.getEpoch(), r.getRequestId());
  }

  // ---- transport ------------------------------------------------------------------------------

  private <Req, Resp> void unary(GrpcServer server, ServiceMethod<Req, Resp> method,
      Function<Req, CompletableFuture<Resp>> call) {
    String methodName = method.methodName();
    server.callHandler(method, request -> request.handler(message -> {
      Context context = Vertx.currentContext();
      long start = System.nanoTime();
      CompletableFuture<Resp> result;
      try {
        result = call.apply(message);
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      result.whenComplete((response, failure) -> context.runOnContext(v -> {
        String outcome;
        if (failure == null) {
          request.response().end(response);
          outcome = "OK";
        } else {
          Failures described = Failures.describe(failure);
          fail(request.response(), described);
          outcome = described.code().name();
        }
        Timer.builder("kato_worker_grpc_requests").description("gRPC calls served, by method and outcome")
            .tag("method", methodName).tag("outcome", outcome).register(metrics)
            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }));
    }));
  }

  private static void fail(GrpcServerResponse<?, ?> response, Failures failure) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(failure.code().name()).setDomain(ERROR_DOMAIN);
    failure.details().forEach((key, value) -> info.putMetadata(key, String.valueOf(value)));
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(GrpcStatus.valueOf(failure.code().grpcStatus()).code).setMessage(failure.message())
        .addDetails(Any.pack(info.build()));
    if (!failure.issues().isEmpty()) {
      BadRequest.Builder badRequest = BadRequest.newBuilder();
      for (ValidationIssue issue : failure.issues()) {
        badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
            .setField(issue.loc().stream().map(String::valueOf).collect(Collectors.joining(".")))
            .setDescription(issue.msg()));
      }
      status.addDetails(Any.pack(badRequest.build()));
    }
    response.status(GrpcStatus.valueOf(failure.code().grpcStatus()));
    response.statusMessage(failure.message());
    response.trailers().set("grpc-status-details-bin",
        Base64.getEncoder().withoutPadding().encodeToString(status.build().toByteArray()));
    response.end();
  }
}
