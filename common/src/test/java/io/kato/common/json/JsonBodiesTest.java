package io.kato.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request-body parsing of API.md §1.2: json_invalid with a character offset, finite_number, duplicates. */
class JsonBodiesTest {
  private static final List<Object> BODY = List.of("body");

  private static JsonNode parse(String text) {
    return JsonBodies.parse(text.getBytes(StandardCharsets.UTF_8), BODY);
  }

  private static List<ValidationIssue> issues(String text) {
    RequestValidationException e = catchThrowableOfType(() -> parse(text), RequestValidationException.class);
    assertThat(e).as("expected a validation failure for %s", text).isNotNull();
    return e.issues();
  }

  private static ValidationIssue singleIssue(String text) {
    List<ValidationIssue> issues = issues(text);
    assertThat(issues).hasSize(1);
    return issues.get(0);
  }

  // ---- malformed JSON -------------------------------------------------------------------------

  @Test
  void malformedJsonIsOneJsonInvalidItem() {
    ValidationIssue issue = singleIssue("{\"a\": }");
    assertThat(issue.type()).isEqualTo("json_invalid");
    assertThat(issue.msg()).isEqualTo("JSON decode error");
    assertThat(issue.input()).isEqualTo(Map.of());
    assertThat(issue.loc()).hasSize(2);
    assertThat(issue.loc().get(0)).isEqualTo("body");
    assertThat(issue.loc().get(1)).isInstanceOf(Number.class);
    assertThat(issue.ctx()).isInstanceOf(Map.class);
    Map<?, ?> ctx = (Map<?, ?>) issue.ctx();
    assertThat(ctx.keySet()).isEqualTo(java.util.Set.of("error"));
    assertThat(ctx.get("error")).isInstanceOf(String.class);
    assertThat((String) ctx.get("error")).isNotBlank().doesNotContain("\n");
  }

