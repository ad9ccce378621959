package io.kato.worker.host;

import io.kato.common.ErrorCode;
import io.kato.engine.Processor;
import io.kato.worker.storage.ChangeRecordingKnowledgeBase;
import io.kato.worker.storage.NodeChanges;
import io.kato.worker.storage.NodeSnapshot;
import io.kato.worker.storage.NodeStore;
import io.kato.worker.storage.SessionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One node on this worker: its engine, its sessions, its lane and its epoch. Loaded from the
 * store by the first task on its lane; everything that changes it runs on that lane.
 *
 * <p>Client calls ({@link #mutate}, {@link #read}) are accesses: they set {@code last_accessed}
 * and count in {@code access_count} (the worker's node listing, API.md §2.5.2). Lookups, pings
 * and housekeeping run {@link #quietly} and leave both alone, so probing a node does not make
 * it look busy.
 */
final class HostedNode {
  final String kbId;
  /** When this worker took the node in. */
  final Instant createdAt;
  final ConcurrentHashMap<String, SessionRecord> sessions = new ConcurrentHashMap<>();
  private final HostOptions options;
  private final NodeStore store;
  private final Clock clock;
  private final SerialLane lane;
  private final Map<String, String> sessionIndex;
  /** Results of recent mutations by request id, so a retried mutation is applied once. */
  private final LinkedHashMap<String, Object> recentResults;
  /** Changes of this lane run's operations, not yet durable (see {@link SerialLane}). */
  private final List<NodeChanges> staged = new ArrayList<>();
  /** A flush that failed inside a task (hand-over, reload): the run's other answers fail too. */
  private RuntimeException failedFlush;
  /** Loaded by the task running now (cleared after every task): its memory is the store's. */
  private boolean freshLoad;
  private volatile boolean loaded;
  private volatile Instant lastAccessed;
  private final AtomicLong accessCount = new AtomicLong();
  /** A raw node id that maps to this kb id (the last one a call named), or null before any. */
  private volatile String nodeId;
  volatile long epoch;
  /** Volatile only for {@link #memoizedPredictions} (metrics read it from other threads). */
  volatile Processor processor;
  ChangeRecordingKnowledgeBase kb;
  /** Memo hits of processors this node has dropped (an unload starts a new processor). */
  private final AtomicLong retiredMemoHits = new AtomicLong();

  HostedNode(String kbId, HostOptions options, NodeStore store, Clock clock, Executor executor,
      Map<String, String> sessionIndex) {
    this.kbId = kbId;
    this.options = options;
    this.store = store;
    this.clock = clock;
    this.lane = new SerialLane(executor, options.maxPendingPerNode(), new SerialLane.Staging() {
      @Override
      public boolean hasStaged() {
        return !staged.isEmpty() || failedFlush != null;
      }

      @Override
      public void flush() {
        RuntimeException earlier = failedFlush;
        failedFlush = null;
        if (earlier != null) {
          // a flush inside a task of this run failed: what the run staged before it is lost, and
          // what it staged after rests on a reloaded node; none of it is answered as done
          staged.clear();
          unload();
          throw earlier;
        }
        try {
          flushStaged();
        } finally {
          failedFlush = null;
        }
      }
    });
    this.sessionIndex = sessionIndex;
    this.createdAt = clock.instant();
    this.lastAccessed = createdAt;
    int capacity = options.requestIdsPerNode();
    this.recentResults = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
        return size() > capacity;
      }
    };
  }

  boolean isLoaded() {
    return loaded;
  }

  Instant lastAccessed() {
    return lastAccessed;
  }

  long accessCount() {
    return accessCount.get();
  }

  /** The raw node id to show for this node: the last one named, else the kb id. */
  String nodeId() {
    String named = nodeId;
    return named != null ? named : kbId;
  }

  void nameAs(String rawNodeId) {
    nodeId = rawNodeId;
  }

  private void touch() {
    lastAccessed = clock.instant();
    accessCount.incrementAndGet();
  }

  /** Runs a mutation on the lane; a repeated request id returns the first result. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> mutate(CallMeta meta, Supplier<T> body) {
    touch();
    return lane.submit(() -> {
      if (meta.expired()) {
        throw new HostException(ErrorCode.GATEWAY_TIMEOUT, "The call's deadline passed before its work started; "
            + "nothing was applied");
      }
      try {
        ensureLoaded();
        String requestId = meta.requestId();
        if (!requestId.isEmpty() && recentResults.containsKey(requestId)) {
          return (T) recentResults.get(requestId);
        }
        T result = body.get();
        if (!requestId.isEmpty()) {
          recentResults.put(requestId, result);
        }
        return result;
      } finally {
        freshLoad = false;
      }
    });
  }

  /** Runs a read on the lane, after the pending writes. */
  <T> CompletableFuture<T> read(Supplier<T> body) {
    touch();
    return quietly(body);
  }

  /** Runs a task on the lane without loading the node first (hand-over). */
  <T> CompletableFuture<T> onLane(Supplier<T> body) {
    return lane.submit(body);
  }

  /** Runs a task on the lane, after the pending writes, without counting as an access. */
  <T> CompletableFuture<T> quietly(Supplier<T> body) {
    return lane.submit(() -> {
      try {
        ensureLoaded();
        return body.get();
      } finally {
        freshLoad = false;
      }
    });
  }

  /**
   * Fences calls from an older assignment; adopts a newer epoch. On the lane. With a shared
   * store a newer epoch means another worker may have owned the node meanwhile (API.md §6.4
   * hand-over), so the node is reloaded from the store before the call reads it.
   */
  void checkEpoch(CallMeta meta) {
    if (meta.epoch() <= 0) {
      return;
    }
    refuseOlder(meta);
    // memory loaded by an earlier task may be older than the store, when other workers write it:
    // after a newer assignment, or when it was loaded unfenced (a lookup, epoch 0)
    if (meta.epoch() > epoch && store.shared() && loaded && !freshLoad) {
      flushStaged();
      unload();
      ensureLoaded();
    }
    epoch = meta.epoch();
  }

  /** STALE_EPOCH for a call of an assignment older than the node's (epoch 0 = unfenced). */
  private void refuseOlder(CallMeta meta) {
    if (meta.epoch() > 0 && meta.epoch() < epoch) {
      throw new HostException(ErrorCode.STALE_EPOCH, "epoch " + meta.epoch() + " is older than the node's epoch "
          + epoch, Map.of("node_epoch", epoch, "request_epoch", meta.epoch()));
    }
  }

  /**
   * {@code release_node}: the old owner's half of a hand-over. Makes everything durable, takes
   * the new assignment's epoch (so calls of the old one are fenced from now on) and drops the
   * node from memory; a later call with a newer epoch loads it again from the store. On the lane.
   */
  void release(CallMeta meta) {
    refuseOlder(meta);
    flushStaged();
    unload();
    epoch = Math.max(epoch, meta.epoch());
  }

  /** {@code acquire_node}: the new owner's half: load the node as the store has it now. On the lane. */
  void acquire(CallMeta meta) {
    refuseOlder(meta);
    flushStaged();
    unload();
    ensureLoaded();
    epoch = Math.max(epoch, meta.epoch());
  }

  /** Stores the session with the knowledge-base changes of the current operation, durably. */
  void commitSession(SessionRecord record) {
    commit(record, null);
    sessions.put(record.sessionId(), record);
  }

  void deleteSession(String sessionId) {
    commit(null, sessionId);
    sessions.remove(sessionId);
  }

  /** Stages this operation's changes; the lane flushes them (group commit) before it answers. */
  private void commit(SessionRecord put, String deleted) {
    NodeChanges kbChanges = kb.drainChanges();
    NodeChanges changes = new NodeChanges(kbChanges.clearAll(), kbChanges.patterns(), kbChanges.affinities(),
        kbChanges.indexedVectors(), kbChanges.vectorDimension(), kbChanges.deferredVectors(),
        put == null ? List.of() : List.of(put), deleted == null ? List.of() : List.of(deleted));
    if (changes.isEmpty()) {
      return;
    }
    if (!store.groupsCommits()) {
      // one operation, one atomic commit: a failed commit of a later operation cannot take an
      // already stored earlier one with it (its retry would apply it twice)
      try {
        store.commit(kbId, changes);
      } catch (RuntimeException e) {
        unload();
        throw e;
      }
      return;
    }
    staged.add(changes);
  }

  /**
   * One durable write of everything staged since the last flush. When it fails, the memory is
   * ahead of the store: the node is unloaded (the next task reloads what is durable) and the
   * remembered request ids are dropped, so a retry is applied again rather than answered from
   * a result that was never stored.
   */
  private void flushStaged() {
    if (staged.isEmpty()) {
      return;
    }
    List<NodeChanges> batch = List.copyOf(staged);
    staged.clear();
    try {
      store.commitAll(kbId, batch);
    } catch (RuntimeException e) {
      unload();
      failedFlush = e;
      throw e;
    }
  }

  /** Drops the node's memory (state, sessions, remembered results); the next task reloads it. */
  private void unload() {
    loaded = false;
    sessions.clear();
    recentResults.clear();
    kb = null;
    Processor dropped = processor;
    if (dropped != null) {
      retiredMemoHits.addAndGet(dropped.memoizedPredictions());
    }
    processor = null;
  }

  /** Predictions this node answered from its memo instead of searching, since it was first loaded. */
  long memoizedPredictions() {
    Processor current = processor;
    return retiredMemoHits.get() + (current == null ? 0 : current.memoizedPredictions());
  }

  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    freshLoad = true;
    NodeSnapshot snapshot = store.load(kbId);
    kb = ChangeRecordingKnowledgeBase.restore(snapshot);
    processor = new Processor(options.nodeDefaults(), kb, options.predictionMemoSize());
    Instant now = clock.instant();
    for (SessionRecord record : snapshot.sessions()) {
      if (!record.expiredAt(now)) {
        sessions.put(record.sessionId(), record);
        sessionIndex.put(record.sessionId(), kbId);
        if (nodeId == null) {
          nodeId = record.nodeId();
        }
      }
    }
    loaded = true;
  }

  int pending() {
    return lane.pending();
  }
}
