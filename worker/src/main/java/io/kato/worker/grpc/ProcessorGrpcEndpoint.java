package io.kato.worker.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.Any;
import com.google.protobuf.UnsafeByteOperations;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.kato.common.NodeIds;
import io.kato.common.Timestamps;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ObservationParser;
import io.kato.common.json.ParsedObservation;
import io.kato.common.json.ValidationIssue;
import io.kato.common.metrics.TimerFamily;
import io.kato.common.proto.ProtoValues;
import io.kato.engine.Processor;
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
import io.kato.proto.v1.LoadedNode;
import io.kato.proto.v1.NodeOwnership;
import io.kato.proto.v1.NodeRequest;
import io.kato.proto.v1.NodeStatus;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.ObserveResponse;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.ObserveSequenceResponse;
import io.kato.proto.v1.PerceptDataResponse;
import io.kato.proto.v1.PingResponse;
import io.kato.proto.v1.PredictionsJsonResponse;
import io.kato.proto.v1.PredictionsResponse;
import io.kato.proto.v1.ProcessorGrpcService;
import io.kato.proto.v1.ProcessorProto;
import io.kato.proto.v1.SequenceItemResult;
import io.kato.proto.v1.SessionConfigResponse;
import io.kato.proto.v1.SessionInfo;
import io.kato.proto.v1.SessionLookup;
import io.kato.proto.v1.SessionRequest;
import io.kato.proto.v1.StmResponse;
import io.kato.proto.v1.SymbolAffinitiesResponse;
import io.kato.proto.v1.SymbolAffinity;
import io.kato.proto.v1.SymbolAffinityResponse;
import io.kato.proto.v1.SymbolStats;
import io.kato.proto.v1.SymbolStatsResponse;
import io.kato.proto.v1.UpdateSessionConfigRequest;
import io.kato.proto.v1.Vector;
import io.kato.proto.v1.WorkerStats;
import io.kato.proto.v1.WorkerStatsRequest;
import io.kato.worker.host.CallMeta;
import io.kato.worker.host.Failures;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.host.WorkerIdentity;
import io.kato.worker.json.RenderedPredictions;
import io.kato.worker.storage.SessionRecord;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code kato.v1.Processor} gRPC service on the Vert.x gRPC server: decodes each request,
 * hands it to the {@link ProcessorHost} (event loops never run engine work) and encodes the
 * result. A failure becomes the status of its error code with a {@code google.rpc.ErrorInfo}
 * (reason = code; metadata: each detail as a string, and {@code details_json}, the whole details
 * object as JSON) and, for invalid input, a {@code google.rpc.BadRequest} naming each field.
 *
 * <p>Session calls with an empty {@code session_id} and a {@code node_id} act on the node's
 * implicit session and answer with its id, {@code __node__:<node_id>}.
 */
public final class ProcessorGrpcEndpoint implements Service {
  private static final String ERROR_DOMAIN = "kato.v1";

  private final ProcessorHost host;
  private final TimerFamily callTimers;
  /**
   * 64 results of ~170 KB: a few MB that save re-rendering the answers a node's memo repeats.
   * Without the memo no result object comes back, so nothing is kept.
   */
  private final RenderedPredictions rendered;

