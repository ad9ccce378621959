package io.kato.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** pydantic v2 lax coercion of request-model scalars (API.md §1.2 table, messages §1.4.3). */
class LaxScalarsTest {
  private static final List<Object> LOC = List.of("body", "ttl_seconds");

  private static JsonNode json(String text) {
    try {
      return JsonValues.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ValidationIssue single(List<ValidationIssue> issues) {
    assertThat(issues).hasSize(1);
    return issues.get(0);
  }

  // ---- integer --------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "60        | 60",
      "60.0      | 60",
      "'\"60\"'  | 60",
      "'\" 60 \"'| 60",
      "'\"60.0\"'| 60",
      "-3        | -3",
      "0         | 0",
      "true      | 1",
      "false     | 0",
      "9223372036854775807 | 9223372036854775807",
      "-9223372036854775808 | -9223372036854775808",
  })
  void integerAcceptsLaxForms(String text, long expected) {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.integer(json(text), LOC, issues)).isEqualTo(expected);
    assertThat(issues).isEmpty();
  }

  @Test
  void integerWithFractionIsIntFromFloat() {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.integer(json("1.5"), LOC, issues)).isNull();
    ValidationIssue issue = single(issues);
    assertThat(issue.type()).isEqualTo("int_from_float");
    assertThat(issue.loc()).containsExactly("body", "ttl_seconds");
    assertThat(issue.msg()).isEqualTo("Input should be a valid integer, got a number with a fractional part");
    assertThat(issue.input()).isEqualTo(1.5);
    assertThat(issue.ctx()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc\"", "\"\"", "\"1.5\"", "\"6 0\"", "\"0x10\""})
  void nonNumericStringIsIntParsing(String text) {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.integer(json(text), LOC, issues)).isNull();
    ValidationIssue issue = single(issues);
    assertThat(issue.type()).isEqualTo("int_parsing");
    assertThat(issue.loc()).containsExactly("body", "ttl_seconds");
    assertThat(issue.msg()).isEqualTo("Input should be a valid integer, unable to parse string as an integer");
    assertThat(issue.input()).isEqualTo(json(text).textValue());
  }

  @Test
  void arrayObjectAndNullAreIntType() {
    for (String text : new String[] {"[]", "{}", "null"}) {
      List<ValidationIssue> issues = new ArrayList<>();
      assertThat(LaxScalars.integer(json(text), LOC, issues)).as(text).isNull();
      ValidationIssue issue = single(issues);
      assertThat(issue.type()).as(text).isEqualTo("int_type");
      assertThat(issue.msg()).isEqualTo("Input should be a valid integer");
      assertThat(issue.loc()).containsExactly("body", "ttl_seconds");
    }
    List<ValidationIssue> issues = new ArrayList<>();
    LaxScalars.integer(json("[]"), LOC, issues);
    assertThat(issues.get(0).input()).isEqualTo(List.of());
    issues.clear();
    LaxScalars.integer(json("{}"), LOC, issues);
    assertThat(issues.get(0).input()).isEqualTo(Map.of());
    issues.clear();
    LaxScalars.integer(json("null"), LOC, issues);
    assertThat(issues.get(0).input()).isNull();
  }

  @Test
  void absentNodeIsIntType() {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.integer(null, LOC, issues)).isNull();
    assertThat(single(issues).type()).isEqualTo("int_type");
  }

  @Test
  void integerBeyond64BitsIsIntParsingSize() {
    BigInteger big = BigInteger.TWO.pow(70);
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.integer(json(big.toString()), LOC, issues)).isNull();
    ValidationIssue issue = single(issues);
    assertThat(issue.type()).isEqualTo("int_parsing_size");
    assertThat(issue.msg()).isEqualTo("Unable to parse input string as an integer, exceeded maximum size");
    assertThat(issue.loc()).containsExactly("body", "ttl_seconds");
    assertThat(issue.input()).isEqualTo(big);

    issues.clear();
    assertThat(LaxScalars.integer(json("\"" + big + "\""), LOC, issues)).isNull();
    assertThat(single(issues).type()).isEqualTo("int_parsing_size");
    assertThat(issues.get(0).input()).isEqualTo(big.toString());

    issues.clear();
    assertThat(LaxScalars.integer(json("9223372036854775808"), LOC, issues)).isNull();
    assertThat(single(issues).type()).isEqualTo("int_parsing_size");
  }

  // ---- bool -----------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "true | true", "false | false",
      "1 | true", "0 | false", "1.0 | true", "0.0 | false",
      "'\"true\"' | true", "'\"false\"' | false", "'\"1\"' | true", "'\"0\"' | false",
      "'\"yes\"' | true", "'\"no\"' | false", "'\"on\"' | true", "'\"off\"' | false",
      "'\"t\"' | true", "'\"f\"' | false", "'\"y\"' | true", "'\"n\"' | false",
      "'\"TRUE\"' | true", "'\"False\"' | false", "'\"YeS\"' | true", "'\"NO\"' | false",
      "'\"On\"' | true", "'\"OFF\"' | false", "'\"T\"' | true", "'\"F\"' | false",
      "'\"Y\"' | true", "'\"N\"' | false",
  })
  void boolAcceptsLaxForms(String text, boolean expected) {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.bool(json(text), LOC, issues)).isEqualTo(expected);
    assertThat(issues).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"maybe\"", "\"\"", "\"2\"", "2", "-1", "0.5", "\"truth\""})
  void otherValuesAreBoolParsing(String text) {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.bool(json(text), LOC, issues)).isNull();
    ValidationIssue issue = single(issues);
    assertThat(issue.type()).isEqualTo("bool_parsing");
    assertThat(issue.msg()).isEqualTo("Input should be a valid boolean, unable to interpret input");
    assertThat(issue.loc()).containsExactly("body", "ttl_seconds");
    assertThat(issue.input()).isEqualTo(JsonValues.toJava(json(text)));
  }

  @Test
  void maybeEchoesItsInput() {
    List<ValidationIssue> issues = new ArrayList<>();
    LaxScalars.bool(json("\"maybe\""), List.of("body", "learn_at_end"), issues);
    assertThat(single(issues)).isEqualTo(new ValidationIssue("bool_parsing", List.of("body", "learn_at_end"),
        "Input should be a valid boolean, unable to interpret input", "maybe", null));
  }

  @Test
  void nullIsBoolType() {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.bool(json("null"), LOC, issues)).isNull();
    assertThat(single(issues)).isEqualTo(new ValidationIssue("bool_type", LOC, "Input should be a valid boolean",
        null, null));
  }

  // ---- string ---------------------------------------------------------------------------------

  @Test
  void stringAcceptsOnlyJsonStrings() {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.string(json("\"abc\""), LOC, issues)).isEqualTo("abc");
    assertThat(LaxScalars.string(json("\"\""), LOC, issues)).isEqualTo("");
    assertThat(LaxScalars.string(json("\"h\u00e9llo \u2603\""), LOC, issues)).isEqualTo("h\u00e9llo \u2603");
    assertThat(issues).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "1.5", "true", "false", "null", "[]", "[\"a\"]", "{}", "{\"a\":1}"})
  void nonStringsAreStringType(String text) {
    List<ValidationIssue> issues = new ArrayList<>();
    assertThat(LaxScalars.string(json(text), List.of("body", "node_id"), issues)).isNull();
    assertThat(single(issues)).isEqualTo(new ValidationIssue("string_type", List.of("body", "node_id"),
        "Input should be a valid string", JsonValues.toJava(json(text)), null));
  }

  @Test
  void stringTypeEchoesTheNumberKind() {
    List<ValidationIssue> issues = new ArrayList<>();
    LaxScalars.string(json("5"), LOC, issues);
    LaxScalars.string(json("5.0"), LOC, issues);
    assertThat(issues.get(0).input()).isEqualTo(5L);
    assertThat(issues.get(1).input()).isEqualTo(5.0);
  }

  // ---- atLeast --------------------------------------------------------------------------------

  @Test
  void atLeastAddsGreaterThanEqualWithCtx() {
    List<ValidationIssue> issues = new ArrayList<>();
    LaxScalars.atLeast(0, 0, LOC, issues);
    LaxScalars.atLeast(5, 1, LOC, issues);
    assertThat(issues).isEmpty();
    LaxScalars.atLeast(-1, 0, LOC, issues);
    assertThat(single(issues)).isEqualTo(new ValidationIssue("greater_than_equal", LOC,
        "Input should be greater than or equal to 0", -1L, Map.of("ge", 0L)));
  }

  @Test
  void issueTypeMessagesMatchTheSpecTable() {
    assertThat(IssueType.MISSING.type()).isEqualTo("missing");
    assertThat(IssueType.MISSING.message()).isEqualTo("Field required");
    assertThat(IssueType.FLOAT_TYPE.message()).isEqualTo("Input should be a valid number");
    assertThat(IssueType.FLOAT_PARSING.message())
        .isEqualTo("Input should be a valid number, unable to parse string as a number");
    assertThat(IssueType.LIST_TYPE.message()).isEqualTo("Input should be a valid list");
    assertThat(IssueType.DICT_TYPE.message()).isEqualTo("Input should be a valid dictionary");
    assertThat(IssueType.MODEL_ATTRIBUTES_TYPE.message())
        .isEqualTo("Input should be a valid dictionary or object to extract fields from");
    assertThat(IssueType.JSON_INVALID.message()).isEqualTo("JSON decode error");
    assertThat(IssueType.FINITE_NUMBER.message()).isEqualTo("Input should be a finite number");
  }
}
