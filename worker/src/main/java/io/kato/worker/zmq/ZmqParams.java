package io.kato.worker.zmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.IssueType;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ValidationIssue;
import io.kato.worker.host.HostException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading request values with the rules of the HTTP routes they stand for: pydantic's lax int and
 * bool coercion and its validation items (API.md §1.2, §1.4.3), so that a ZeroMQ caller gets the
 * same 422 items an HTTP caller would.
 */
final class ZmqParams {
  private ZmqParams() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+");
  private static final java.util.Set<String> TRUE_TEXTS = java.util.Set.of("1", "on", "t", "true", "y", "yes");
  private static final java.util.Set<String> FALSE_TEXTS = java.util.Set.of("0", "off", "f", "false", "n", "no");

  static ValidationIssue issue(IssueType type, List<Object> loc, JsonNode input) {
    return new ValidationIssue(type.type(), loc, type.message(), input == null ? null : JsonValues.toJava(input),
        null);
  }

  static ValidationIssue missing(List<Object> loc) {
    return new ValidationIssue(IssueType.MISSING.type(), loc, IssueType.MISSING.message(), null, null);
  }

  static ValidationIssue greaterThanEqual(List<Object> loc, long bound, JsonNode input) {
    return new ValidationIssue("greater_than_equal", loc, "Input should be greater than or equal to " + bound,
        JsonValues.toJava(input), Map.of("ge", bound));
  }

  static List<Object> loc(Object... parts) {
    return List.of(parts);
  }

  static List<Object> loc(List<Object> prefix, Object next) {
    List<Object> out = new ArrayList<>(prefix.size() + 1);
    out.addAll(prefix);
    out.add(next);
    return out;
  }

  /** True when the key is absent or null (an optional field left out). */
  static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** pydantic's lax int; adds an item and returns null when the value is not an integer. */
  static Long laxInt(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node.isIntegralNumber()) {
      if (node.canConvertToLong()) {
        return node.longValue();
      }
      issues.add(issue(IssueType.INT_PARSING_SIZE, loc, node));
      return null;
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        issues.add(issue(IssueType.FINITE_NUMBER, loc, node));
        return null;
      }
      if (d != Math.rint(d)) {
        issues.add(issue(IssueType.INT_FROM_FLOAT, loc, node));
        return null;
      }
      if (Math.abs(d) > 9.2e18) {
        issues.add(issue(IssueType.INT_PARSING_SIZE, loc, node));
        return null;
      }
      return (long) d;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? 1L : 0L;
    }
    if (node.isTextual()) {
      String text = node.textValue().strip();
      if (!INTEGER_TEXT.matcher(text).matches()) {
        issues.add(issue(IssueType.INT_PARSING, loc, node));
        return null;
      }
      BigInteger value = new BigInteger(text);
      if (value.bitLength() > 63) {
        issues.add(issue(IssueType.INT_PARSING_SIZE, loc, node));
        return null;
      }
      return value.longValue();
    }
    issues.add(issue(IssueType.INT_TYPE, loc, node));
    return null;
  }

  /** pydantic's lax bool; adds an item and returns null when the value is not a boolean. */
  static Boolean laxBool(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      if (node.isIntegralNumber() ? node.bigIntegerValue().equals(BigInteger.ONE) : node.doubleValue() == 1.0) {
        return true;
      }
      if (node.isIntegralNumber() ? node.bigIntegerValue().signum() == 0 : node.doubleValue() == 0.0) {
        return false;
      }
      issues.add(issue(IssueType.BOOL_PARSING, loc, node));
      return null;
    }
    if (node.isTextual()) {
      String text = node.textValue().strip().toLowerCase(Locale.ROOT);
      if (TRUE_TEXTS.contains(text)) {
        return true;
      }
      if (FALSE_TEXTS.contains(text)) {
        return false;
      }
      issues.add(issue(IssueType.BOOL_PARSING, loc, node));
      return null;
    }
    issues.add(issue(IssueType.BOOL_TYPE, loc, node));
    return null;
  }

  /** An optional bool with a default; null counts as invalid (pydantic: a non-Optional field). */
  static boolean optionalBool(ObjectNode params, String name, boolean defaultValue, List<ValidationIssue> issues) {
    JsonNode node = params.get(name);
    if (node == null) {
      return defaultValue;
    }
    Boolean value = laxBool(node, loc("body", name), issues);
    return value == null ? defaultValue : value;
  }

  /** An optional string parameter; absent or null → null; another type → BAD_REQUEST. */
  static String optionalText(JsonNode node, String name) {
    if (absent(node)) {
      return null;
    }
    if (!node.isTextual()) {
      throw badRequest(name + " must be a string");
    }
    return node.textValue();
  }

  static HostException badRequest(String message) {
    return new HostException(ErrorCode.BAD_REQUEST, message);
  }

  /**
   * Replaces bin values by text when they are valid UTF-8 (old "raw" encoders sent text that
   * way); any other bin value is refused, since no field of the protocol carries bytes.
   */
  static JsonNode binToText(JsonNode node) {
    if (node.isBinary()) {
      return NODES.textNode(utf8(binary(node)));
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> names = new ArrayList<>(object.size());
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (value.isBinary() || value.isContainerNode()) {
          object.set(name, binToText(value));
        }
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isBinary() || value.isContainerNode()) {
          array.set(i, binToText(value));
        }
      }
    }
    return node;
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      throw badRequest("unreadable bin value");
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw badRequest("bin values are not accepted (send text as MessagePack str)");
    }
  }
}
