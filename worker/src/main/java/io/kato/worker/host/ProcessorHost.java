package io.kato.worker.host;

import io.kato.common.ErrorCode;
import io.kato.common.NodeIds;
import io.kato.common.json.ParsedObservation;
import io.kato.engine.Genes;
import io.kato.engine.Observation;
import io.kato.engine.PredictionResult;
import io.kato.engine.Processor;
import io.kato.engine.SessionConfig;
import io.kato.engine.SessionState;
import io.kato.engine.StoredPattern;
import io.kato.worker.storage.NodeStore;
import io.kato.worker.storage.SessionRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Hosts many nodes and their sessions in one worker: the operations every transport (gRPC,
 * ZeroMQ) calls, with v3 session semantics.
 *
 * <p>Design: each node has a {@link SerialLane}; every mutation of the node and of its sessions
 * runs on it, so one session's observations apply strictly in arrival order and a node has a
 * single writer. Each mutation commits its changes (knowledge base and session) to the {@link
 * NodeStore} before its future completes, so an acknowledged call survives a crash.
 * Predictions read the session on the lane (after its pending writes) and are computed on a
 * bounded CPU pool, concurrently with each other. Callers (event loops) never run engine work:
 * every method returns at once with a future. Queues are bounded; overload fails fast with
 * OVERLOADED.
 *
 * <p>Reads of a node a call names (patterns, symbols, status, ping) never take in a node that
 * has no durable state: the store is asked first ({@link NodeStore#contains}) and an unknown
 * node is answered as empty, so probing ids leaves nothing behind (API.md §3.1.3).
 */
public final class ProcessorHost implements AutoCloseable {
  private static final Pattern CLIENT_SESSION_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,256}");
  private static final String IMPLICIT_SESSION_PREFIX = "__node__:";

  private final HostOptions options;
  private final MeasuredNodeStore store;
  private final Clock clock;
  private final ThreadPoolExecutor laneExecutor;
  private final ThreadPoolExecutor predictionExecutor;
  private final ScheduledExecutorService sweeper;
  private final ConcurrentHashMap<String, HostedNode> nodes = new ConcurrentHashMap<>();
  /** session id → kb id, for routing session calls. */
  private final ConcurrentHashMap<String, String> sessionIndex = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final LongAdder observationsProcessed = new LongAdder();
  private final LongAdder patternsLearned = new LongAdder();
  private final LongAdder predictionsGenerated = new LongAdder();

  public ProcessorHost(HostOptions options, NodeStore store, Clock clock) {
    this.options = options;
    this.store = new MeasuredNodeStore(store);
    this.clock = clock;
    this.laneExecutor = new ThreadPoolExecutor(options.laneThreads(), options.laneThreads(), 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("kato-lane"));
    this.predictionExecutor = new ThreadPoolExecutor(options.predictionThreads(), options.predictionThreads(), 60,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(options.maxPendingPredictions()), daemonThreads("kato-predict"));
    this.sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreads("kato-sweeper"));
    long sweepMillis = options.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweepExpiredSessions, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  public HostOptions options() {
    return options;
  }

  public String storeKind() {
    return store.kind();
  }

  // ---- sessions -------------------------------------------------------------------------------

  /** A new session (or the existing one for a client-chosen id of the same node). */
  public CompletableFuture<SessionRecord> createSession(String nodeId, Map<String, ?> config,
      Map<String, Object> metadata, long ttlSeconds, String requestedId, CallMeta meta) {
    try {
      checkNodeId(nodeId);
      if (ttlSeconds < 0) {
        throw new HostException(ErrorCode.VALIDATION_ERROR, "ttl_seconds must be >= 0", Map.of("field", "ttl_seconds"));
      }
      if (!requestedId.isEmpty() && (!CLIENT_SESSION_ID.matcher(requestedId).matches()
          || requestedId.startsWith(IMPLICIT_SESSION_PREFIX))) {
        throw new HostException(ErrorCode.VALIDATION_ERROR,
            "session_id must be 1-256 characters of [A-Za-z0-9._:@-] and not start with __node__:",
            Map.of("field", "session_id"));
      }
      // validates strictly (CONFIG_VALIDATION_ERROR) before anything is queued
      SessionConfig sessionConfig = Genes.apply(SessionConfig.EMPTY, config, false);
      HostedNode node = nodeFor(nodeId);
      return node.mutate(meta, () -> {
        node.checkEpoch(meta);
        if (!requestedId.isEmpty()) {
          Optional<SessionRecord> existing = findSession(requestedId);
          if (existing.isPresent()) {
            if (existing.get().nodeId().equals(nodeId)) {
              return existing.get();
            }
            throw new HostException(ErrorCode.SESSION_EXISTS, "Session " + requestedId
                + " already exists for another node", Map.of("session_id", requestedId));
          }
        }
        Instant now = clock.instant();
        long ttl = ttlSeconds == 0 ? options.sessionTtl().toSeconds() : ttlSeconds;
        String id = requestedId.isEmpty() ? newSessionId(now) : requestedId;
        SessionRecord record = new SessionRecord(id, nodeId, node.kbId, now, now.plusSeconds(ttl), ttl,
            metadata, 0, SessionState.empty(sessionConfig));
        node.commitSession(record);
        sessionIndex.put(id, node.kbId);
        return record;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The id of the node's implicit session ({@code __node__:<node_id>}, API.md §1.10), created
   * empty on first use and again after it expired. Used by calls that name a node but no session
   * (legacy ZeroMQ, seed root routes).
   */
  public CompletableFuture<String> implicitSession(String nodeId, CallMeta meta) {
    try {
      checkNodeId(nodeId);
    } catch (HostException e) {
      return CompletableFuture.failedFuture(e);
    }
    String id = implicitSessionId(nodeId);
    HostedNode node = nodeFor(nodeId);
    // not an access by itself: the operation on the session that follows is one
    return node.quietly(() -> {
      node.checkEpoch(meta);
      SessionRecord existing = node.sessions.get(id);
      Instant now = clock.instant();
      if (existing == null || existing.expiredAt(now)) {
        long ttl = options.sessionTtl().toSeconds();
        node.commitSession(new SessionRecord(id, nodeId, node.kbId, now, now.plusSeconds(ttl), ttl, Map.of(), 0,
            SessionState.empty()));
        sessionIndex.put(id, node.kbId);
      }
      return id;
    });
  }

  /** The id of a node's implicit session. */
  public static String implicitSessionId(String nodeId) {
    return IMPLICIT_SESSION_PREFIX + nodeId;
  }

  /** Whether a session id names an implicit node session (not counted, no events). */
  public static boolean isImplicit(String sessionId) {
    return sessionId.startsWith(IMPLICIT_SESSION_PREFIX);
  }

  /** The session, as an access (slides its expiry with auto-extend). */
  public CompletableFuture<SessionRecord> getSession(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, false, (node, record) -> record);
  }

  /** Whether the session exists; never an access. Missing or expired → empty. */
  public CompletableFuture<Optional<SessionRecord>> findSessionQuietly(String sessionId) {
    return lookupNode(sessionId).thenCompose(node -> node == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : node.quietly(() -> Optional.ofNullable(node.sessions.get(sessionId))
            .filter(r -> !r.expiredAt(clock.instant()))));
  }

  /**
   * Result of {@link #lookupSession}.
   *
   * @param expired the record was found past its expiry (and removed by the lookup)
   * @param nodeId the session's raw node id ("" when unknown)
   */
  public record SessionLookup(boolean exists, boolean expired, String nodeId, String kbId) {
    static final SessionLookup UNKNOWN = new SessionLookup(false, false, "", "");
  }

  /**
   * Whether a session exists and on which node; never an access (no TTL slide, API.md §2.2.5).
   * A record found past its expiry is removed now and reported {@code expired} this once.
   */
  public CompletableFuture<SessionLookup> lookupSession(String sessionId) {
    return lookupNode(sessionId).thenCompose(node -> node == null
        ? CompletableFuture.completedFuture(SessionLookup.UNKNOWN)
        : node.quietly(() -> {
          SessionRecord record = node.sessions.get(sessionId);
          if (record == null) {
            return SessionLookup.UNKNOWN;
          }
          if (record.expiredAt(clock.instant())) {
            node.deleteSession(sessionId);
            sessionIndex.remove(sessionId);
            return new SessionLookup(false, true, record.nodeId(), record.kbId());
          }
          return new SessionLookup(true, false, record.nodeId(), record.kbId());
        }));
  }

  public CompletableFuture<SessionRecord> extendSession(String sessionId, long ttlSeconds, CallMeta meta) {
    if (ttlSeconds < 1) {
      return CompletableFuture.failedFuture(new HostException(ErrorCode.VALIDATION_ERROR,
          "ttl_seconds must be >= 1", Map.of("field", "ttl_seconds")));
    }
    return onSession(sessionId, meta, true, (node, record) -> {
      SessionRecord extended = record.withExpiry(clock.instant().plusSeconds(ttlSeconds));
      node.commitSession(extended);
      return extended;
    });
  }

  public CompletableFuture<Void> deleteSession(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      node.deleteSession(sessionId);
      sessionIndex.remove(sessionId);
      return null;
    });
  }

  /** Applies a gene update (validation of API.md §1.11; nothing applied on error). */
  public CompletableFuture<SessionRecord> updateConfig(String sessionId, Map<String, ?> update, CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      SessionRecord next = record.withState(node.processor.updateGenes(record.state(), update));
      node.commitSession(next);
      return next;
    });
  }

  /** The effective configuration of a session state. */
  public Map<String, Object> effectiveConfig(SessionState state) {
    return Genes.effectiveMap(state.config(), options.nodeDefaults());
  }

  // ---- session operations ---------------------------------------------------------------------

  /** Result of {@link #observe}. */
  /**
   * What an observe answers with. Kept apart from the session's new state on purpose: a node
   * remembers the results of its recent request ids, and a state would keep its predictions
   * alive there (at 4,096 ids a node, that held most of a loaded worker's heap).
   */
  public record Observed(String sessionId, String nodeId, List<List<String>> stm, long time, String autoLearnedPattern,
      String uniqueId) {
    public int stmLength() {
      return stm.size();
    }
  }

  public CompletableFuture<Observed> observe(String sessionId, ParsedObservation observation, CallMeta meta) {
    return observe(sessionId, observation, "", meta);
  }

  /**
   * As {@link #observe(String, ParsedObservation, CallMeta)} with the client's {@code unique_id}
   * (seed-003 root routes and legacy calls echo it); empty = a generated {@code obs-<32 hex>}.
   */
  public CompletableFuture<Observed> observe(String sessionId, ParsedObservation observation, String givenUniqueId,
      CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      String uniqueId = givenUniqueId.isEmpty() ? "obs-" + randomHex() : givenUniqueId;
      Processor.ObserveResult result = node.processor.observe(record.state(), toEngine(observation, uniqueId));
      SessionRecord next = record.withState(result.state());
      node.commitSession(next);
      observationsProcessed.increment();
      if (result.autoLearnedPattern() != null) {
        patternsLearned.increment();
      }
      return new Observed(next.sessionId(), next.nodeId(), result.state().stm(), result.state().time(),
          result.autoLearnedPattern(), uniqueId);
    });
  }

  /** One item of {@link #observeSequence}. */
  public record SequenceItem(ParsedObservation observation, String uniqueId) {}

  /** Result of one item of a sequence. */
  public record SequenceItemResult(int position, int stmLength, long time, String uniqueId, String autoLearned) {}

  /** Result of {@link #observeSequence}. */
  public record Sequenced(SessionRecord session, int initialStmLength, List<SequenceItemResult> results,
      List<String> learnedPatterns, String finalLearnedPattern) {}

  /**
   * observe-sequence (API.md §2.3.2): the whole sequence is applied on the lane as one operation
   * and saved once at the end; any rejected item rejects the whole request with no change.
   */
  public CompletableFuture<Sequenced> observeSequence(String sessionId, List<SequenceItem> items,
      boolean learnAfterEach, boolean learnAtEnd, boolean clearStmBetween, CallMeta meta) {
    if (items.size() > options.limits().maxSequenceObservations()) {
      return CompletableFuture.failedFuture(new HostException(ErrorCode.VALIDATION_ERROR,
          "observations should have at most " + options.limits().maxSequenceObservations() + " items",
          Map.of("field", "observations")));
    }
    return onSession(sessionId, meta, true, (node, record) -> {
      Processor processor = node.processor;
      SessionState state = record.state();
      int initial = state.stm().size();
      List<SequenceItemResult> results = new ArrayList<>(items.size());
      List<String> learned = new ArrayList<>();
      // [ext] every item is checked before anything is applied, so a rejected sequence changes nothing
      List<List<double[]>> vectors = new ArrayList<>(items.size());
      for (SequenceItem item : items) {
        vectors.add(item.observation().vectors());
      }
      processor.checkVectors(vectors);
      for (int i = 0; i < items.size(); i++) {
        if (clearStmBetween && i > 0) {
          state = state.withStmCleared();
        }
        SequenceItem item = items.get(i);
        String uniqueId = item.uniqueId() == null || item.uniqueId().isEmpty()
            ? "seq-obs-" + randomHex() : item.uniqueId();
        Processor.ObserveResult observed = processor.observe(state, toEngine(item.observation(), uniqueId));
        state = observed.state();
        if (learnAfterEach && !state.stm().isEmpty()) {
          Processor.LearnResult learnResult = processor.learn(state);
          state = learnResult.state();
          learned.add(learnResult.patternName());
        }
        if (observed.autoLearnedPattern() != null) {
          learned.add(observed.autoLearnedPattern());
        }
        results.add(new SequenceItemResult(i, state.stm().size(), state.time(), uniqueId,
            observed.autoLearnedPattern()));
      }
      String finalPattern = null;
      if (learnAtEnd && !state.stm().isEmpty()) {
        Processor.LearnResult learnResult = processor.learn(state);
        finalPattern = learnResult.patternName();
        state = learnResult.state();
        learned.add(finalPattern);
      }
      SessionRecord next = record.withState(state);
      node.commitSession(next);
      observationsProcessed.add(items.size());
      patternsLearned.add(learned.stream().filter(name -> !name.isEmpty()).count());
      return new Sequenced(next, initial, results, learned, finalPattern);
    });
  }

  /** Result of {@link #learn}. */
  public record Learned(SessionRecord session, String patternName) {}

  public CompletableFuture<Learned> learn(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      Processor.LearnResult result = node.processor.learn(record.state());
      SessionRecord next = record.withState(result.state());
      node.commitSession(next);
      if (!result.patternName().isEmpty()) {
        patternsLearned.increment();
      }
      return new Learned(next, result.patternName());
    });
  }

  /** Prediction searches the loaded nodes answered from their memos (a metric: nodes only count up). */
  public long memoizedPredictions() {
    long sum = 0;
    for (HostedNode node : nodes.values()) {
      sum += node.memoizedPredictions();
    }
    return sum;
  }

  /** The session after its pending writes (STM, percept data, cognition data reads). */
  public CompletableFuture<SessionRecord> readSession(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, false, (node, record) -> record);
  }

  /** Predictions for the session's STM, computed on the CPU pool after its pending writes. */
  public CompletableFuture<PredictionResult> predictions(String sessionId, CallMeta meta) {
    return lookupNodeOrFail(sessionId).thenCompose(node -> node.read(() -> accessSession(node, sessionId, meta, false))
        .thenCompose(record -> {
          try {
            return CompletableFuture.supplyAsync(() -> {
              PredictionResult result = node.processor.predictions(record.state());
              predictionsGenerated.increment();
              return result;
            }, predictionExecutor);
          } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new HostException(ErrorCode.OVERLOADED,
                "prediction queue is full; retry later"));
          }
        }));
  }

  public CompletableFuture<SessionRecord> clearStm(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      SessionRecord next = record.withState(node.processor.clearStm(record.state()));
      node.commitSession(next);
      return next;
    });
  }

  public CompletableFuture<SessionRecord> clearAll(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      SessionRecord next = record.withState(node.processor.clearAll(record.state()));
      node.commitSession(next);
      return next;
    });
  }

  /** Result of {@link #finalizeTraining}. */
  public record Finalized(SessionRecord session, Processor.FinalizeResult result) {}

  /** finalize-training of the session's node (ENGINE.md §4.11), stored durably. */
  public CompletableFuture<Finalized> finalizeTraining(String sessionId, CallMeta meta) {
    return onSession(sessionId, meta, true, (node, record) -> {
      Processor.FinalizeResult result = node.processor.finalizeTraining();
      node.commitSession(record);
      return new Finalized(record, result);
    });
  }

  // ---- node operations ------------------------------------------------------------------------

  /** The pattern by id (with or without {@code PTRN|}) in the node, or empty. */
  public CompletableFuture<Optional<StoredPattern>> pattern(String nodeId, String patternId, CallMeta meta) {
    return readNode(nodeId, meta, true, node -> Optional.ofNullable(node.processor.pattern(patternId)),
        Optional::empty);
  }

  /** Node status: pattern and session counts and the held epoch. */
  public record NodeStatus(String nodeId, String kbId, int patternCount, int sessionCount, long epoch) {}

  public CompletableFuture<NodeStatus> nodeStatus(String nodeId, CallMeta meta) {
    return readNode(nodeId, meta, true, node -> new NodeStatus(nodeId, node.kbId, node.processor.patternCount(),
        node.sessions.size(), node.epoch), () -> new NodeStatus(nodeId, NodeIds.kbId(nodeId), 0, 0, 0));
  }

  /** Every learned symbol's statistics (API.md §2.4.5), in the order symbols were first learned. */
  public CompletableFuture<List<Processor.SymbolStats>> symbolStats(String nodeId, CallMeta meta) {
    return readNode(nodeId, meta, true, node -> node.processor.symbolStats(), List::of);
  }

  /** symbol → emotive → affinity sum of every symbol that has any (API.md §2.4.4). */
  public CompletableFuture<Map<String, Map<String, Double>>> symbolAffinities(String nodeId, CallMeta meta) {
    return readNode(nodeId, meta, true, node -> node.processor.symbolAffinities(), Map::of);
  }

  /** One symbol's emotive → affinity sum (API.md §2.4.6); empty for an unknown symbol. */
  public CompletableFuture<Map<String, Double>> symbolAffinity(String nodeId, String symbol, CallMeta meta) {
    return readNode(nodeId, meta, true, node -> node.processor.symbolAffinity(symbol), Map::of);
  }

  /**
   * Counts of one node ({@code get_node_stats}, API.md §5.4).
   *
   * @param sessions live explicit sessions
   * @param loaded whether this worker holds the node in memory
   */
  public record NodeStats(String nodeId, String kbId, int patterns, int symbols, int sessions, boolean loaded) {}

  public CompletableFuture<NodeStats> nodeStats(String nodeId, CallMeta meta) {
    return readNode(nodeId, meta, false, node -> new NodeStats(nodeId, node.kbId, node.processor.patternCount(),
        node.processor.symbolCount(), liveExplicitSessions(node, clock.instant()), true),
        () -> new NodeStats(nodeId, NodeIds.kbId(nodeId), 0, 0, 0, false));
  }

  /** The time counter and STM length of a node's implicit session (both 0 when it has none). */
  public record ImplicitClock(long time, int stmLength) {
    static final ImplicitClock UNUSED = new ImplicitClock(0, 0);
  }

  /**
   * Ping's {@code interval} (API.md §3.1.3) and the {@code time}/{@code stm_length} of
   * {@code GET /status} (§2.5.2): the node's implicit session. Creates neither the session nor,
   * for an unknown node, the node.
   */
  public CompletableFuture<ImplicitClock> implicitSessionClock(String nodeId, CallMeta meta) {
    String id = implicitSessionId(nodeId);
    return readNode(nodeId, meta, false, node -> {
      SessionRecord record = node.sessions.get(id);
      return record == null || record.expiredAt(clock.instant()) ? ImplicitClock.UNUSED
          : new ImplicitClock(record.state().time(), record.state().stm().size());
    }, () -> ImplicitClock.UNUSED);
  }

  /** The outcome of a hand-over step: the node, its epoch now, {@code released} or {@code owned}. */
  public record Ownership(String nodeId, String kbId, long epoch, String state) {}

  /** {@code release_node} (API.md §6.4): flush, fence older epochs, drop the node from memory. */
  public CompletableFuture<Ownership> releaseNode(String nodeId, CallMeta meta) {
    checkNodeId(nodeId);
    HostedNode node = nodeFor(nodeId);
    return node.onLane(() -> {
      node.release(meta);
      return new Ownership(nodeId, node.kbId, node.epoch, "released");
    });
  }

  /** {@code acquire_node} (API.md §6.4): load the node afresh from the store under the new epoch. */
  public CompletableFuture<Ownership> acquireNode(String nodeId, CallMeta meta) {
    checkNodeId(nodeId);
    HostedNode node = nodeFor(nodeId);
    return node.onLane(() -> {
      node.acquire(meta);
      return new Ownership(nodeId, node.kbId, node.epoch, "owned");
    });
  }

  /** Number of loaded nodes. */
  public int loadedNodes() {
    return nodes.size();
  }

  /** Live sessions over all loaded nodes. */
  public int sessionCount() {
    Instant now = clock.instant();
    int count = 0;
    for (HostedNode node : nodes.values()) {
      count += liveExplicitSessions(node, now);
    }
    return count;
  }

  /** One loaded node in {@link WorkerStats}. */
  public record LoadedNode(String nodeId, String kbId, Instant createdAt, Instant lastAccessed, long accessCount,
      double idleSeconds, int patternCount) {}

  /**
   * Counters of the whole worker. Sessions are live explicit ones (implicit node sessions are
   * not counted, API.md §1.10); the three activity counters run since start; the store figures
   * cover every storage call of the host.
   *
   * @param nodes loaded nodes, most recently used first
   */
  public record WorkerStats(int activeSessions, int nodesLoaded, int nodesWithSessions, long totalStmEvents,
      long observationsProcessed, long patternsLearned, long predictionsGenerated, String store,
      long storeOperations, long storeErrors, double storeAvgSeconds, List<LoadedNode> nodes) {}

  /** The worker's counters, with at most {@code maxNodes} loaded nodes listed. */
  public CompletableFuture<WorkerStats> workerStats(int maxNodes) {
    try {
      // walks every session: off the caller's (event-loop) thread
      return CompletableFuture.supplyAsync(() -> computeWorkerStats(maxNodes), laneExecutor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new HostException(ErrorCode.WORKER_UNAVAILABLE, "worker is shutting down"));
    }
  }

  private WorkerStats computeWorkerStats(int maxNodes) {
    Instant now = clock.instant();
    int sessions = 0;
    int nodesWithSessions = 0;
    long stmEvents = 0;
    List<HostedNode> loaded = new ArrayList<>(nodes.values());
    for (HostedNode node : loaded) {
      int live = 0;
      for (SessionRecord record : node.sessions.values()) {
        if (!record.expiredAt(now) && !isImplicit(record.sessionId())) {
          live++;
          stmEvents += record.state().stm().size();
        }
      }
      sessions += live;
      nodesWithSessions += live > 0 ? 1 : 0;
    }
    List<LoadedNode> listed = List.of();
    if (maxNodes > 0) {
      // one reading per node: last_accessed keeps moving, and a sort needs stable keys
      List<LoadedNode> all = new ArrayList<>(loaded.size());
      for (HostedNode node : loaded) {
        // processor is set before loaded is (volatile): safe to read here once isLoaded()
        int patterns = node.isLoaded() ? node.processor.patternCount() : 0;
        Instant last = node.lastAccessed();
        all.add(new LoadedNode(node.nodeId(), node.kbId, node.createdAt, last, node.accessCount(),
            Math.max(0, Duration.between(last, now).toNanos()) / 1e9, patterns));
      }
      all.sort(Comparator.comparing(LoadedNode::lastAccessed).reversed());
      listed = List.copyOf(all.subList(0, Math.min(maxNodes, all.size())));
    }
    MeasuredNodeStore.Totals storeTotals = store.totals();
    return new WorkerStats(sessions, loaded.size(), nodesWithSessions, stmEvents, observationsProcessed.sum(),
        patternsLearned.sum(), predictionsGenerated.sum(), store.kind(), storeTotals.operations(),
        storeTotals.errors(), storeTotals.averageSeconds(), listed);
  }

  private static int liveExplicitSessions(HostedNode node, Instant now) {
    int count = 0;
    for (SessionRecord record : node.sessions.values()) {
      if (!record.expiredAt(now) && !isImplicit(record.sessionId())) {
        count++;
      }
    }
    return count;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  @FunctionalInterface
  private interface SessionOperation<T> {
    T apply(HostedNode node, SessionRecord record);
  }

  /** Routes to the session's node and runs {@code operation} on its lane with the live record. */
  private <T> CompletableFuture<T> onSession(String sessionId, CallMeta meta, boolean mutation,
      SessionOperation<T> operation) {
    return lookupNodeOrFail(sessionId).thenCompose(node -> {
      if (mutation) {
        return node.mutate(meta, () -> operation.apply(node, accessSession(node, sessionId, meta, true)));
      }
      return node.read(() -> operation.apply(node, accessSession(node, sessionId, meta, false)));
    });
  }

  /** On the lane: the live record, expiry slid with auto-extend; expired or unknown → NOT_FOUND. */
  private SessionRecord accessSession(HostedNode node, String sessionId, CallMeta meta, boolean mutation) {
    node.checkEpoch(meta);
    SessionRecord record = node.sessions.get(sessionId);
    Instant now = clock.instant();
    if (record == null) {
      throw HostException.sessionNotFound(sessionId);
    }
    if (record.expiredAt(now)) {
      node.deleteSession(sessionId);
      sessionIndex.remove(sessionId);
      throw HostException.sessionNotFound(sessionId);
    }
    if (options.sessionAutoExtend()) {
      record = record.withExpiry(now.plusSeconds(record.ttlSeconds()));
      // a mutation persists the slid expiry with its own commit; a read keeps it in memory
      node.sessions.put(sessionId, record);
    }
    return record;
  }

  private CompletableFuture<HostedNode> lookupNodeOrFail(String sessionId) {
    return lookupNode(sessionId).thenApply(node -> {
      if (node == null) {
        throw HostException.sessionNotFound(sessionId);
      }
      return node;
    });
  }

  /** The node owning a session: the index, else the store (after a restart); null if unknown. */
  private CompletableFuture<HostedNode> lookupNode(String sessionId) {
    String kbId = sessionIndex.get(sessionId);
    if (kbId != null) {
      return CompletableFuture.completedFuture(node(kbId));
    }
    try {
      return CompletableFuture.supplyAsync(() -> store.session(sessionId), laneExecutor).thenApply(found -> {
        if (found.isEmpty()) {
          return null;
        }
        sessionIndex.put(sessionId, found.get().kbId());
        return node(found.get().kbId());
      });
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new HostException(ErrorCode.WORKER_UNAVAILABLE, "worker is shutting down"));
    }
  }

  /**
   * Runs a read of the node a call names, after its pending writes. A node this worker has not
   * taken in is read only when the store holds it; otherwise {@code absent} answers and nothing
   * is created. A call with an epoch always takes the node in: its epoch is state the fencing
   * needs.
   *
   * @param access whether the read counts as a client access of the node
   */
  private <T> CompletableFuture<T> readNode(String nodeId, CallMeta meta, boolean access,
      Function<HostedNode, T> read, Supplier<T> absent) {
    String kbId = NodeIds.kbId(nodeId);
    if (nodes.containsKey(kbId) || meta.epoch() > 0) {
      return readHosted(nodeFor(nodeId), meta, access, read);
    }
    try {
      return CompletableFuture.supplyAsync(() -> store.contains(kbId), laneExecutor).thenCompose(stored -> stored
          ? readHosted(nodeFor(nodeId), meta, access, read) : CompletableFuture.completedFuture(absent.get()));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new HostException(ErrorCode.WORKER_UNAVAILABLE, "worker is shutting down"));
    }
  }

  private static <T> CompletableFuture<T> readHosted(HostedNode node, CallMeta meta, boolean access,
      Function<HostedNode, T> read) {
    Supplier<T> body = () -> {
      node.checkEpoch(meta);
      return read.apply(node);
    };
    return access ? node.read(body) : node.quietly(body);
  }

  private HostedNode node(String kbId) {
    return nodes.computeIfAbsent(kbId, id -> new HostedNode(id, options, store, clock, laneExecutor, sessionIndex));
  }

  /** The node of a raw node id, remembering that id for the node listing. */
  private HostedNode nodeFor(String nodeId) {
    HostedNode node = node(NodeIds.kbId(nodeId));
    node.nameAs(nodeId);
    return node;
  }

  private void checkNodeId(String nodeId) {
    if (nodeId.codePointCount(0, nodeId.length()) > options.limits().maxNodeIdLength()) {
      throw new HostException(ErrorCode.VALIDATION_ERROR, "node_id is longer than "
          + options.limits().maxNodeIdLength() + " characters", Map.of("field", "node_id"));
    }
  }

  /** Looks a session up in the loaded nodes or the store (on a lane: may block). */
  private Optional<SessionRecord> findSession(String sessionId) {
    String kbId = sessionIndex.get(sessionId);
    if (kbId != null) {
      HostedNode owner = nodes.get(kbId);
      if (owner != null && owner.isLoaded()) {
        return Optional.ofNullable(owner.sessions.get(sessionId));
      }
    }
    return store.session(sessionId);
  }

  private void sweepExpiredSessions() {
    Instant now = clock.instant();
    for (HostedNode node : nodes.values()) {
      List<String> expired = new ArrayList<>();
      node.sessions.forEach((id, record) -> {
        if (record.expiredAt(now)) {
          expired.add(id);
        }
      });
      if (!expired.isEmpty()) {
        node.quietly(() -> {
          for (String id : expired) {
            SessionRecord record = node.sessions.get(id);
            if (record != null && record.expiredAt(clock.instant())) {
              node.deleteSession(id);
              sessionIndex.remove(id);
            }
          }
          return null;
        });
      }
    }
  }

  private Observation toEngine(ParsedObservation observation, String uniqueId) {
    return new Observation(observation.strings(), observation.vectors(), observation.emotives(),
        observation.metadata(), uniqueId);
  }

  private String newSessionId(Instant now) {
    return "session-" + randomHex() + "-" + now.toEpochMilli();
  }

  private String randomHex() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Stops accepting work and lets queued lane work finish (bounded wait). The store belongs to
   * the caller, who closes it afterwards.
   */
  @Override
  public void close() {
    sweeper.shutdownNow();
    laneExecutor.shutdown();
    predictionExecutor.shutdown();
    try {
      laneExecutor.awaitTermination(10, TimeUnit.SECONDS);
      predictionExecutor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
