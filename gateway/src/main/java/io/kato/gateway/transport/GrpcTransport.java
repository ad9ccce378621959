package io.kato.gateway.transport;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ProtoJson;
import io.kato.common.json.RawUtf8Json;
import io.kato.common.net.FlushCoalescing;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.ExtendSessionRequest;
import io.kato.proto.v1.GetPatternRequest;
import io.kato.proto.v1.LoadedNode;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.NodeRequest;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.ProcessorGrpcClient;
import io.kato.proto.v1.SessionRequest;
import io.kato.proto.v1.SymbolRequest;
import io.kato.proto.v1.UpdateSessionConfigRequest;
import io.kato.proto.v1.WorkerStats;
import io.kato.proto.v1.WorkerStatsRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link WorkerTransport} over the worker's {@code kato.v1.Processor} gRPC service, on the
 * Vert.x gRPC client (pooled HTTP/2 connections, non-blocking). Worker errors are decoded from
 * {@code grpc-status-details-bin}: the {@code ErrorInfo} reason is the API error code and its
 * {@code details_json} the error's details.
 */
public final class GrpcTransport implements WorkerTransport {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String STATUS_DETAILS = "grpc-status-details-bin";

  private final GrpcClient client;
  private final SocketAddress address;
  private final String addressText;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong active = new AtomicLong();
  /** The last connection given flush coalescing; requests complete on several event loops. */
  private volatile HttpConnection coalescedConnection;