  /** Offsets as Python's json module reports them (JSONDecodeError.pos), the value FastAPI puts in loc. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'{\"a\": }'       | 6",
      "'[1, 2'           | 5",
      "'{\"a\": 1,}'     | 8",
      "'{\"a\" 1}'       | 5",
  })
  void offsetIsWhereThePythonParserStops(String text, long pythonOffset) {
    ValidationIssue issue = singleIssue(text);
    assertThat(issue.type()).isEqualTo("json_invalid");
    assertThat(issue.loc()).containsExactly("body", pythonOffset);
  }

  @Test
  void offsetCountsCharactersNotUtf8Bytes() {
    long ascii = ((Number) singleIssue("{\"e\": }").loc().get(1)).longValue();
    long twoByte = ((Number) singleIssue("{\"\u00e9\": }").loc().get(1)).longValue();
    long fourByte = ((Number) singleIssue("{\"\u00e9\u00e9\u00e9\": }").loc().get(1)).longValue();
    assertThat(twoByte).isEqualTo(ascii);
    assertThat(fourByte).isEqualTo(ascii + 2);
  }

  @Test
  void emptyBodyIsJsonInvalidAtOffsetZero() {
    ValidationIssue issue = singleIssue("");
    assertThat(issue.type()).isEqualTo("json_invalid");
    assertThat(issue.loc()).containsExactly("body", 0L);
  }

  @Test
  void trailingGarbageIsJsonInvalid() {
    for (String text : new String[] {"{} x", "{} {}", "{\"a\": 1} 2", "[1] ]"}) {
      ValidationIssue issue = singleIssue(text);
      assertThat(issue.type()).as(text).isEqualTo("json_invalid");
      assertThat(issue.loc().get(0)).isEqualTo("body");
      long offset = ((Number) issue.loc().get(1)).longValue();
      int end = text.indexOf(text.trim().charAt(0) == '{' ? '}' : ']') + 1;
      assertThat(offset).as(text).isBetween((long) end, (long) text.length());
    }
  }

  @Test
  void extraDataOffsetIsWhereTheExtraValueStarts() {
    assertThat(singleIssue("{} {}").loc()).containsExactly("body", 3L);
    assertThat(singleIssue("{\"a\": 1} 2").loc()).containsExactly("body", 9L);
  }

  @Test
  void secondValueIsExtraData() {
    ValidationIssue issue = singleIssue("{} {}");
    assertThat(((Map<?, ?>) issue.ctx()).get("error")).isEqualTo("Extra data");
  }

  @Test
  void prefixIsPrepended() {
    RequestValidationException e = catchThrowableOfType(
        () -> JsonBodies.parse("[".getBytes(StandardCharsets.UTF_8), List.of("body", "x")),
        RequestValidationException.class);
    assertThat(e.issues()).hasSize(1);
    assertThat(e.issues().get(0).loc()).hasSize(3).startsWith("body", "x");
  }

  // ---- non-finite literals --------------------------------------------------------------------

  @Test
  void nanAtTopLevelField() {
    ValidationIssue issue = singleIssue("{\"ttl_seconds\": NaN}");
    assertThat(issue).isEqualTo(new ValidationIssue("finite_number", List.of("body", "ttl_seconds"),
        "Input should be a finite number", "NaN", null));
  }

  @Test
  void infinityInNestedList() {
    ValidationIssue issue = singleIssue("{\"vectors\": [[1.0, 2.0], [0.5, Infinity]]}");
    assertThat(issue.type()).isEqualTo("finite_number");
    assertThat(issue.loc()).containsExactly("body", "vectors", 1, 1);
    assertThat(issue.msg()).isEqualTo("Input should be a finite number");
    assertThat(issue.input()).isEqualTo("Infinity");
  }

  @Test
  void negativeInfinityInMetadata() {
    ValidationIssue issue = singleIssue("{\"strings\": [\"a\"], \"metadata\": {\"deep\": {\"x\": -Infinity}}}");
    assertThat(issue.type()).isEqualTo("finite_number");
    assertThat(issue.loc()).containsExactly("body", "metadata", "deep", "x");
    assertThat(issue.input()).isEqualTo("-Infinity");
  }

  @Test
  void everyNonFiniteNumberIsReportedInDocumentOrder() {
    List<ValidationIssue> issues = issues(
        "{\"emotives\": {\"joy\": NaN, \"calm\": 0.5}, \"vectors\": [[Infinity]], \"observations\": [{\"x\": -Infinity}]}");
    assertThat(issues).extracting(ValidationIssue::type).containsOnly("finite_number");
    assertThat(issues).extracting(ValidationIssue::loc).containsExactly(
        List.of("body", "emotives", "joy"),
        List.of("body", "vectors", 0, 0),
        List.of("body", "observations", 0, "x"));
  }

  @Test
  void nonFiniteTopLevelValue() {
    ValidationIssue issue = singleIssue("NaN");
    assertThat(issue.type()).isEqualTo("finite_number");
    assertThat(issue.loc()).containsExactly("body");
  }

  @Test
  void nanInsideAStringIsJustText() {
    JsonNode tree = parse("{\"strings\": [\"NaN\", \"Infinity\"]}");
    assertThat(tree.get("strings").get(0).textValue()).isEqualTo("NaN");
    assertThat(tree.get("strings").get(1).textValue()).isEqualTo("Infinity");
  }

  // ---- valid bodies ---------------------------------------------------------------------------

  @Test
  void validBodyParsesWithNumberKinds() {
    JsonNode tree = parse("{\"node_id\": \"n\u00e9\", \"ttl_seconds\": 60, \"f\": 1.0, \"list\": [1, 2.5, null, true],"
        + " \"config\": {}}");
    assertThat(tree.isObject()).isTrue();
    assertThat(tree.get("node_id").textValue()).isEqualTo("n\u00e9");
    assertThat(tree.get("ttl_seconds").isIntegralNumber()).isTrue();
    assertThat(tree.get("ttl_seconds").longValue()).isEqualTo(60);
    assertThat(tree.get("f").isFloatingPointNumber()).isTrue();
    assertThat(JsonValues.toJava(tree.get("list"))).isEqualTo(java.util.Arrays.asList(1L, 2.5, null, true));
    assertThat(tree.get("config").isObject()).isTrue();
    assertThat(tree.get("config").size()).isZero();
  }

  @Test
  void nonObjectBodiesParseToo() {
    assertThat(parse("[1, 2]").isArray()).isTrue();
    assertThat(parse("\"x\"").textValue()).isEqualTo("x");
    assertThat(parse("null").isNull()).isTrue();
    assertThat(parse("  {}  \n").isObject()).isTrue();
  }

  @Test
  void duplicateKeysLastWins() {
    JsonNode tree = parse("{\"a\": 1, \"b\": 2, \"a\": 3}");
    assertThat(tree.get("a").longValue()).isEqualTo(3);
    assertThat(tree.get("b").longValue()).isEqualTo(2);
    assertThat(tree.size()).isEqualTo(2);
    JsonNode nested = parse("{\"config\": {\"persistence\": 5, \"persistence\": 7}}");
    assertThat(nested.get("config").get("persistence").longValue()).isEqualTo(7);
  }

  @Test
  void duplicateKeyCanReplaceANonFiniteValue() {
    JsonNode tree = parse("{\"a\": NaN, \"a\": 1.5}");
    assertThat(tree.get("a").doubleValue()).isEqualTo(1.5);
  }
}
