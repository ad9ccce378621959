package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonBodies;
import io.kato.common.json.JsonValues;
import io.kato.common.json.RequestModels;
import io.kato.common.json.RequestValidationException;
import io.kato.common.json.ValidationIssue;
import io.kato.gateway.routing.NodeCalls;
import io.kato.gateway.routing.SessionLocation;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.SessionRef;
import io.kato.gateway.transport.WorkerCallException;
import io.kato.gateway.transport.WorkerTransport;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * {@code /ws}: request/response over a WebSocket (API.md §4.2). The session is bound at the
 * upgrade (query {@code session_id}, else the implicit session of the node of §1.9); messages
 * of one connection are answered strictly in order, one reply each, and errors never close it.
 */
final class SessionSocket {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final HttpSupport http;
  private final NodeCalls calls;
  private final RequestMetrics metrics;

  SessionSocket(HttpSupport http, NodeCalls calls, RequestMetrics metrics) {
    this.http = http;
    this.calls = calls;
    this.metrics = metrics;
  }

  void handle(RoutingContext ctx) {
    String sessionId = ctx.request().getParam("session_id");
    String traceId = HttpSupport.traceId(ctx);
    Future<SessionRef> bound = sessionId == null
        ? Future.succeededFuture(SessionRef.implicit(http.node(ctx, true)))
        : http.sessions().locate(sessionId, traceId).map(found -> found.map(SessionLocation::nodeId)
            .map(node -> new SessionRef(sessionId, node)).orElse(null));
    ctx.request().toWebSocket().onSuccess(socket -> bound.onComplete(done -> {
      if (done.failed() || done.result() == null) {
        socket.close((short) 4404, "Session " + sessionId + " not found or expired");
        return;
      }
      serve(socket, done.result(), traceId);
    }));
  }

  private void serve(ServerWebSocket socket, SessionRef session, String traceId) {
    Future<Void>[] last = new Future[] {Future.succeededFuture()};
    socket.textMessageHandler(text -> {
      last[0] = last[0].transform(ignored -> answer(session, text, traceId).map(reply -> {
        try {
          socket.writeTextMessage(JsonValues.mapper().writeValueAsString(reply));
        } catch (Exception e) {
          socket.close();
        }
        return (Void) null;
      }));
    });
    socket.binaryMessageHandler(b -> socket.close((short) 1003, "binary frames are not supported"));
  }

  private Future<ObjectNode> answer(SessionRef session, String text, String traceId) {
    JsonNode message;
    try {
      message = JsonBodies.parse(text.getBytes(StandardCharsets.UTF_8), List.of("body"));
    } catch (RequestValidationException e) {
      message = null;
    }
    if (message == null || !message.isObject()) {
      return Future.succeededFuture(error(null, ErrorCode.VALIDATION_ERROR, "Invalid JSON message", NODES.objectNode()));
    }
    JsonNode id = message.get("id");
    String type = message.path("type").asText("");
    JsonNode payload = message.path("payload").isObject() ? message.get("payload") : NODES.objectNode();
    Future<ObjectNode> data;
    String replyType;
    try {
      switch (type) {
        case "observe":
          replyType = "observation_result";
          metrics.observed(1);
          var observation = RequestModels.observe(payload, http.options().limits(), true);
          data = call(session, traceId, (t, c) -> t.observe(session, observation, c))
              .map(o -> o.put("processor_id", session.nodeId()));
          break;
        case "observe_sequence":
          replyType = "observe_sequence_result";
          var sequence = RequestModels.observeSequence(payload, http.options().limits());
          metrics.observed(sequence.getObservationsCount());
          data = call(session, traceId, (t, c) -> t.observeSequence(session, sequence, c));
          break;
        case "get_stm":
          replyType = "stm";
          data = call(session, traceId, (t, c) -> t.stm(session, c)).map(o -> o.put("processor_id", session.nodeId()));
          break;
        case "get_predictions":
          replyType = "predictions";
          metrics.predicted();
          data = call(session, traceId, (t, c) -> t.predictionsForReply(session, c))
              .map(o -> o.put("processor_id", session.nodeId()));
          break;
        case "learn":
          replyType = "learn_result";
          metrics.learned();
          data = call(session, traceId, (t, c) -> t.learn(session, c)).map(o -> o.put("processor_id", session.nodeId()));
          break;
        case "clear_stm":
          replyType = "status";
          data = call(session, traceId, (t, c) -> t.clearStm(session, c)).map(o -> status(session, "stm-cleared"));
          break;
        case "clear_all":
          replyType = "status";
          data = call(session, traceId, (t, c) -> t.clearAll(session, c)).map(o -> status(session, "all-cleared"));
          break;
        case "get_config":
          replyType = "config";
          data = call(session, traceId, (t, c) -> t.getConfig(session, c));
          break;
        case "update_config":
        case "genes_update":
          replyType = "status";
          var update = RequestModels.configUpdate(payload);
          data = call(session, traceId, (t, c) -> t.updateConfig(session, update, c));
          break;
        case "get_percept_data":
          replyType = "percept_data";
          data = call(session, traceId, (t, c) -> t.perceptData(session, c));
          break;
        case "get_cognition_data":
          replyType = "cognition_data";
          data = call(session, traceId, (t, c) -> t.cognitionData(session, c));
          break;
        case "ping":
          replyType = "pong";
          data = Future.succeededFuture(NODES.objectNode().put("processor_id", session.nodeId())
              .put("timestamp", System.currentTimeMillis() / 1000.0));
          break;
        default:
          return Future.succeededFuture(error(id, ErrorCode.BAD_REQUEST, "Unknown message type: " + type,
              NODES.objectNode()));
      }
    } catch (RuntimeException e) {
      return Future.succeededFuture(failure(id, e));
    }
    return data.map(body -> reply(replyType, body, id)).otherwise(e -> failure(id, e));
  }