  /** @param metrics receives {@code kato_worker_grpc_requests} timers per method and outcome */
  public ProcessorGrpcEndpoint(ProcessorHost host, MeterRegistry metrics) {
    this.host = host;
    this.rendered = new RenderedPredictions(host.options().predictionMemoSize() == 0 ? 0 : 64);
    this.callTimers = new TimerFamily(metrics, "kato_worker_grpc_requests", "gRPC calls served, by method and outcome",
        "method", "outcome");
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
    unary(server, ProcessorGrpcService.GetSession, r -> onSession(r, sid -> host.getSession(sid, meta(r)))
        .thenApply(record -> sessionInfo(record, remainingSeconds(record))));
    unary(server, ProcessorGrpcService.ExtendSession, this::extendSession);
    unary(server, ProcessorGrpcService.DeleteSession, r -> {
      String sid = existingSessionId(r); // deleting an implicit session must not create it first
      return host.deleteSession(sid, meta(r))
          .thenApply(v -> DeleteSessionResponse.newBuilder().setStatus("deleted").setSessionId(sid).build());
    });
    unary(server, ProcessorGrpcService.UpdateSessionConfig, this::updateConfig);
    unary(server, ProcessorGrpcService.Observe, this::observe);
    unary(server, ProcessorGrpcService.ObserveSequence, this::observeSequence);
    unary(server, ProcessorGrpcService.Learn, r -> onSession(r, sid -> host.learn(sid, meta(r)).thenApply(learned ->
        LearnResponse.newBuilder().setStatus("learned").setPatternName(learned.patternName()).setSessionId(sid)
            .setMessage("Learned pattern " + learned.patternName() + " from "
                + learned.session().state().stm().size() + " events")
            .build())));
    unary(server, ProcessorGrpcService.GetStm, r -> onSession(r, sid -> host.readSession(sid, meta(r)))
        .thenApply(record -> StmResponse.newBuilder().addAllStm(EngineProto.events(record.state().stm()))
            .setSessionId(record.sessionId()).setLength(record.state().stm().size()).build()));
    unary(server, ProcessorGrpcService.GetPredictions, r -> onSession(r, sid -> host.predictions(sid, meta(r))
        .thenApply(result -> PredictionsResponse.newBuilder()
            .addAllPredictions(EngineProto.predictions(result.predictions()))
            .addAllFuturePotentials(EngineProto.futurePotentials(result.futurePotentials()))
            .setSessionId(sid).setCount(result.predictions().size()).build())));
    unary(server, ProcessorGrpcService.GetPredictionsJson, r -> onSession(r, sid -> host.predictions(sid, meta(r))
        .thenApply(result -> {
          RenderedPredictions.Json json = rendered.of(result);
          return PredictionsJsonResponse.newBuilder()
              .setPredictionsJson(UnsafeByteOperations.unsafeWrap(json.predictions()))
              .setFuturePotentialsJson(UnsafeByteOperations.unsafeWrap(json.futurePotentials()))
              .setSessionId(sid).setCount(result.predictions().size()).build();
        })));
    unary(server, ProcessorGrpcService.ClearStm, r -> onSession(r, sid -> host.clearStm(sid, meta(r)))
        .thenApply(record -> ClearResponse.newBuilder().setStatus("cleared").setSessionId(record.sessionId()).build()));
    unary(server, ProcessorGrpcService.ClearAll, r -> onSession(r, sid -> host.clearAll(sid, meta(r)))
        .thenApply(record -> ClearResponse.newBuilder().setStatus("cleared").setSessionId(record.sessionId())
            .setScope("all").build()));
    unary(server, ProcessorGrpcService.GetPattern, this::getPattern);
    unary(server, ProcessorGrpcService.GetPerceptData, r -> onSession(r, sid -> host.readSession(sid, meta(r)))
        .thenApply(record -> {
          PerceptDataResponse.Builder out = PerceptDataResponse.newBuilder().setSessionId(record.sessionId())
              .setNodeId(record.nodeId());
          if (record.state().perceptData() != null) {
            out.setPerceptData(EngineProto.perceptData(record.state().perceptData()));
          }
          return out.build();
        }));
    unary(server, ProcessorGrpcService.GetCognitionData, r -> onSession(r, sid -> host.readSession(sid, meta(r)))
        .thenApply(record -> {
          var state = record.state();
          var emotives = state.emotivesAccumulator();
          CognitionData data = CognitionData.newBuilder()
              .addAllPredictions(EngineProto.predictions(state.predictions()))
              .setEmotives(EngineProto.emotives(emotives.isEmpty() ? Map.of() : emotives.get(emotives.size() - 1)))
              .addAllSymbols(state.stm().stream().flatMap(List::stream).collect(Collectors.toList()))
              .addAllShortTermMemory(EngineProto.events(state.stm())).setTime(state.time()).build();
          return CognitionDataResponse.newBuilder().setCognitionData(data).setSessionId(record.sessionId())
              .setNodeId(record.nodeId()).build();
        }));
    unary(server, ProcessorGrpcService.FinalizeTraining, r -> onSession(r, sid -> host.finalizeTraining(sid, meta(r)))
        .thenApply(done -> {
          double millis = Math.round(done.result().elapsedMillis() * 100) / 100.0;
          int count = done.result().patternsProcessed();
          return FinalizeTrainingResponse.newBuilder().setStatus("completed").setPatternsProcessed(count)
              .setTimeMs(millis).setSessionId(done.session().sessionId()).setNodeId(done.session().nodeId())
              .setMessage("Computed Shannon entropy and TF vectors for " + count + " patterns in " + millis + "ms")
              .build();
        }));
    unary(server, ProcessorGrpcService.GetNodeStatus, this::nodeStatus);
    unary(server, ProcessorGrpcService.LookupSession, r -> {
      String sid = existingSessionId(r); // a lookup never creates the implicit session it asks about
      return host.lookupSession(sid).thenApply(found -> SessionLookup.newBuilder().setExists(found.exists())
          .setExpired(found.expired()).setSessionId(sid).setNodeId(found.nodeId()).setKbId(found.kbId()).build());
    });
    unary(server, ProcessorGrpcService.GetSymbolStats, this::symbolStats);
    unary(server, ProcessorGrpcService.GetSymbolAffinities, this::symbolAffinities);
    unary(server, ProcessorGrpcService.GetSymbolAffinity, r -> host.symbolAffinity(r.getNodeId(), r.getSymbol(),
        new CallMeta(r.getEpoch(), "")).thenApply(affinity -> SymbolAffinityResponse.newBuilder()
            .setSymbol(r.getSymbol()).setAffinity(EngineProto.emotives(affinity))
            .setKbId(NodeIds.kbId(r.getNodeId())).build()));
    unary(server, ProcessorGrpcService.Ping, this::ping);
    unary(server, ProcessorGrpcService.ReleaseNode, r -> host.releaseNode(r.getNodeId(),
        new CallMeta(r.getEpoch(), "")).thenApply(ProcessorGrpcEndpoint::ownership));
    unary(server, ProcessorGrpcService.AcquireNode, r -> host.acquireNode(r.getNodeId(),
        new CallMeta(r.getEpoch(), "")).thenApply(ProcessorGrpcEndpoint::ownership));
    unary(server, ProcessorGrpcService.GetWorkerStats, this::workerStats);
  }

