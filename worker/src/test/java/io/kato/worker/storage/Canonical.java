package io.kato.worker.storage;

import io.kato.engine.SessionConfig;
import io.kato.engine.StoredPattern;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deep, bit-exact, order-sensitive view of stored values for assertions: doubles by their bits
 * (NaN canonical, {@code -0.0} distinct from {@code 0.0}), integers of any Java type by their
 * value (the stored form keeps the integer kind, not the boxed class), maps as ordered entry
 * lists, records by their components, arrays as lists. A pattern's {@code symbols} count only by
 * length (their ids belong to the interning knowledge base).
 */
final class Canonical {
  private Canonical() {}

  static Object of(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double || value instanceof Float) {
      return "d:" + Long.toHexString(Double.doubleToLongBits(((Number) value).doubleValue()));
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return "i:" + value;
    }
    if (value instanceof String) {
      return "s:" + value;
    }
    if (value instanceof Boolean || value instanceof Enum) {
      return "b:" + value;
    }
    if (value instanceof Instant) {
      return "t:" + value;
    }
    if (value instanceof double[]) {
      List<Object> out = new ArrayList<>();
      for (double d : (double[]) value) {
        out.add(of(d));
      }
      return out;
    }
    if (value instanceof int[]) {
      List<Object> out = new ArrayList<>();
      for (int i : (int[]) value) {
        out.add(of(i));
      }
      return out;
    }
    if (value instanceof SessionConfig) {
      return List.of("config", of(((SessionConfig) value).overrides()));
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object item : (List<?>) value) {
        out.add(of(item));
      }
      return out;
    }
    if (value instanceof Map) {
      List<Object> out = new ArrayList<>();
      out.add("map");
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.add(List.of(of(entry.getKey()), of(entry.getValue())));
      }
      return out;
    }
    if (value instanceof Record) {
      List<Object> out = new ArrayList<>();
      out.add(value.getClass().getSimpleName());
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        Object field;
        try {
          field = component.getAccessor().invoke(value);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
        if (value instanceof StoredPattern && component.getName().equals("symbols")) {
          out.add(List.of("symbols", ((int[]) field).length));
        } else {
          out.add(List.of(component.getName(), of(field)));
        }
      }
      return out;
    }
    throw new IllegalArgumentException("no canonical form for " + value.getClass());
  }
}
