package io.kato.common.json;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping between JSON trees and the plain Java values the engine uses (String, Boolean,
 * Long/BigInteger, Double, List, Map, null), in one place.
 *
 * <p>Number kinds survive the round trip: an integer token becomes a Long (BigInteger beyond 64
 * bits) and a float token a Double, so {@code 1} and {@code 1.0} stay distinguishable, as KATO
 * clients and gene echoing require. Objects keep their key order.
 */
public final class JsonValues {
  private JsonValues() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /**
   * Writes API response bodies, whoever renders them (the gateway, or a worker rendering
   * predictions for the gateway to pass on): non-ASCII raw (API.md 1.2), including characters
   * outside the BMP, which Jackson's UTF-8 generator would otherwise write as two escaped
   * surrogates; doubles in the shortest round-trip form (Schubfach, as Python's repr).
   */
  private static final ObjectWriter RESPONSE_WRITER = MAPPER.writer()
      .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .with(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());

  /** The writer of every API response body (see {@link #RESPONSE_WRITER}). */
  public static ObjectWriter responseWriter() {
    return RESPONSE_WRITER;
  }

  /** The shared mapper: floats as doubles (never BigDecimal), integers as int/long/BigInteger. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static Object toJava(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        list.add(toJava(item));
      }
      return Collections.unmodifiableList(list);
    }
    if (node.isObject()) {
      return toJavaMap((ObjectNode) node);
    }
    throw new IllegalArgumentException("unsupported JSON node " + node.getNodeType());
  }

  public static Map<String, Object> toJavaMap(ObjectNode node) {
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      map.put(field.getKey(), toJava(field.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  /** A JSON tree of a Java value; Doubles always become float nodes, integers integer nodes. */
  public static JsonNode toJson(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode) {
      return (JsonNode) value;
    }
    if (value instanceof String) {
      return NODES.textNode((String) value);
    }
    if (value instanceof Boolean) {
      return NODES.booleanNode((Boolean) value);
    }
    if (value instanceof Double || value instanceof Float) {
      return NODES.numberNode(((Number) value).doubleValue());
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return NODES.numberNode(((Number) value).longValue());
    }
    if (value instanceof BigInteger) {
      return NODES.numberNode((BigInteger) value);
    }
    if (value instanceof BigDecimal) {
      return NODES.numberNode(((BigDecimal) value).doubleValue());
    }
    if (value instanceof double[]) {
      ArrayNode array = NODES.arrayNode();
      for (double d : (double[]) value) {
        array.add(d);
      }
      return array;
    }
    if (value instanceof Iterable) {
      ArrayNode array = NODES.arrayNode();
      for (Object item : (Iterable<?>) value) {
        array.add(toJson(item));
      }
      return array;
    }
    if (value instanceof Map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        object.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
      }
      return object;
    }
    throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
  }
}
