package io.kato.worker.zmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.Limits;
import io.kato.common.json.IssueType;
import io.kato.common.json.RequestValidationException;
import io.kato.common.json.ValidationIssue;
import io.kato.worker.host.CallMeta;
import java.util.List;
import java.util.Map;

/**
 * One decoded request map of API.md §5.3: the method, its params and the extension fields, each
 * read top-level first, then inside {@code params} (top-level wins).
 *
 * @param id the request's {@code id}, echoed in the reply (null when absent)
 * @param explicitNodeId {@code node_id} / {@code processor_id} when given, else null
 * @param defaultNodeId the node of calls that name none
 * @param sessionId {@code session_id} when given (non-empty), else null: the implicit session
 * @param deadlineMs {@code deadline_ms} when given, else null; a mutation not started by then is refused
 * @param traceId {@code trace_id} when given, else null
 */
record ZmqCall(
    String method,
    ObjectNode params,
    JsonNode id,
    String explicitNodeId,
    String defaultNodeId,
    String sessionId,
    CallMeta meta,
    Long deadlineMs,
    String traceId) {

  /** The node the call acts on. */
  String nodeId() {
    return explicitNodeId != null ? explicitNodeId : defaultNodeId;
  }

  boolean hasSession() {
    return sessionId != null;
  }

  /** A parameter of the call itself (inside {@code params} only). */
  JsonNode param(String name) {
    return params.get(name);
  }

  /** The request's {@code id} (any JSON value), or null. */
  static JsonNode idOf(JsonNode request) {
    if (request == null || !request.isObject()) {
      return null;
    }
    JsonNode id = request.get("id");
    return id == null || id.isNull() ? null : id;
  }

  /**
   * Parses the request map.
   *
   * @throws io.kato.worker.host.HostException BAD_REQUEST for a missing method or a malformed
   *     extension field
   * @throws RequestValidationException for a node id that is not a string or is too long
   */
  static ZmqCall parse(ObjectNode request, String defaultNodeId, Limits limits) {
    JsonNode method = request.get("method");
    if (ZmqParams.absent(method)) {
      throw ZmqParams.badRequest("Missing method");
    }
    if (!method.isTextual()) {
      throw ZmqParams.badRequest("method must be a string");
    }
    JsonNode rawParams = request.get("params");
    ObjectNode params;
    if (ZmqParams.absent(rawParams)) {
      params = JsonNodeFactory.instance.objectNode();
    } else if (rawParams.isObject()) {
      params = (ObjectNode) rawParams;
    } else {
      throw ZmqParams.badRequest("params must be a map");
    }

    String nodeId = null;
    for (JsonNode source : List.of(request, params)) {
      for (String name : List.of("node_id", "processor_id")) {
        JsonNode value = source.get(name);
        if (nodeId == null && !ZmqParams.absent(value)) {
          if (!value.isTextual()) {
            throw new RequestValidationException(List.of(ZmqParams.issue(IssueType.STRING_TYPE,
                ZmqParams.loc("body", name), value)));
          }
          nodeId = value.textValue();
        }
      }
    }
    if (nodeId != null && nodeId.codePointCount(0, nodeId.length()) > limits.maxNodeIdLength()) {
      throw new RequestValidationException(List.of(new ValidationIssue("too_long", ZmqParams.loc("body", "node_id"),
          "String should have at most " + limits.maxNodeIdLength() + " characters",
          "<omitted: " + nodeId.length() + " characters>", Map.of("max_length", (long) limits.maxNodeIdLength()))));
    }
    String sessionId = ZmqParams.optionalText(field(request, params, "session_id"), "session_id");
    if (sessionId != null && sessionId.isEmpty()) {
      sessionId = null;
    }
    long epoch = 0;
    JsonNode epochNode = field(request, params, "epoch");
    if (!ZmqParams.absent(epochNode)) {
      if (!epochNode.isIntegralNumber() || !epochNode.canConvertToLong() || epochNode.longValue() < 0) {
        throw ZmqParams.badRequest("epoch must be a non-negative integer");
      }
      epoch = epochNode.longValue();
    }
    String requestId = "";
    JsonNode requestIdNode = field(request, params, "request_id");
    if (!ZmqParams.absent(requestIdNode)) {
      if (requestIdNode.isTextual() || requestIdNode.isIntegralNumber()) {
        requestId = requestIdNode.asText();
      } else {
        throw ZmqParams.badRequest("request_id must be a string");
      }
    }
    Long deadlineMs = null;
    JsonNode deadlineNode = field(request, params, "deadline_ms");
    if (!ZmqParams.absent(deadlineNode)) {
      if (!deadlineNode.isIntegralNumber() || !deadlineNode.canConvertToLong()) {
        throw ZmqParams.badRequest("deadline_ms must be an integer");
      }
      deadlineMs = deadlineNode.longValue();
    }
    JsonNode traceNode = field(request, params, "trace_id");
    String traceId = ZmqParams.absent(traceNode) ? null : traceNode.asText();
    return new ZmqCall(method.textValue(), params, idOf(request), nodeId, defaultNodeId, sessionId,
        deadlineMs == null ? new CallMeta(epoch, requestId) : CallMeta.withDeadline(epoch, requestId, deadlineMs),
        deadlineMs, traceId);
  }

  private static JsonNode field(ObjectNode request, ObjectNode params, String name) {
    JsonNode top = request.get(name);
    return ZmqParams.absent(top) ? params.get(name) : top;
  }
}