  public GrpcTransport(GrpcClient client, String hostPort) {
    this.client = client;
    int colon = hostPort.lastIndexOf(':');
    this.address = SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
        hostPort.substring(0, colon));
    this.addressText = hostPort;
  }

  // ---- sessions -------------------------------------------------------------------------------

  @Override
  public Future<ObjectNode> createSession(CreateSessionRequest request, CallContext call) {
    return unary(ProcessorGrpcClient.CreateSession, request.toBuilder().setEpoch(call.epoch())
        .setRequestId(call.requestId()).build(), call).map(ProtoJson::session);
  }

  @Override
  public Future<ObjectNode> getSession(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetSession, request(session, call), call).map(ProtoJson::session);
  }

  @Override
  public Future<ObjectNode> lookupSession(String sessionId, CallContext call) {
    return unary(ProcessorGrpcClient.LookupSession, SessionRequest.newBuilder().setSessionId(sessionId).build(), call)
        .map(r -> {
          ObjectNode o = NODES.objectNode();
          o.put("exists", r.getExists());
          o.put("expired", r.getExpired());
          o.put("session_id", r.getSessionId());
          o.put("node_id", r.getNodeId());
          o.put("kb_id", r.getKbId());
          return o;
        });
  }

  @Override
  public Future<ObjectNode> deleteSession(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.DeleteSession, request(session, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", r.getStatus());
      o.put("session_id", r.getSessionId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> extendSession(SessionRef session, long ttlSeconds, CallContext call) {
    ExtendSessionRequest request = ExtendSessionRequest.newBuilder().setSessionId(session.sessionId())
        .setNodeId(session.nodeId()).setTtlSeconds(ttlSeconds).setEpoch(call.epoch()).setRequestId(call.requestId())
        .build();
    return unary(ProcessorGrpcClient.ExtendSession, request, call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", r.getStatus());
      o.put("session_id", r.getSessionId());
      o.put("ttl_seconds", r.getTtlSeconds());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> getConfig(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetSession, request(session, call), call)
        .map(r -> ProtoJson.config(r.getSessionId(), r.getSessionConfig()));
  }

  @Override
  public Future<ObjectNode> updateConfig(SessionRef session, MapValue update, CallContext call) {
    UpdateSessionConfigRequest request = UpdateSessionConfigRequest.newBuilder().setSessionId(session.sessionId())
        .setNodeId(session.nodeId()).setConfig(update).setEpoch(call.epoch()).setRequestId(call.requestId()).build();
    return unary(ProcessorGrpcClient.UpdateSessionConfig, request, call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", "okay");
      o.put("message", "Configuration updated");
      o.put("session_id", r.getSessionId());
      return o;
    });
  }

  // ---- session operations ---------------------------------------------------------------------

  @Override
  public Future<ObjectNode> observe(SessionRef session, Observation observation, CallContext call) {
    ObserveRequest request = ObserveRequest.newBuilder().setSessionId(session.sessionId()).setNodeId(session.nodeId())
        .setObservation(observation).setEpoch(call.epoch()).setRequestId(call.requestId()).build();
    return unary(ProcessorGrpcClient.Observe, request, call).map(ProtoJson::observe);
  }

  @Override
  public Future<ObjectNode> observeSequence(SessionRef session, ObserveSequenceRequest request, CallContext call) {
    ObserveSequenceRequest full = request.toBuilder().setSessionId(session.sessionId()).setNodeId(session.nodeId())
        .setEpoch(call.epoch()).setRequestId(call.requestId()).build();
    return unary(ProcessorGrpcClient.ObserveSequence, full, call).map(ProtoJson::observeSequence);
  }

  @Override
  public Future<ObjectNode> learn(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.Learn, request(session, call), call).map(r -> ProtoJson.learn(r, null));
  }

  @Override
  public Future<ObjectNode> stm(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetStm, request(session, call), call)
        .map(r -> ProtoJson.stm(r.getStmList(), r.getSessionId()));
  }

  @Override
  public Future<ObjectNode> predictions(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetPredictions, request(session, call), call)
        .map(r -> ProtoJson.predictions(r, null));
  }

  /** The worker renders the arrays; they are passed on as raw JSON, never parsed here. */
  @Override
  public Future<ObjectNode> predictionsForReply(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetPredictionsJson, request(session, call), call)
        .map(r -> ProtoJson.predictionsBody(RawUtf8Json.node(r.getPredictionsJson().asReadOnlyByteBuffer()),
            RawUtf8Json.node(r.getFuturePotentialsJson().asReadOnlyByteBuffer()), r.getSessionId(), r.getCount(),
            null));
  }

  @Override
  public Future<ObjectNode> clearStm(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.ClearStm, request(session, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", r.getStatus());
      o.put("session_id", r.getSessionId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> clearAll(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.ClearAll, request(session, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", r.getStatus());
      o.put("session_id", r.getSessionId());
      o.put("scope", "all");
      return o;
    });
  }

  @Override
  public Future<ObjectNode> perceptData(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetPerceptData, request(session, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.set("percept_data", ProtoJson.perceptData(r.getPerceptData(), r.hasPerceptData()));
      o.put("session_id", r.getSessionId());
      o.put("node_id", r.getNodeId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> cognitionData(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.GetCognitionData, request(session, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.set("cognition_data", ProtoJson.cognitionData(r.getCognitionData()));
      o.put("session_id", r.getSessionId());
      o.put("node_id", r.getNodeId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> finalizeTraining(SessionRef session, CallContext call) {
    return unary(ProcessorGrpcClient.FinalizeTraining, request(session, call), call)
        .map(ProtoJson::finalizeTraining);
  }

  // ---- node data ------------------------------------------------------------------------------

  @Override
  public Future<ObjectNode> pattern(String nodeId, String patternId, CallContext call) {
    GetPatternRequest request = GetPatternRequest.newBuilder().setNodeId(nodeId).setPatternId(patternId)
        .setEpoch(call.epoch()).build();
    return unary(ProcessorGrpcClient.GetPattern, request, call).map(r -> {
      ObjectNode o = NODES.objectNode();
      ObjectNode pattern = o.putObject("pattern");
      pattern.put("status", r.getStatus());
      if ("okay".equals(r.getStatus())) {
        pattern.set("pattern", ProtoJson.pattern(r.getPattern()));
      } else {
        pattern.put("message", r.getMessage());
      }
      o.put("node_id", r.getKbId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> symbolStats(String nodeId, CallContext call) {
    return unary(ProcessorGrpcClient.GetSymbolStats, node(nodeId, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.set("symbols", ProtoJson.symbolStats(r.getSymbolsList()));
      o.put("node_id", r.getKbId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> symbolAffinities(String nodeId, CallContext call) {
    return unary(ProcessorGrpcClient.GetSymbolAffinities, node(nodeId, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.set("affinities", ProtoJson.affinities(r.getAffinitiesList()));
      o.put("node_id", r.getKbId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> symbolAffinity(String nodeId, String symbol, CallContext call) {
    SymbolRequest request = SymbolRequest.newBuilder().setNodeId(nodeId).setSymbol(symbol).setEpoch(call.epoch())
        .build();
    return unary(ProcessorGrpcClient.GetSymbolAffinity, request, call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("symbol", r.getSymbol());
      o.set("affinity", ProtoJson.emotives(r.getAffinity()));
      o.put("node_id", r.getKbId());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> ping(String nodeId, CallContext call) {
    return unary(ProcessorGrpcClient.Ping, node(nodeId, call), call).map(r -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", r.getStatus());
      o.put("processor", r.getProcessor());
      o.put("interval", r.getInterval());
      o.put("time_stamp", r.getTimeStamp());
      o.put("worker_id", r.getWorkerId());
      o.put("stm_length", r.getStmLength());
      return o;
    });
  }

  @Override
  public Future<ObjectNode> releaseNode(String nodeId, CallContext call) {
    return unary(ProcessorGrpcClient.ReleaseNode, node(nodeId, call), call).map(GrpcTransport::ownership);
  }

  @Override
  public Future<ObjectNode> acquireNode(String nodeId, CallContext call) {
    return unary(ProcessorGrpcClient.AcquireNode, node(nodeId, call), call).map(GrpcTransport::ownership);
  }

  private static ObjectNode ownership(io.kato.proto.v1.NodeOwnership o) {
    ObjectNode out = NODES.objectNode();
    out.put("node_id", o.getNodeId()); // the shape of the ZeroMQ methods (API.md §5.4)
    out.put("epoch", o.getEpoch());
    out.put("state", o.getState());
    return out;
  }

  @Override
  public Future<ObjectNode> workerStats(int maxNodes, CallContext call) {
    return unary(ProcessorGrpcClient.GetWorkerStats, WorkerStatsRequest.newBuilder().setMaxNodes(maxNodes).build(),
        call).map(GrpcTransport::stats);
  }

  private static ObjectNode stats(WorkerStats s) {
    ObjectNode o = NODES.objectNode();
    o.put("worker_id", s.getWorkerId());
    o.put("active_sessions", s.getActiveSessions());
    o.put("nodes_loaded", s.getNodesLoaded());
    o.put("nodes_with_sessions", s.getNodesWithSessions());
    o.put("total_stm_events", s.getTotalStmEvents());
    o.put("observations_processed", s.getObservationsProcessed());
    o.put("patterns_learned", s.getPatternsLearned());
    o.put("predictions_generated", s.getPredictionsGenerated());
    o.put("store", s.getStore());
    o.put("store_operations", s.getStoreOperations());
    o.put("store_errors", s.getStoreErrors());
    o.put("store_avg_seconds", s.getStoreAvgSeconds());
    var nodes = o.putArray("nodes");
    for (LoadedNode n : s.getNodesList()) {
      ObjectNode entry = nodes.addObject();
      entry.put("processor_id", n.getKbId());
      entry.put("node_id", n.getNodeId());
      entry.put("created_at", n.getCreatedAt());
      entry.put("last_accessed", n.getLastAccessed());
      entry.put("access_count", n.getAccessCount());
      entry.put("idle_seconds", n.getIdleSeconds());
    }
    return o;
  }

  @Override
  public ObjectNode poolStatistics() {
    ObjectNode o = NODES.objectNode();
    long total = requests.get();
    long failed = failures.get();
    o.put("transport", "grpc");
    o.put("address", addressText);
    o.put("total_connections", 1);
    o.put("active_connections", active.get() > 0 ? 1 : 0);
    o.put("total_requests", total);
    o.put("failed_requests", failed);
    o.put("reconnections", 0);
    o.put("failure_rate", total == 0 ? 0.0 : (double) failed / total);
    return o;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private static SessionRequest request(SessionRef session, CallContext call) {
    return SessionRequest.newBuilder().setSessionId(session.sessionId()).setNodeId(session.nodeId())
        .setEpoch(call.epoch()).setRequestId(call.requestId()).build();
  }

  private static NodeRequest node(String nodeId, CallContext call) {
    return NodeRequest.newBuilder().setNodeId(nodeId).setEpoch(call.epoch()).build();
  }

  /** Installs flush coalescing once on each new connection to the worker (a reconnect makes another). */
  private void coalesceFlushes(HttpConnection connection) {
    if (connection != coalescedConnection) {
      FlushCoalescing.install(connection);
      coalescedConnection = connection;
    }
  }

  private <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req message, CallContext call) {
    requests.incrementAndGet();
    active.incrementAndGet();
    Promise<Resp> result = Promise.promise();
    boolean[] sent = {false};
    client.request(address, method).onComplete(requested -> {
      if (requested.failed()) {
        result.fail(new WorkerCallException(ErrorCode.WORKER_UNAVAILABLE,
            "Worker " + addressText + " is unreachable: " + requested.cause().getMessage(), NODES.objectNode(),
            WorkerCallException.Outcome.NOT_APPLIED));
        return;
      }
      var request = requested.result();
      coalesceFlushes(request.connection());
      request.timeout(Math.max(1, call.deadlineMillis()), TimeUnit.MILLISECONDS);
      if (call.traceId() != null) {
        request.headers().set("x-trace-id", call.traceId());
      }
      call.traceContext().forEach((name, value) -> request.headers().set(name, value));
      sent[0] = true;
      request.send(message).onComplete(responded -> {
        if (responded.failed()) {
          result.fail(transportFailure(responded.cause()));
          return;
        }
        var response = responded.result();
        Object[] last = {null};
        response.handler(m -> last[0] = m);
        response.exceptionHandler(e -> result.tryFail(transportFailure(e)));
        response.endHandler(v -> {
          if (response.status() == GrpcStatus.OK) {
            @SuppressWarnings("unchecked")
            Resp body = (Resp) last[0];
            result.tryComplete(body);
          } else {
            // a trailers-only answer (an error without messages) carries its details in the headers
            String details = response.trailers().get(STATUS_DETAILS);
            result.tryFail(workerFailure(response.status(), response.statusMessage(),
                details != null ? details : response.headers().get(STATUS_DETAILS)));
          }
        });
      });
    });
    return result.future().andThen(done -> {
      active.decrementAndGet();
      if (done.failed()) {
        failures.incrementAndGet();
      }
    });
  }

  private WorkerCallException transportFailure(Throwable cause) {
    if (cause instanceof WorkerCallException) {
      return (WorkerCallException) cause;
    }
    return new WorkerCallException(ErrorCode.GATEWAY_TIMEOUT, "Worker " + addressText + " did not answer: "
        + cause.getMessage(), NODES.objectNode(), WorkerCallException.Outcome.UNKNOWN);
  }

  private WorkerCallException workerFailure(GrpcStatus status, String message, String detailsBin) {
    ErrorInfo info = errorInfo(detailsBin);
    if (info == null) {
      // not an answer of the KATO service: a deadline or a broken connection
      boolean timedOut = status == GrpcStatus.DEADLINE_EXCEEDED || status == GrpcStatus.CANCELLED;
      ErrorCode code = timedOut ? ErrorCode.GATEWAY_TIMEOUT : status == GrpcStatus.UNAVAILABLE
          ? ErrorCode.WORKER_UNAVAILABLE : ErrorCode.WORKER_ERROR;
      return new WorkerCallException(code, "Worker " + addressText + " answered " + status + ": " + message,
          NODES.objectNode(), WorkerCallException.Outcome.UNKNOWN);
    }
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(info.getReason());
    } catch (IllegalArgumentException e) {
      code = ErrorCode.INTERNAL_ERROR;
    }
    ObjectNode details = NODES.objectNode();
    String json = info.getMetadataOrDefault("details_json", null);
    if (json != null) {
      try {
        details = (ObjectNode) JsonValues.mapper().readTree(json);
      } catch (Exception e) {
        details = NODES.objectNode();
      }
    } else {
      for (Map.Entry<String, String> entry : info.getMetadataMap().entrySet()) {
        details.put(entry.getKey(), entry.getValue());
      }
    }
    WorkerCallException.Outcome outcome = code == ErrorCode.OVERLOADED || code == ErrorCode.STALE_EPOCH
        ? WorkerCallException.Outcome.NOT_APPLIED : WorkerCallException.Outcome.REJECTED;
    return new WorkerCallException(code, message == null ? code.name() : message, details, outcome);
  }

  private static ErrorInfo errorInfo(String detailsBin) {
    if (detailsBin == null) {
      return null;
    }
    try {
      com.google.rpc.Status status = com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(detailsBin));
      for (Any any : status.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          return any.unpack(ErrorInfo.class);
        }
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}
