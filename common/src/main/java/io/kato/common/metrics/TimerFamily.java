package io.kato.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One timer name with fixed tag keys, its timers kept by tag values. Registering a timer builds
 * and sorts its tags on every call; a request path records once per request, so it looks the
 * timer up here instead.
 */
public final class TimerFamily {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final List<String> tagKeys;
  private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

  public TimerFamily(MeterRegistry registry, String name, String description, String... tagKeys) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.tagKeys = List.of(tagKeys);
  }

  /** Records {@code nanos} on the timer of these tag values, given in the order of the keys. */
  public void record(long nanos, String... tagValues) {
    if (tagValues.length != tagKeys.size()) {
      throw new IllegalArgumentException(name + " takes " + tagKeys.size() + " tag values, got " + tagValues.length);
    }
    timers.computeIfAbsent(Arrays.asList(tagValues), this::register).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer register(List<String> tagValues) {
    Tags tags = Tags.empty();
    for (int i = 0; i < tagKeys.size(); i++) {
      tags = tags.and(tagKeys.get(i), tagValues.get(i));
    }
    return Timer.builder(name).description(description).tags(tags).register(registry);
  }
}
