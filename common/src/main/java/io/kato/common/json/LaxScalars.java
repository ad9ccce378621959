package io.kato.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * pydantic v2 "lax" scalar coercion for request-model fields (API.md §1.2). Each method returns
 * the value, or null after adding one issue at {@code loc}. The session-config map is not
 * coerced (the worker validates it strictly, §1.11).
 */
public final class LaxScalars {
  private LaxScalars() {}

  private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+(\\.0*)?");
  private static final Set<String> TRUE = Set.of("true", "1", "yes", "on", "t", "y");
  private static final Set<String> FALSE = Set.of("false", "0", "no", "off", "f", "n");
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** A string field; JSON strings only. */
  public static String string(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node != null && node.isTextual()) {
      return node.textValue();
    }
    issues.add(ValidationIssue.of(IssueType.STRING_TYPE, loc, JsonValues.toJava(node)));
    return null;
  }

  /** An integer field: integers, zero-fraction numbers, numeric strings, booleans. */
  public static Long integer(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node == null || node.isNull() || node.isArray() || node.isObject()) {
      issues.add(ValidationIssue.of(IssueType.INT_TYPE, loc, JsonValues.toJava(node)));
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? 1L : 0L;
    }
    if (node.isIntegralNumber()) {
      return inRange(node.bigIntegerValue(), loc, node, issues);
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        issues.add(ValidationIssue.of(IssueType.FINITE_NUMBER, loc, d));
        return null;
      }
      if (d != Math.rint(d)) {
        issues.add(ValidationIssue.of(IssueType.INT_FROM_FLOAT, loc, d));
        return null;
      }
      return inRange(new BigDecimal(d).toBigInteger(), loc, node, issues);
    }
    String text = node.textValue().trim();
    if (!INTEGER_TEXT.matcher(text).matches()) {
      issues.add(ValidationIssue.of(IssueType.INT_PARSING, loc, node.textValue()));
      return null;
    }
    int dot = text.indexOf('.');
    BigInteger value = new BigInteger(dot < 0 ? text : text.substring(0, dot));
    if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
      issues.add(ValidationIssue.of(IssueType.INT_PARSING_SIZE, loc, node.textValue()));
      return null;
    }
    return value.longValue();
  }

  /** A boolean field: booleans, 0/1 and the usual words (case-insensitive). */
  public static Boolean bool(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node == null || node.isNull()) {
      issues.add(ValidationIssue.of(IssueType.BOOL_TYPE, loc, null));
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (d == 0.0 || d == 1.0) {
        return d == 1.0;
      }
    } else if (node.isTextual()) {
      String text = node.textValue().trim().toLowerCase(Locale.ROOT);
      if (TRUE.contains(text)) {
        return true;
      }
      if (FALSE.contains(text)) {
        return false;
      }
    }
    issues.add(ValidationIssue.of(IssueType.BOOL_PARSING, loc, JsonValues.toJava(node)));
    return null;
  }

  /** {@code greater_than_equal} (API.md §1.4.3 [ext]). */
  public static void atLeast(long value, long minimum, List<Object> loc, List<ValidationIssue> issues) {
    if (value < minimum) {
      issues.add(new ValidationIssue("greater_than_equal", loc, "Input should be greater than or equal to " + minimum,
          value, Map.of("ge", minimum)));
    }
  }

  private static Long inRange(BigInteger value, List<Object> loc, JsonNode node, List<ValidationIssue> issues) {
    if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
      issues.add(ValidationIssue.of(IssueType.INT_PARSING_SIZE, loc, JsonValues.toJava(node)));
      return null;
    }
    return value.longValue();
  }
}
