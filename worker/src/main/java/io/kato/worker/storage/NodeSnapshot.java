package io.kato.worker.storage;

import io.kato.engine.NamedVector;
import io.kato.engine.StoredPattern;
import java.util.List;
import java.util.Map;

/**
 * A node's durable state as loaded at start-up or hand-over.
 *
 * @param patterns every pattern, ordered by {@link StoredPattern#sequence()} (its {@code symbols}
 *     array is not meaningful here: the loading knowledge base interns the events again; durable
 *     stores return an array of the right length filled with -1)
 * @param affinities symbol → emotive → running sum
 * @param vectors the indexed vectors in insertion order
 * @param vectorDimension the dimension lock, or -1
 * @param deferredVectors vectors observed since the last learn
 * @param sessions the node's sessions (expired ones may be included; callers drop them)
 */
public record NodeSnapshot(
    List<StoredPattern> patterns,
    Map<String, Map<String, Double>> affinities,
    List<NamedVector> vectors,
    int vectorDimension,
    List<NamedVector> deferredVectors,
    List<SessionRecord> sessions) {

  public static NodeSnapshot empty() {
    return new NodeSnapshot(List.of(), Map.of(), List.of(), -1, List.of(), List.of());
  }
}
