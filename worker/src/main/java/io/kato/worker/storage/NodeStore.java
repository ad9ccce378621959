package io.kato.worker.storage;

import java.util.List;
import java.util.Optional;

/**
 * Durable storage of nodes (knowledge bases) and their sessions: the storage SPI. Three
 * implementations exist, and one compatibility kit of tests runs against each: in-memory
 * (tests), RocksDB (the embedded default: one data directory per worker) and PostgreSQL
 * (shared; schema created or migrated on start).
 *
 * <p>The working set of a node lives in memory ({@code InMemoryKnowledgeBase}); a store only
 * persists changes and loads a node back. Every method may be called from any thread; calls for
 * one node are never concurrent (the worker serialises a node's mutations on its lane).
 *
 * <p>A worker {@link #load}s a node before it commits to it (after start-up or a hand-over):
 * durable stores remember a little per node from the load (see {@code CommittedNode}) so that
 * commits need no reads. The compatibility kit is {@code NodeStoreContractTest} in the tests.
 */
public interface NodeStore extends AutoCloseable {

  /** The node's durable state; {@link NodeSnapshot#empty()} for an unknown node. */
  NodeSnapshot load(String kbId);

  /**
   * Applies one operation's changes atomically; returns only when they are durable. Empty
   * changes are a no-op. Session records are indexed under their own {@link SessionRecord#kbId()}.
   *
   * @throws NodeStoreException when the changes could not be written; none of them is then
   *     applied, and the node's in-memory state is ahead of the store (reload it)
   */
  void commit(String kbId, NodeChanges changes);

  /**
   * Group commit: applies several operations' changes in order and returns when all are
   * durable. A store that can write them with one durable write (RocksDB: one WriteBatch, one
   * WAL sync) does; this default commits them one by one. On failure some prefix of them may be
   * applied; the caller acknowledged none of them and reloads the node.
   */
  default void commitAll(String kbId, List<NodeChanges> batch) {
    // not atomic: callers that stage operations use it only where groupsCommits() is true
    for (NodeChanges changes : batch) {
      commit(kbId, changes);
    }
  }

  /** One session by id, from any node (for routing after a restart). */
  Optional<SessionRecord> session(String sessionId);

  /**
   * Whether the node has durable state (it is in {@link #nodeIds()}). Unlike {@link #load} it
   * leaves the store's per-node memory alone, so it may run while the node's lane commits: the
   * worker asks it before reading a node it has not loaded, to answer for an unknown node without
   * taking it in.
   */
  boolean contains(String kbId);

  /**
   * Ids of every node with durable state, sorted, for start-up: a node is listed from its first
   * non-empty commit on, also after a clear-all.
   */
  List<String> nodeIds();

  /** Short name for logs and status: {@code memory}, {@code rocksdb}, {@code postgres}. */
  String kind();

  /**
   * Whether other workers write the same store (PostgreSQL): a node may then have been changed
   * elsewhere since this worker loaded it, and is reloaded when its ownership changes.
   */
  default boolean shared() {
    return false;
  }

  /**
   * Whether {@link #commitAll} writes a batch atomically with one durable write, so a worker may
   * stage several operations and flush them together (group commit). Otherwise each operation is
   * committed on its own.
   */
  default boolean groupsCommits() {
    return false;
  }

  @Override
  void close();
}
