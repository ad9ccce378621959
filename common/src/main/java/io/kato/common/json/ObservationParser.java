package io.kato.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import io.kato.common.Limits;

/**
 * Validates an observation body ({@code strings}, {@code vectors}, {@code emotives}, {@code
 * metadata}) with pydantic's lax rules (API.md §1.2, §2.3.1) and collects every issue, with
 * {@code loc} paths starting at {@code prefix} (e.g. {@code ["body"]} or {@code ["body",
 * "observations", 2]}). Unknown fields are ignored.
 */
public final class ObservationParser {
  private ObservationParser() {}

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  /** @throws RequestValidationException with every issue of the body */
  public static ParsedObservation parse(JsonNode body, List<Object> prefix, Limits limits) {
    List<ValidationIssue> issues = new ArrayList<>();
    ParsedObservation parsed = parse(body, prefix, issues);
    if (issues.isEmpty()) {
      checkLimits(parsed, prefix, limits, issues);
    }
    if (!issues.isEmpty()) {
      throw new RequestValidationException(issues);
    }
    return parsed;
  }

  /**
   * Checks an observation that did not come through JSON (gRPC, MessagePack): finite numbers and
   * the limits.
   *
   * @throws RequestValidationException with every issue
   */
  public static void validate(ParsedObservation observation, List<Object> prefix, Limits limits) {
    List<ValidationIssue> issues = new ArrayList<>();
    for (int i = 0; i < observation.vectors().size(); i++) {
      double[] vector = observation.vectors().get(i);
      for (int j = 0; j < vector.length; j++) {
        if (!Double.isFinite(vector[j])) {
          issues.add(ValidationIssue.of(IssueType.FINITE_NUMBER, path(path(path(prefix, "vectors"), i), j), vector[j]));
        }
      }
    }
    observation.emotives().forEach((key, value) -> {
      if (!Double.isFinite(value)) {
        issues.add(ValidationIssue.of(IssueType.FINITE_NUMBER, path(path(prefix, "emotives"), key), value));
      }
    });
    checkLimits(observation, prefix, limits, issues);
    if (!issues.isEmpty()) {
      throw new RequestValidationException(issues);
    }
  }

  /** The size limits of API.md §1.6 ({@code too_long}). */
  static void checkLimits(ParsedObservation o, List<Object> prefix, Limits limits, List<ValidationIssue> issues) {
    tooLong(issues, path(prefix, "strings"), o.strings().size(), limits.maxSymbolsPerEvent(), "List", "items");
    for (int i = 0; i < o.strings().size(); i++) {
      String s = o.strings().get(i);
      if (s.length() > limits.maxSymbolLength()) { // code points ≤ UTF-16 units: count only then
        tooLong(issues, path(path(prefix, "strings"), i), s.codePointCount(0, s.length()), limits.maxSymbolLength(),
            "String", "characters");
      }
    }
    tooLong(issues, path(prefix, "vectors"), o.vectors().size(), limits.maxVectorsPerEvent(), "List", "items");
    for (int i = 0; i < o.vectors().size(); i++) {
      tooLong(issues, path(path(prefix, "vectors"), i), o.vectors().get(i).length, limits.maxVectorDimension(),
          "List", "items");
    }
    tooLong(issues, path(prefix, "emotives"), o.emotives().size(), limits.maxEmotives(), "Dictionary", "items");
  }

  private static void tooLong(List<ValidationIssue> issues, List<Object> loc, int size, int max, String what,
      String unit) {
    if (size > max) {
      issues.add(new ValidationIssue("too_long", loc, what + " should have at most " + max + " " + unit,
          "<omitted: " + size + " " + unit + ">", Map.of("max_length", (long) max)));
    }
  }

  /** Parses into {@code issues}; the result is meaningful only when no issue was added. */
  public static ParsedObservation parse(JsonNode body, List<Object> prefix, List<ValidationIssue> issues) {
    if (body == null || !body.isObject()) {
      issues.add(ValidationIssue.of(IssueType.MODEL_ATTRIBUTES_TYPE, prefix, JsonValues.toJava(body)));
      return null;
    }
    List<String> strings = strings(body.get("strings"), path(prefix, "strings"), issues);
    List<double[]> vectors = vectors(body.get("vectors"), path(prefix, "vectors"), issues);
    Map<String, Double> emotives = emotives(body.get("emotives"), path(prefix, "emotives"), issues);
    Map<String, Object> metadata = metadata(body.get("metadata"), path(prefix, "metadata"), issues);
    return new ParsedObservation(strings, vectors, emotives, metadata);
  }

  private static List<String> strings(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      issues.add(ValidationIssue.of(IssueType.LIST_TYPE, loc, JsonValues.toJava(node)));
      return List.of();
    }
    List<String> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (item.isTextual()) {
        out.add(item.textValue());
      } else {
        issues.add(ValidationIssue.of(IssueType.STRING_TYPE, path(loc, i), JsonValues.toJava(item)));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static List<double[]> vectors(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      issues.add(ValidationIssue.of(IssueType.LIST_TYPE, loc, JsonValues.toJava(node)));
      return List.of();
    }
    List<double[]> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode vector = node.get(i);
      List<Object> vectorLoc = path(loc, i);
      if (!vector.isArray()) {
        issues.add(ValidationIssue.of(IssueType.LIST_TYPE, vectorLoc, JsonValues.toJava(vector)));
        continue;
      }
      double[] values = new double[vector.size()];
      for (int j = 0; j < vector.size(); j++) {
        values[j] = laxFloat(vector.get(j), path(vectorLoc, j), issues);
      }
      out.add(values);
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, Double> emotives(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      issues.add(ValidationIssue.of(IssueType.DICT_TYPE, loc, JsonValues.toJava(node)));
      return Map.of();
    }
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.put(field.getKey(), laxFloat(field.getValue(), path(loc, field.getKey()), issues));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, Object> metadata(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      issues.add(ValidationIssue.of(IssueType.DICT_TYPE, loc, JsonValues.toJava(node)));
      return Map.of();
    }
    return JsonValues.toJavaMap((com.fasterxml.jackson.databind.node.ObjectNode) node);
  }

  /**
   * pydantic's lax float: numbers, numeric strings and booleans; never NaN or infinity [ext].
   * Integer tokens convert exactly like Python's {@code float(int)} (round half even).
   */
  static double laxFloat(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    double value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue().doubleValue();
    } else if (node.isNumber()) {
      value = node.doubleValue();
    } else if (node.isBoolean()) {
      value = node.booleanValue() ? 1.0 : 0.0;
    } else if (node.isTextual()) {
      String text = node.textValue().trim();
      if (NON_FINITE.matcher(text).matches()) {
        issues.add(ValidationIssue.of(IssueType.FINITE_NUMBER, loc, node.textValue()));
        return 0.0;
      }
      if (!DECIMAL.matcher(text).matches()) {
        issues.add(ValidationIssue.of(IssueType.FLOAT_PARSING, loc, node.textValue()));
        return 0.0;
      }
      value = Double.parseDouble(text);
    } else {
      issues.add(ValidationIssue.of(IssueType.FLOAT_TYPE, loc, JsonValues.toJava(node)));
      return 0.0;
    }
    if (!Double.isFinite(value)) {
      issues.add(ValidationIssue.of(IssueType.FINITE_NUMBER, loc, JsonValues.toJava(node)));
      return 0.0;
    }
    return value;
  }

  private static List<Object> path(List<Object> prefix, Object next) {
    List<Object> out = new ArrayList<>(prefix.size() + 1);
    out.addAll(prefix);
    out.add(next);
    return out;
  }
}