  // ---- handlers -------------------------------------------------------------------------------

  private CompletableFuture<SessionInfo> createSession(CreateSessionRequest r) {
    Map<String, Object> config = ProtoValues.toJavaMap(r.getConfig());
    Map<String, Object> metadata = ProtoValues.toJavaMap(r.getMetadata());
    return host.createSession(r.getNodeId(), config, metadata, r.getTtlSeconds(), r.getSessionId(),
        new CallMeta(r.getEpoch(), r.getRequestId())).thenApply(record -> sessionInfo(record, record.ttlSeconds()));
  }

  private CompletableFuture<ExtendSessionResponse> extendSession(ExtendSessionRequest r) {
    CallMeta meta = new CallMeta(r.getEpoch(), r.getRequestId());
    return onSession(r.getSessionId(), r.getNodeId(), meta, sid -> host.extendSession(sid, r.getTtlSeconds(), meta))
        .thenApply(record -> ExtendSessionResponse.newBuilder().setStatus("extended")
            .setSessionId(record.sessionId()).setTtlSeconds(r.getTtlSeconds()).build());
  }

  private CompletableFuture<SessionConfigResponse> updateConfig(UpdateSessionConfigRequest r) {
    CallMeta meta = new CallMeta(r.getEpoch(), r.getRequestId());
    Map<String, Object> update = ProtoValues.toJavaMap(r.getConfig());
    return onSession(r.getSessionId(), r.getNodeId(), meta, sid -> host.updateConfig(sid, update, meta))
        .thenApply(record -> SessionConfigResponse.newBuilder().setSessionId(record.sessionId())
            .setConfig(ProtoValues.toProtoMap(host.effectiveConfig(record.state()))).build());
  }

