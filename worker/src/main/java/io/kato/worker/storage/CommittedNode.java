package io.kato.worker.storage;

import io.kato.engine.NamedVector;
import java.util.Arrays;
import java.util.List;

/**
 * What a durable store remembers about a node it wrote, so that a commit needs no reads: whether
 * the node row exists, and the deferred-vector list last written.
 *
 * <p>Why the deferred list: {@link NodeChanges#deferredVectors()} is the whole list, but an
 * observe almost always just appends one vector to it. Comparing with the list last committed
 * lets the store write only the new tail (one record) instead of the whole list, and a learn
 * (which empties the list) delete exactly the rows it had. The cache is filled by {@link
 * NodeStore#load} and by commits; a node the store has not seen yet is rewritten whole once.
 * It is only valid because a node has a single writer (the owning worker, which loads a node
 * before changing it).
 *
 * <p>Accessed by one node lane at a time (see {@link NodeStore}); the fields are volatile so a
 * lane that moves between threads sees the last values.
 */
final class CommittedNode {
  /** The node's meta row/key is known to exist. */
  volatile boolean registered;
  /** The deferred list as last committed, or null when unknown. */
  volatile List<NamedVector> deferredVectors;
  /** RocksDB only: the next insertion ordinal of an indexed vector. */
  volatile long nextVectorOrdinal;

  /**
   * The index from which {@code next} only appends to the committed list, or -1 when the list
   * must be rewritten (unknown, shrunk, or changed in the middle).
   */
  static int appendFrom(List<NamedVector> committed, List<NamedVector> next) {
    if (committed == null || next.size() < committed.size()) {
      return -1;
    }
    for (int i = 0; i < committed.size(); i++) {
      NamedVector a = committed.get(i);
      NamedVector b = next.get(i);
      if (a != b && !(a.name().equals(b.name()) && Arrays.equals(a.values(), b.values()))) {
        return -1;
      }
    }
    return committed.size();
  }
}
