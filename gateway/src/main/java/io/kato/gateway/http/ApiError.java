package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.ValidationIssue;
import java.util.List;

/**
 * An error answer of the HTTP API before it is written: the code, the message, what upstream
 * puts in {@code detail} (a string, an object or validation items), and {@code error.details}.
 * {@link ErrorBodies} turns it into the one error format of API.md §1.4.3.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient JsonNode detail;
  private final transient ObjectNode details;
  private final transient List<ValidationIssue> issues;
  private final transient ObjectNode extra;

  private ApiError(ErrorCode code, String message, JsonNode detail, ObjectNode details, List<ValidationIssue> issues,
      ObjectNode extra) {
    super(message, null, false, false);
    this.code = code;
    this.detail = detail;
    this.details = details;
    this.issues = issues;
    this.extra = extra;
  }

  /** An error whose {@code detail} is its message. */
  public static ApiError of(ErrorCode code, String message) {
    return new ApiError(code, message, null, JsonNodeFactory.instance.objectNode(), List.of(), null);
  }

  public static ApiError of(ErrorCode code, String message, ObjectNode details) {
    return new ApiError(code, message, null, details, List.of(), null);
  }

  /** An error whose upstream {@code detail} is an object (config validation, vector dimension). */
  public static ApiError withObjectDetail(ErrorCode code, String message, ObjectNode detail) {
    return new ApiError(code, message, detail, detail.deepCopy(), List.of(), null);
  }

  public static ApiError validation(List<ValidationIssue> issues) {
    return new ApiError(ErrorCode.VALIDATION_ERROR, "Request validation failed", null,
        JsonNodeFactory.instance.objectNode(), List.copyOf(issues), null);
  }

  public static ApiError sessionNotFound(String sessionId) {
    ObjectNode details = JsonNodeFactory.instance.objectNode().put("session_id", sessionId);
    ObjectNode extra = JsonNodeFactory.instance.objectNode().put("session_id", sessionId);
    return new ApiError(ErrorCode.SESSION_NOT_FOUND, "Session " + sessionId + " not found or expired", null,
        details, List.of(), extra);
  }

  public ErrorCode code() {
    return code;
  }

  /** Null when {@code detail} is the message. */
  public JsonNode detail() {
    return detail;
  }

  public ObjectNode details() {
    return details;
  }

  public List<ValidationIssue> issues() {
    return issues;
  }

  /** Extra keys inside {@code error} (e.g. {@code session_id}); may be null. */
  public ObjectNode extra() {
    return extra;
  }
}
