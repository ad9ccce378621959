package io.kato.common.proto;

import io.kato.proto.v1.ListValue;
import io.kato.proto.v1.MapEntry;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.NullValue;
import io.kato.proto.v1.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping between plain Java JSON values (String, Boolean, Long/BigInteger, Double, List,
 * Map, null) and the kind-preserving {@code kato.v1.Value}: integers stay integers, floats stay
 * floats, objects keep their key order.
 */
public final class ProtoValues {
  private ProtoValues() {}

  public static Value toProto(Object value) {
    Value.Builder v = Value.newBuilder();
    if (value == null) {
      return v.setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof String) {
      return v.setStringValue((String) value).build();
    }
    if (value instanceof Boolean) {
      return v.setBoolValue((Boolean) value).build();
    }
    if (value instanceof Double || value instanceof Float) {
      return v.setDoubleValue(((Number) value).doubleValue()).build();
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return v.setIntValue(((Number) value).longValue()).build();
    }
    if (value instanceof BigInteger) {
      BigInteger big = (BigInteger) value;
      return big.bitLength() < 64 ? v.setIntValue(big.longValue()).build() : v.setBigIntValue(big.toString()).build();
    }
    if (value instanceof double[]) {
      ListValue.Builder list = ListValue.newBuilder();
      for (double d : (double[]) value) {
        list.addValues(Value.newBuilder().setDoubleValue(d));
      }
      return v.setListValue(list).build();
    }
    if (value instanceof Iterable) {
      ListValue.Builder list = ListValue.newBuilder();
      for (Object item : (Iterable<?>) value) {
        list.addValues(toProto(item));
      }
      return v.setListValue(list).build();
    }
    if (value instanceof Map) {
      return v.setMapValue(toProtoMap((Map<?, ?>) value)).build();
    }
    throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
  }

  public static MapValue toProtoMap(Map<?, ?> map) {
    MapValue.Builder out = MapValue.newBuilder();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.addEntries(MapEntry.newBuilder().setKey(String.valueOf(entry.getKey())).setValue(toProto(entry.getValue())));
    }
    return out.build();
  }

  public static Object toJava(Value value) {
    switch (value.getKindCase()) {
      case NULL_VALUE:
      case KIND_NOT_SET:
        return null;
      case BOOL_VALUE:
        return value.getBoolValue();
      case INT_VALUE:
        return value.getIntValue();
      case BIG_INT_VALUE:
        return new BigInteger(value.getBigIntValue());
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      case STRING_VALUE:
        return value.getStringValue();
      case LIST_VALUE: {
        List<Object> list = new ArrayList<>(value.getListValue().getValuesCount());
        for (Value item : value.getListValue().getValuesList()) {
          list.add(toJava(item));
        }
        return Collections.unmodifiableList(list);
      }
      case MAP_VALUE:
        return toJavaMap(value.getMapValue());
      default:
        throw new IllegalArgumentException("unknown value kind " + value.getKindCase());
    }
  }

  /** Entries in order; a repeated key keeps its first position and takes the last value. */
  public static Map<String, Object> toJavaMap(MapValue map) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (MapEntry entry : map.getEntriesList()) {
      out.put(entry.getKey(), toJava(entry.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }
}
