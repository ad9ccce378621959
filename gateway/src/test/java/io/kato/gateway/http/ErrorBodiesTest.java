package io.kato.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ValidationIssue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one error format of API.md §1.4.3. */
class ErrorBodiesTest {
  private static final String TRACE = "kato-9f0c3a0e2b0a4d55b8a1c0f0e7d6c5b4";

  private static String write(JsonNode node) {
    try {
      return JsonValues.mapper().writeValueAsString(node);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JsonValues.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void plainError() {
    ObjectNode body = ErrorBodies.body(ApiError.of(ErrorCode.EMPTY_STM, "Cannot learn from empty STM"), TRACE);
    assertThat(write(body)).isEqualTo("{\"detail\":\"Cannot learn from empty STM\",\"error\":{\"code\":\"EMPTY_STM\","
        + "\"message\":\"Cannot learn from empty STM\",\"details\":{},\"trace_id\":\"" + TRACE + "\"},\"status\":400}");
  }

  @Test
  void plainErrorWithDetails() {
    ObjectNode details = JsonNodeFactory.instance.objectNode().put("outcome", "unknown");
    ObjectNode body = ErrorBodies.body(ApiError.of(ErrorCode.INTERNAL_ERROR, "Internal Server Error", details), "t1");
    assertThat(write(body)).isEqualTo("{\"detail\":\"Internal Server Error\",\"error\":{\"code\":\"INTERNAL_ERROR\","
        + "\"message\":\"Internal Server Error\",\"details\":{\"outcome\":\"unknown\"},\"trace_id\":\"t1\"},"
        + "\"status\":500}");
  }

  @Test
  void sessionNotFoundMatchesTheSpecExample() {
    ObjectNode body = ErrorBodies.body(ApiError.sessionNotFound("session-abc"), TRACE);
    assertThat(body).isEqualTo(json("{\"detail\": \"Session session-abc not found or expired\", \"error\": {"
        + "\"code\": \"SESSION_NOT_FOUND\", \"message\": \"Session session-abc not found or expired\","
        + "\"details\": {\"session_id\": \"session-abc\"}, \"session_id\": \"session-abc\","
        + "\"trace_id\": \"" + TRACE + "\"}, \"status\": 404}"));
    // key order as in the spec example
    assertThat(write(body)).isEqualTo("{\"detail\":\"Session session-abc not found or expired\",\"error\":{"
        + "\"code\":\"SESSION_NOT_FOUND\",\"message\":\"Session session-abc not found or expired\","
        + "\"details\":{\"session_id\":\"session-abc\"},\"session_id\":\"session-abc\",\"trace_id\":\"" + TRACE
        + "\"},\"status\":404}");
  }

  @Test
  void validationErrorWithTwoItems() {
    ValidationIssue first = new ValidationIssue("string_type", List.of("body", "observations", 0, "strings", 0),
        "Input should be a valid string", null, null);
    ValidationIssue second = new ValidationIssue("greater_than_equal", List.of("body", "ttl_seconds"),
        "Input should be greater than or equal to 0", -1L, Map.of("ge", 0L));
    ObjectNode body = ErrorBodies.body(ApiError.validation(List.of(first, second)), "t");
    assertThat(write(body)).isEqualTo("{\"detail\":["
        + "{\"type\":\"string_type\",\"loc\":[\"body\",\"observations\",0,\"strings\",0],"
        + "\"msg\":\"Input should be a valid string\",\"input\":null},"
        + "{\"type\":\"greater_than_equal\",\"loc\":[\"body\",\"ttl_seconds\"],"
        + "\"msg\":\"Input should be greater than or equal to 0\",\"input\":-1,\"ctx\":{\"ge\":0}}],"
        + "\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"Request validation failed\","
        + "\"details\":{\"validation_errors\":["
        + "{\"field\":\"body.observations.0.strings.0\",\"message\":\"Input should be a valid string\","
        + "\"type\":\"string_type\"},"
        + "{\"field\":\"body.ttl_seconds\",\"message\":\"Input should be greater than or equal to 0\","
        + "\"type\":\"greater_than_equal\"}]},"
        + "\"trace_id\":\"t\"},\"status\":422}");
  }

  @Test
  void validationInputsKeepTheirJsonKinds() {
    ValidationIssue issue = new ValidationIssue("json_invalid", List.of("body", 6L), "JSON decode error", Map.of(),
        Map.of("error", "Expecting value"));
    ValidationIssue floats = new ValidationIssue("int_from_float", List.of("body", "ttl_seconds"), "m", 1.5, null);
    ValidationIssue list = new ValidationIssue("string_type", List.of("body", "node_id"), "m",
        Arrays.asList("a", 2L, null, true), null);
    JsonNode detail = ErrorBodies.body(ApiError.validation(List.of(issue, floats, list)), "t").get("detail");
    assertThat(write(detail.get(0))).isEqualTo("{\"type\":\"json_invalid\",\"loc\":[\"body\",6],"
        + "\"msg\":\"JSON decode error\",\"input\":{},\"ctx\":{\"error\":\"Expecting value\"}}");
    assertThat(write(detail.get(1).get("input"))).isEqualTo("1.5");
    assertThat(write(detail.get(2).get("input"))).isEqualTo("[\"a\",2,null,true]");
  }

  @Test
  void largeInputsAreOmittedBySize() {
    String big = "a".repeat(2000);
    ValidationIssue issue = new ValidationIssue("string_type", List.of("body", "strings", 0), "m", big, null);
    JsonNode item = ErrorBodies.body(ApiError.validation(List.of(issue)), "t").get("detail").get(0);
    assertThat(item.get("input").textValue()).isEqualTo("<omitted: 2002 bytes>");
  }

  @Test
  void omissionThresholdIsOneKibOfUtf8Json() {
    // 1022 characters + 2 quotes = 1024 bytes: kept; one more: omitted
    String exact = "b".repeat(1022);
    String over = "b".repeat(1023);
    String accents = "\u00e9".repeat(600); // 1200 bytes of UTF-8 + 2 quotes
    List<ValidationIssue> issues = List.of(
        new ValidationIssue("t", List.of("body"), "m", exact, null),
        new ValidationIssue("t", List.of("body"), "m", over, null),
        new ValidationIssue("t", List.of("body"), "m", accents, null),
        new ValidationIssue("t", List.of("body"), "m", List.of("x".repeat(600), "y".repeat(600)), null));
    JsonNode detail = ErrorBodies.body(ApiError.validation(issues), "t").get("detail");
    assertThat(detail.get(0).get("input").textValue()).isEqualTo(exact);
    assertThat(detail.get(1).get("input").textValue()).isEqualTo("<omitted: 1025 bytes>");
    assertThat(detail.get(2).get("input").textValue()).isEqualTo("<omitted: 1202 bytes>");
    assertThat(detail.get(3).get("input").textValue()).isEqualTo("<omitted: 1207 bytes>");
  }

  @Test
  void configValidationFromTheWorkerHasAnObjectDetail() {
    ObjectNode details = json("{\"validation_errors\": {\"recall_threshold\": \"Must be a number between 0.0 and 1.0\","
        + " \"persistence\": \"Must be an integer between 1 and 100\"}}");
    ApiError error = ErrorBodies.fromWorker(ErrorCode.CONFIG_VALIDATION_ERROR, "worker text", details);
    ObjectNode body = ErrorBodies.body(error, "t");
    String errors = "{\"recall_threshold\":\"Must be a number between 0.0 and 1.0\","
        + "\"persistence\":\"Must be an integer between 1 and 100\"}";
    assertThat(write(body)).isEqualTo("{\"detail\":{\"error\":\"Configuration validation failed\","
        + "\"validation_errors\":" + errors + "},"
        + "\"error\":{\"code\":\"CONFIG_VALIDATION_ERROR\",\"message\":\"Configuration validation failed\","
        + "\"details\":{\"error\":\"Configuration validation failed\",\"validation_errors\":" + errors + "},"
        + "\"trace_id\":\"t\"},\"status\":400}");
  }

  @Test
  void configValidationWithoutErrorsStillHasTheObjectShape() {
    ApiError error = ErrorBodies.fromWorker(ErrorCode.CONFIG_VALIDATION_ERROR, "x",
        JsonNodeFactory.instance.objectNode());
    JsonNode detail = ErrorBodies.body(error, "t").get("detail");
    assertThat(write(detail)).isEqualTo("{\"error\":\"Configuration validation failed\",\"validation_errors\":{}}");
  }

  @Test
  void vectorDimensionFromTheWorker() {
    ObjectNode details = json("{\"error\": \"VectorDimensionError\", \"message\": \"Vector dimension mismatch: expected"
        + " 4D, got 5D for vector 'VCTR|ab'\", \"expected_dimension\": 4, \"actual_dimension\": 5,"
        + " \"vector_name\": \"VCTR|ab\"}");
    ObjectNode body = ErrorBodies.body(ErrorBodies.fromWorker(ErrorCode.VECTOR_DIMENSION_ERROR, "x", details), "t");
    assertThat(body.get("detail")).isEqualTo(details);
    assertThat(body.get("error").get("message").textValue())
        .isEqualTo("Vector dimension mismatch: expected 4D, got 5D for vector 'VCTR|ab'");
    assertThat(body.get("error").get("details")).isEqualTo(details);
    assertThat(body.get("status").intValue()).isEqualTo(400);
  }

  @Test
  void otherWorkerErrorsAreStrings() {
    ObjectNode body = ErrorBodies.body(ErrorBodies.fromWorker(ErrorCode.WORKER_UNAVAILABLE,
        "No live worker for node n", JsonNodeFactory.instance.objectNode()), "t");
    assertThat(body.get("detail").textValue()).isEqualTo("No live worker for node n");
    assertThat(body.get("status").intValue()).isEqualTo(503);
    assertThat(body.get("error").get("code").textValue()).isEqualTo("WORKER_UNAVAILABLE");
  }

  @Test
  void buildingTwiceGivesTheSameBody() {
    ApiError error = ApiError.validation(List.of(new ValidationIssue("missing", List.of("body"), "Field required",
        null, null)));
    ObjectNode first = ErrorBodies.body(error, "t");
    ObjectNode second = ErrorBodies.body(error, "t");
    assertThat(second).isEqualTo(first);
    assertThat(error.details().size()).isZero();
  }

  @Test
  void statusFollowsTheCode() {
    assertThat(ErrorBodies.status(ErrorCode.VALIDATION_ERROR)).isEqualTo(422);
    assertThat(ErrorBodies.status(ErrorCode.SESSION_NOT_FOUND)).isEqualTo(404);
    assertThat(ErrorBodies.status(ErrorCode.GATEWAY_TIMEOUT)).isEqualTo(504);
    assertThat(ErrorBodies.status(ErrorCode.STALE_EPOCH)).isEqualTo(500);
    assertThat(ErrorBodies.status(ErrorCode.UNKNOWN_METHOD)).isEqualTo(500);
  }
}