  private CompletableFuture<ObserveResponse> observe(ObserveRequest r) {
    ParsedObservation observation = observation(r.getObservation(), List.of("observation"));
    CallMeta meta = new CallMeta(r.getEpoch(), r.getRequestId());
    return onSession(r.getSessionId(), r.getNodeId(), meta, sid -> host.observe(sid, observation,
        r.getObservation().getUniqueId(), meta))
        .thenApply(observed -> {
          ObserveResponse.Builder out = ObserveResponse.newBuilder().setStatus("okay")
              .setSessionId(observed.sessionId()).setProcessorId(observed.nodeId())
              .setStmLength(observed.stmLength()).setTime(observed.time())
              .setUniqueId(observed.uniqueId());
          if (observed.autoLearnedPattern() != null) {
            out.setAutoLearnedPattern(observed.autoLearnedPattern());
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
    CallMeta meta = new CallMeta(r.getEpoch(), r.getRequestId());
    return onSession(r.getSessionId(), r.getNodeId(), meta, sid -> host.observeSequence(sid, items,
        r.getLearnAfterEach(), r.getLearnAtEnd(), r.getClearStmBetween(), meta)).thenApply(done -> {
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
    String kbId = NodeIds.kbId(r.getNodeId());
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
            .setEpoch(status.epoch()).setWorkerId(host.options().identity().workerId()).build());
  }

  private CompletableFuture<SymbolStatsResponse> symbolStats(NodeRequest r) {
    return host.symbolStats(r.getNodeId(), new CallMeta(r.getEpoch(), "")).thenApply(stats -> {
      SymbolStatsResponse.Builder out = SymbolStatsResponse.newBuilder().setKbId(NodeIds.kbId(r.getNodeId()));
      for (Processor.SymbolStats symbol : stats) {
        out.addSymbols(SymbolStats.newBuilder().setName(symbol.name()).setFrequency(symbol.frequency())
            .setPatternMemberFrequency(symbol.patternMemberFrequency()));
      }
      return out.build();
    });
  }

  private CompletableFuture<SymbolAffinitiesResponse> symbolAffinities(NodeRequest r) {
    return host.symbolAffinities(r.getNodeId(), new CallMeta(r.getEpoch(), "")).thenApply(affinities -> {
      SymbolAffinitiesResponse.Builder out = SymbolAffinitiesResponse.newBuilder()
          .setKbId(NodeIds.kbId(r.getNodeId()));
      affinities.forEach((symbol, sums) -> out.addAffinities(SymbolAffinity.newBuilder().setSymbol(symbol)
          .setAffinity(EngineProto.emotives(sums))));
      return out.build();
    });
  }

  private static NodeOwnership ownership(ProcessorHost.Ownership o) {
    return NodeOwnership.newBuilder().setNodeId(o.nodeId()).setKbId(o.kbId()).setEpoch(o.epoch()).setState(o.state())
        .build();
  }

  private CompletableFuture<PingResponse> ping(NodeRequest r) {
    WorkerIdentity identity = host.options().identity();
    return host.implicitSessionClock(r.getNodeId(), new CallMeta(r.getEpoch(), "")).thenApply(clock -> {
      Instant now = Instant.now();
      return PingResponse.newBuilder().setStatus("okay").setProcessor(identity.processorName())
          .setInterval(clock.time()).setStmLength(clock.stmLength())
          .setTimeStamp(now.getEpochSecond() + now.getNano() / 1e9).setWorkerId(identity.workerId()).build();
    });
  }

  private CompletableFuture<WorkerStats> workerStats(WorkerStatsRequest r) {
    WorkerIdentity identity = host.options().identity();
    return host.workerStats(Math.max(0, r.getMaxNodes())).thenApply(stats -> {
      WorkerStats.Builder out = WorkerStats.newBuilder().setWorkerId(identity.workerId())
          .setActiveSessions(stats.activeSessions()).setNodesLoaded(stats.nodesLoaded())
          .setNodesWithSessions(stats.nodesWithSessions()).setTotalStmEvents(stats.totalStmEvents())
          .setObservationsProcessed(stats.observationsProcessed()).setPatternsLearned(stats.patternsLearned())
          .setPredictionsGenerated(stats.predictionsGenerated()).setStore(stats.store())
          .setStoreOperations(stats.storeOperations()).setStoreErrors(stats.storeErrors())
          .setStoreAvgSeconds(stats.storeAvgSeconds()).setCapacity(identity.capacity());
      for (ProcessorHost.LoadedNode node : stats.nodes()) {
        out.addNodes(LoadedNode.newBuilder().setNodeId(node.nodeId()).setKbId(node.kbId())
            .setCreatedAt(Timestamps.eventTime(node.createdAt()))
            .setLastAccessed(Timestamps.eventTime(node.lastAccessed())).setAccessCount(node.accessCount())
            .setIdleSeconds(node.idleSeconds()).setPatternCount(node.patternCount()));
      }
      return out.build();
    });
  }

  // ---- sessions -------------------------------------------------------------------------------

  /**
   * Runs a session call on its session: {@code session_id}, or with only {@code node_id} set the
   * node's implicit session ({@code __node__:<node_id>}, API.md §1.10), created on first use.
   */
  private <T> CompletableFuture<T> onSession(String sessionId, String nodeId, CallMeta meta,
      Function<String, CompletableFuture<T>> call) {
    if (!sessionId.isEmpty() || nodeId.isEmpty()) {
      return call.apply(sessionId);
    }
    return host.implicitSession(nodeId, meta).thenCompose(call);
  }

  private <T> CompletableFuture<T> onSession(SessionRequest r, Function<String, CompletableFuture<T>> call) {
    return onSession(r.getSessionId(), r.getNodeId(), meta(r), call);
  }

  /** The session a request names, the implicit one included, without creating it. */
  private static String existingSessionId(SessionRequest r) {
    return r.getSessionId().isEmpty() && !r.getNodeId().isEmpty()
        ? ProcessorHost.implicitSessionId(r.getNodeId()) : r.getSessionId();
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
        callTimers.record(System.nanoTime() - start, methodName, outcome);
      }));
    }));
  }

  private static String detailsJson(Map<String, Object> details) {
    try {
      return JsonValues.mapper().writeValueAsString(JsonValues.toJson(details));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // details are plain JSON values by construction; never let their encoding hide the error itself
      return "{}";
    }
  }

  private static void fail(GrpcServerResponse<?, ?> response, Failures failure) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(failure.code().name()).setDomain(ERROR_DOMAIN);
    failure.details().forEach((key, value) -> info.putMetadata(key, String.valueOf(value)));
    // the per-key strings lose kinds and structure (validation_errors is a map, dimensions are ints)
    info.putMetadata("details_json", detailsJson(failure.details()));
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
