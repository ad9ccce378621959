package io.kato.worker.storage;

import io.kato.engine.NamedVector;
import io.kato.engine.StoredPattern;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one operation changed on one node: written by {@link NodeStore#commit} atomically
 * and durably before the operation is acknowledged (one RocksDB write batch with a synced WAL,
 * or one PostgreSQL transaction).
 *
 * @param clearAll the knowledge base was wiped first (clear-all): delete every pattern,
 *     affinity, vector, the dimension lock and the deferred vectors of the node before applying
 *     the rest
 * @param patterns pattern records to upsert by name (new or re-learned, or with new metrics)
 * @param affinities symbol → its whole affinity map after the operation (upsert)
 * @param indexedVectors vectors added to the index (upsert by name)
 * @param vectorDimension the index's dimension lock after the operation, or -1 when unset. Only
 *     clear-all and indexing vectors change it, so stores read it only when {@code clearAll} is
 *     set or {@code indexedVectors} is non-empty (a sessions-only commit may pass anything)
 * @param deferredVectors the node's complete deferred-vector list after the operation, or null
 *     when it did not change
 * @param sessionsPut session records to upsert
 * @param sessionsDeleted session ids to delete (after the puts)
 */
public record NodeChanges(
    boolean clearAll,
    List<StoredPattern> patterns,
    Map<String, Map<String, Double>> affinities,
    List<NamedVector> indexedVectors,
    int vectorDimension,
    List<NamedVector> deferredVectors,
    List<SessionRecord> sessionsPut,
    List<String> sessionsDeleted) {

  public NodeChanges {
    Objects.requireNonNull(patterns, "patterns");
    Objects.requireNonNull(affinities, "affinities");
    Objects.requireNonNull(indexedVectors, "indexedVectors");
    Objects.requireNonNull(sessionsPut, "sessionsPut");
    Objects.requireNonNull(sessionsDeleted, "sessionsDeleted");
  }

  /** A commit that only writes and deletes sessions. */
  public static NodeChanges sessions(List<SessionRecord> put, List<String> deleted) {
    return new NodeChanges(false, List.of(), Map.of(), List.of(), -1, null, put, deleted);
  }

  /** These knowledge-base changes plus session writes (e.g. a drained operation and its session). */
  public NodeChanges withSessions(List<SessionRecord> put, List<String> deleted) {
    return new NodeChanges(clearAll, patterns, affinities, indexedVectors, vectorDimension, deferredVectors,
        put, deleted);
  }

  public boolean isEmpty() {
    return !clearAll && patterns.isEmpty() && affinities.isEmpty() && indexedVectors.isEmpty()
        && deferredVectors == null && sessionsPut.isEmpty() && sessionsDeleted.isEmpty();
  }
}
