package io.kato.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for the immutable, insertion-ordered collections the engine hands out. */
final class JsonValues {
  private JsonValues() {}

  /** An unmodifiable copy that keeps insertion order and tolerates null values. */
  static <V> Map<String, V> orderedCopy(Map<String, V> map) {
    if (map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <T> List<T> append(List<T> list, T item) {
    List<T> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(item);
    return Collections.unmodifiableList(out);
  }

  /** The last {@code max} entries (all when fewer), unmodifiable. */
  static <T> List<T> lastEntries(List<T> list, int max) {
    if (list.size() <= max) {
      return list;
    }
    return Collections.unmodifiableList(new ArrayList<>(list.subList(list.size() - max, list.size())));
  }
}