  private Future<ObjectNode> call(SessionRef session, String traceId,
      BiFunction<WorkerTransport, CallContext, Future<ObjectNode>> operation) {
    CallContext base = new CallContext(0, "ws-" + UUID.randomUUID().toString().replace("-", ""), traceId,
        http.options().grpcDeadline().toMillis());
    return calls.call(session.nodeId(), base, operation).map(served -> served.result());
  }

  private static ObjectNode status(SessionRef session, String message) {
    return NODES.objectNode().put("status", "okay").put("message", message).put("processor_id", session.nodeId())
        .put("session_id", session.visibleId());
  }

  private static ObjectNode reply(String type, JsonNode data, JsonNode id) {
    ObjectNode o = NODES.objectNode();
    o.put("type", type);
    o.set("data", data);
    if (id != null && !id.isNull()) {
      o.set("id", id);
    }
    return o;
  }

  private static ObjectNode failure(JsonNode id, Throwable e) {
    if (e instanceof RequestValidationException) {
      ObjectNode details = NODES.objectNode();
      var list = details.putArray("validation_errors");
      for (ValidationIssue issue : ((RequestValidationException) e).issues()) {
        list.addObject().put("field", String.join(".", issue.loc().stream().map(String::valueOf).toList()))
            .put("message", issue.msg()).put("type", issue.type());
      }
      return error(id, ErrorCode.VALIDATION_ERROR, "Request validation failed", details);
    }
    if (e instanceof ApiError) {
      ApiError a = (ApiError) e;
      return error(id, a.code(), a.getMessage(), a.details());
    }
    if (e instanceof WorkerCallException) {
      WorkerCallException w = (WorkerCallException) e;
      ErrorCode code = w.outcome() == WorkerCallException.Outcome.REJECTED ? w.code()
          : w.code() == ErrorCode.GATEWAY_TIMEOUT ? ErrorCode.GATEWAY_TIMEOUT : ErrorCode.WORKER_UNAVAILABLE;
      if (code.httpStatus() < 0) {
        code = ErrorCode.WORKER_UNAVAILABLE;
      }
      return error(id, code, w.getMessage(), w.details());
    }
    return error(id, ErrorCode.INTERNAL_ERROR, "Internal Server Error", NODES.objectNode());
  }

  private static ObjectNode error(JsonNode id, ErrorCode code, String message, ObjectNode details) {
    ObjectNode data = NODES.objectNode();
    data.put("message", message);
    data.put("code", code.name());
    data.set("details", details);
    return reply("error", data, id);
  }
}
