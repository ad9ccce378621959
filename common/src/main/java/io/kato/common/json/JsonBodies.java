package io.kato.common.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses request bodies the way API.md §1.2 prescribes: {@code json_invalid} with the character
 * offset for malformed JSON, and {@code finite_number} for the NaN/Infinity literals that
 * Python's parser accepts but that could never be written back as JSON.
 */
public final class JsonBodies {
  private JsonBodies() {}

  private static final ObjectMapper LENIENT_NUMBERS = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  /** Jackson's "(start marker at [Source: ...])" suffix, not part of the parser message. */
  private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[Source:.*?\\]\\)");
  /** Jackson reports an unrecognized token at its end; Python at its start. */
  private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '(.*)': was expecting");

  /**
   * The body as a JSON tree.
   *
   * @throws RequestValidationException for malformed JSON or a non-finite number anywhere
   */
  public static JsonNode parse(byte[] body, List<Object> prefix) {
    JsonNode tree;
    // parsed from characters, so that error offsets count characters as Python's do
    String text = new String(body, StandardCharsets.UTF_8);
    try (JsonParser parser = LENIENT_NUMBERS.createParser(text)) {
      tree = LENIENT_NUMBERS.readTree(parser);
      if (parser.nextToken() != null) {
        throw new RequestValidationException(List.of(invalid(prefix, offset(parser.currentTokenLocation(), ""),
            "Extra data")));
      }
    } catch (JsonProcessingException e) {
      String message = parserMessage(e);
      throw new RequestValidationException(List.of(invalid(prefix, offset(e.getLocation(), message), message)));
    } catch (IOException e) {
      throw new RequestValidationException(List.of(invalid(prefix, 0, e.getMessage())));
    }
    if (tree == null || tree.isMissingNode()) {
      // only whitespace: Python reports the end of the text
      throw new RequestValidationException(List.of(invalid(prefix, text.length(), "Expecting value")));
    }
    List<ValidationIssue> issues = new ArrayList<>();
    findNonFinite(tree, new ArrayList<>(prefix), issues);
    if (!issues.isEmpty()) {
      throw new RequestValidationException(issues);
    }
    return tree;
  }

  /** The parser's message without Jackson's source-location suffixes (first line only). */
  private static String parserMessage(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "invalid JSON";
    }
    int cut = message.indexOf('\n');
    String first = cut < 0 ? message : message.substring(0, cut);
    return START_MARKER.matcher(first).replaceAll("").trim();
  }

  /**
   * The character offset Python's decoder would report: Jackson reports an unrecognized token
   * ({@code tru}, {@code x}) at its end, Python at its start.
   */
  private static long offset(JsonLocation location, String message) {
    long offset = location == null ? 0 : Math.max(0, location.getCharOffset() >= 0
        ? location.getCharOffset() : location.getByteOffset());
    Matcher token = UNRECOGNIZED.matcher(message);
    if (token.find()) {
      offset = Math.max(0, offset - token.group(1).length());
    }
    return offset;
  }

  private static ValidationIssue invalid(List<Object> prefix, long offset, String error) {
    List<Object> loc = new ArrayList<>(prefix);
    loc.add(offset);
    return new ValidationIssue(IssueType.JSON_INVALID.type(), loc, IssueType.JSON_INVALID.message(), Map.of(),
        Map.of("error", error == null ? "invalid JSON" : error));
  }

  private static void findNonFinite(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      issues.add(ValidationIssue.of(IssueType.FINITE_NUMBER, loc, String.valueOf(node.doubleValue())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        loc.add(i);
        findNonFinite(node.get(i), loc, issues);
        loc.remove(loc.size() - 1);
      }
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        loc.add(field.getKey());
        findNonFinite(field.getValue(), loc, issues);
        loc.remove(loc.size() - 1);
      }
    }
  }
}
