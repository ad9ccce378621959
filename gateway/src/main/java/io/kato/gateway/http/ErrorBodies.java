package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ValidationIssue;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Builds every error body the gateway sends, in the one superset format of API.md §1.4.3:
 * upstream's {@code detail} (string, object or validation items), seed 003's {@code error}
 * object with code, message, details and trace id, and {@code status}.
 */
public final class ErrorBodies {
  private ErrorBodies() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_INPUT_BYTES = 1024;

  public static ObjectNode body(ApiError error, String traceId) {
    ObjectNode body = NODES.objectNode();
    ObjectNode details = error.details().deepCopy();
    if (!error.issues().isEmpty()) {
      ArrayNode items = NODES.arrayNode();
      ArrayNode summary = NODES.arrayNode();
      for (ValidationIssue issue : error.issues()) {
        items.add(item(issue));
        ObjectNode s = summary.addObject();
        s.put("field", issue.loc().stream().map(String::valueOf).collect(Collectors.joining(".")));
        s.put("message", issue.msg());
        s.put("type", issue.type());
      }
      body.set("detail", items);
      details.set("validation_errors", summary);
    } else if (error.detail() != null) {
      body.set("detail", error.detail());
    } else {
      body.put("detail", error.getMessage());
    }
    ObjectNode e = body.putObject("error");
    e.put("code", error.code().name());
    e.put("message", error.getMessage());
    e.set("details", details);
    if (error.extra() != null) {
      e.setAll(error.extra());
    }
    e.put("trace_id", traceId);
    body.put("status", status(error.code()));
    return body;
  }

  /** The HTTP status of a code; codes that never reach HTTP (STALE_EPOCH, ...) are 500. */
  public static int status(ErrorCode code) {
    return code.httpStatus() > 0 ? code.httpStatus() : 500;
  }

  private static ObjectNode item(ValidationIssue issue) {
    ObjectNode o = NODES.objectNode();
    o.put("type", issue.type());
    ArrayNode loc = o.putArray("loc");
    for (Object part : issue.loc()) {
      loc.add(JsonValues.toJson(part));
    }
    o.put("msg", issue.msg());
    o.set("input", boundedInput(issue.input()));
    if (issue.ctx() != null) {
      o.set("ctx", JsonValues.toJson(issue.ctx()));
    }
    return o;
  }

  private static JsonNode boundedInput(Object input) {
    JsonNode node = JsonValues.toJson(input);
    try {
      int size = JsonValues.mapper().writeValueAsString(node).getBytes(StandardCharsets.UTF_8).length;
      return size > MAX_INPUT_BYTES ? NODES.textNode("<omitted: " + size + " bytes>") : node;
    } catch (Exception e) {
      return NODES.textNode("<omitted>");
    }
  }

  /** The error a worker call failure becomes (retry safety of API.md §1.4.4 applied by the caller). */
  public static ApiError fromWorker(ErrorCode code, String message, ObjectNode details) {
    switch (code) {
      case CONFIG_VALIDATION_ERROR:
        ObjectNode detail = NODES.objectNode();
        detail.put("error", "Configuration validation failed");
        detail.set("validation_errors", details.path("validation_errors").isObject()
            ? details.get("validation_errors") : NODES.objectNode());
        return ApiError.withObjectDetail(code, "Configuration validation failed", detail);
      case VECTOR_DIMENSION_ERROR:
        return ApiError.withObjectDetail(code, details.path("message").asText(message), details);
      default:
        return ApiError.of(code, message, details);
    }
  }
}
