package io.kato.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's gene overrides, exactly as the client sent them: values keep their JSON type
 * (ENGINE.md Q-37: an integer {@code 1} for {@code recall_threshold} is echoed as {@code 1}).
 * Values are plain Java JSON values: String, Boolean, Integer/Long/BigInteger, Double, List,
 * Map. Immutable; {@link Genes#apply} derives a new instance.
 */
public final class SessionConfig {
  public static final SessionConfig EMPTY = new SessionConfig(Map.of());

  private final Map<String, Object> overrides;

  private SessionConfig(Map<String, Object> overrides) {
    this.overrides = overrides;
  }

  static SessionConfig of(LinkedHashMap<String, Object> overrides) {
    return overrides.isEmpty() ? EMPTY : new SessionConfig(Collections.unmodifiableMap(overrides));
  }

  /** The raw override, or null when the session did not set the key. */
  public Object get(String key) {
    return overrides.get(key);
  }

  public boolean isSet(String key) {
    return overrides.containsKey(key);
  }

  /** The overrides in the order they were first set. */
  public Map<String, Object> overrides() {
    return overrides;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionConfig && ((SessionConfig) o).overrides.equals(overrides);
  }

  @Override
  public int hashCode() {
    return overrides.hashCode();
  }

  @Override
  public String toString() {
    return "SessionConfig" + overrides;
  }
}
