package io.kato.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One observation as the engine receives it (ENGINE.md §2.1): the REST layer has already
 * validated the shape and coerced vector components and emotive values to doubles.
 *
 * @param strings symbols, in the order received (the node may sort them)
 * @param vectors each inner array is one vector; all of one observation are summed
 * @param emotives emotive name → value, in the order received
 * @param metadata arbitrary JSON values (String, Boolean, Integer/Long/BigInteger, Double, List,
 *     Map, null), in the order received
 * @param uniqueId the observation id the caller generated ({@code obs-…})
 */
public record Observation(
    List<String> strings,
    List<double[]> vectors,
    Map<String, Double> emotives,
    Map<String, Object> metadata,
    String uniqueId) {

  public Observation {
    strings = List.copyOf(strings);
    vectors = List.copyOf(vectors);
    emotives = JsonValues.orderedCopy(emotives);
    metadata = JsonValues.orderedCopy(metadata);
    Objects.requireNonNull(uniqueId, "uniqueId");
  }

  public static Observation ofStrings(String... strings) {
    return new Observation(List.of(strings), List.of(), Map.of(), Map.of(), "obs-local");
  }

  boolean appendsEvent() {
    return !strings.isEmpty() || !vectors.isEmpty();
  }
}
