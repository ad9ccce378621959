package io.kato.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kato.engine.Genes;
import io.kato.engine.InMemoryKnowledgeBase;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Observation;
import io.kato.engine.PredictionResult;
import io.kato.engine.Processor;
import io.kato.engine.SessionState;
import io.kato.engine.StoredPattern;
import io.kato.engine.VectorDimensionException;
import io.kato.engine.VectorMetric;
import io.kato.worker.json.EngineJson;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Drives a real {@link Processor} over a {@link ChangeRecordingKnowledgeBase} the way a worker
 * does (drain after every operation, add the session, commit), and checks that a node restored
 * from the store is indistinguishable from the live one. Not a test class: shared by the
 * contract tests.
 */
final class EngineScript {
  private static final NodeDefaults DEFAULTS = NodeDefaults.STANDARD;
  private static final List<String> EMOTIVES = List.of("joy", "fear", "e1", "e2", "e3");

  private NodeStore store;
  private final String kb;
  private final ChangeRecordingKnowledgeBase recorder;
  private final Processor processor;
  private final LinkedHashMap<String, SessionRecord> sessions = new LinkedHashMap<>();
  private NodeChanges lastChanges;
  /** Operations per group commit ({@link NodeStore#commitAll}); 1 = each committed alone. */
  private int groupSize = 1;
  private final List<NodeChanges> group = new java.util.ArrayList<>();

  EngineScript(NodeStore store, String kb) {
    this(store, kb, store.load(kb));
  }

  private EngineScript(NodeStore store, String kb, NodeSnapshot snapshot) {
    this.store = store;
    this.kb = kb;
    this.recorder = ChangeRecordingKnowledgeBase.restore(snapshot);
    this.processor = new Processor(DEFAULTS, recorder);
    for (SessionRecord session : snapshot.sessions()) {
      sessions.put(session.sessionId(), session);
    }
  }

  /** A node restored from the store that records but commits nothing. */
  EngineScript twin() {
    return new EngineScript(null, kb, store.load(kb));
  }

  void reattach(NodeStore next) {
    store = next;
  }

  // ---- operations -----------------------------------------------------------------------------

  void openSession(String id) {
    SessionRecord record = new SessionRecord(id, "node-" + kb, kb, Instant.ofEpochSecond(1_800_000_000L),
        Instant.ofEpochSecond(1_800_086_400L), 86_400, Map.of("opened", id), 0, SessionState.empty());
    sessions.put(id, record);
    commit(recorder.drainChanges().withSessions(List.of(record), List.of()));
  }

  void observe(String id, Observation observation) {
    op(id, state -> processor.observe(state, observation).state());
  }

  void learn(String id) {
    op(id, state -> processor.learn(state).state());
  }

  void genes(String id, Map<String, ?> update) {
    op(id, state -> processor.updateGenes(state, update));
  }

  void clearStm(String id) {
    op(id, processor::clearStm);
  }

  void clearAll(String id) {
    op(id, processor::clearAll);
  }

  void finalizeTraining() {
    processor.finalizeTraining();
    commit(recorder.drainChanges());
  }

  /** An observation the engine must reject: it records nothing and the session stays. */
  void rejected(String id, Observation observation) {
    SessionState before = sessions.get(id).state();
    assertThatThrownBy(() -> processor.observe(before, observation)).isInstanceOf(VectorDimensionException.class);
    assertThat(recorder.hasChanges()).isFalse();
    assertThat(recorder.drainChanges().isEmpty()).isTrue();
  }

  private void op(String id, UnaryOperator<SessionState> operation) {
    SessionRecord record = sessions.get(id);
    SessionRecord next = new SessionRecord(record.sessionId(), record.nodeId(), record.kbId(), record.createdAt(),
        record.expiresAt().plusSeconds(1), record.ttlSeconds(), record.metadata(), record.accessCount() + 1,
        operation.apply(record.state()));
    sessions.put(id, next);
    commit(recorder.drainChanges().withSessions(List.of(next), List.of()));
  }

  private void commit(NodeChanges changes) {
    lastChanges = changes;
    if (store == null) {
      return;
    }
    if (groupSize == 1) {
      store.commit(kb, changes);
      return;
    }
    group.add(changes);
    if (group.size() >= groupSize) {
      flushGroup();
    }
  }

  /** Commits the operations in groups of {@code size}, as a worker's lane does under load. */
  EngineScript groupCommits(int size) {
    this.groupSize = size;
    return this;
  }

  /** Commits the operations of an unfinished group. */
  void flushGroup() {
    if (!group.isEmpty()) {
      store.commitAll(kb, List.copyOf(group));
      group.clear();
    }
  }

  // ---- scripts --------------------------------------------------------------------------------

  /** A fixed script touching every kind of change: emotives, metadata, vectors, re-learns, clear-all. */
  void runScript() {
    openSession("s1");
    openSession("s2");
    genes("s1", Map.of(Genes.RECALL_THRESHOLD, 1L));
    genes("s1", orderedMap(Genes.RECALL_THRESHOLD, 0.05, Genes.PERSISTENCE, 3L, Genes.AFFINITY_EMOTIVE, "joy"));
    for (int round = 0; round < 2; round++) {
      observe("s1", obs(List.of("hello", "world"), List.of(), emo("joy", 0.5, "fear", -0.0),
          orderedMap("user", "u1", "n", BigInteger.TWO.pow(70), "f", 1.5, "nested", orderedMap("a", List.of(1L, 2.0)))));
      observe("s1", obs(List.of("foo"), List.of(new double[] {1.0, 2.0, -0.0}), Map.of(), Map.of()));
      observe("s1", obs(List.of("bar", "baz"), List.of(), emo("joy", 0.1 + 0.2), orderedMap("user", "u" + round)));
      learn("s1"); // the second round re-learns: frequency 2, emotive window, metadata merge, affinity sums
    }
    observe("s2", obs(List.of("hello"), List.of(), Map.of(), Map.of()));
    observe("s2", obs(List.of("foo", "zzz"), List.of(new double[] {0.5, 0.5, 0.5}), emo("fear", 2.0), Map.of()));
    learn("s2");
    genes("s2", Map.of(Genes.MAX_PATTERN_LENGTH, 2L));
    observe("s2", obs(List.of("hello"), List.of(), emo("joy", 1e-3), Map.of()));
    observe("s2", obs(List.of("world"), List.of(new double[] {1.0, 2.0, 0.0}), Map.of(), Map.of())); // auto-learn
    rejected("s2", obs(List.of("x"), List.of(new double[] {1.0, 2.0}), Map.of(), Map.of()));
    finalizeTraining();
    observe("s1", obs(List.of("hello"), List.of(), Map.of(), Map.of()));
    observe("s1", obs(List.of("world", "foo"), List.of(new double[] {1.0, 2.0, -0.0}), emo("joy", 0.75),
        orderedMap("k", true)));
    assertThat(sessions.get("s1").state().predictions()).isNotEmpty();
    richState = sessions.get("s1").state();
    assertRestoresIdentically();

    clearAll("s2");
    assertRestoresIdentically();
    observe("s1", obs(List.of("a", "b"), List.of(new double[] {3.0, 4.0}), emo("joy", 1.0), Map.of())); // new dimension
    learn("s1");
    observe("s1", obs(List.of("a"), List.of(), emo("joy", -1.0), Map.of()));
    observe("s1", obs(List.of("b"), List.of(), Map.of(), orderedMap("m", 1L)));
    learn("s1");
    observe("s1", obs(List.of("a", "b"), List.of(new double[] {3.0, 4.0}), emo("joy", 1.0), Map.of()));
    learn("s1"); // re-learn after clear-all
    finalizeTraining();
    observe("s2", obs(List.of("a"), List.of(), Map.of(), Map.of())); // one symbol: single-symbol predictions
    observe("s1", obs(List.of("b"), List.of(new double[] {3.0, 4.1}), Map.of(), Map.of()));
  }

  private SessionState richState;

  SessionState anyRichState() {
    return richState;
  }

  /** {@code count} random operations from {@code seed} over three sessions. */
  void runRandom(long seed, int count) {
    for (String id : List.of("r1", "r2", "r3")) {
      if (!sessions.containsKey(id)) {
        openSession(id);
      }
    }
    for (int i = 0; i < count; i++) {
      randomOp(new Random(seed * 1_000_003L + i));
    }
  }

  /** Runs the same random operations on this live node and on a twin restored from the store. */
  void assertTwinMatches(long seed, int count) {
    EngineScript twin = twin();
    for (int i = 0; i < count; i++) {
      randomOp(new Random(seed * 1_000_003L + i));
      twin.randomOp(new Random(seed * 1_000_003L + i));
      assertThat(Canonical.of(twin.lastChanges)).as("changes of operation %d", i).isEqualTo(Canonical.of(lastChanges));
    }
    assertRestoresIdentically();
    twin.reattachCompare(this);
  }

  private void reattachCompare(EngineScript live) {
    assertSameKnowledge(live.recorder.delegate(), recorder.delegate());
  }

  private void randomOp(Random random) {
    String id = List.of("r1", "r2", "r3").get(random.nextInt(3));
    int action = random.nextInt(100);
    SessionState state = sessions.get(id).state();
    if (action < 18 && !state.stm().isEmpty()) {
      learn(id);
    } else if (action < 22) {
      genes(id, randomGenes(random));
    } else if (action < 25) {
      finalizeTraining();
    } else if (action < 26) {
      clearAll(id);
    } else if (action < 30) {
      clearStm(id);
    } else {
      Observation observation = randomObservation(random);
      int dimension = recorder.vectorDimension() >= 0 ? recorder.vectorDimension()
          : recorder.deferredVectors().isEmpty() ? -1 : recorder.deferredVectors().get(0).values().length;
      if (!observation.vectors().isEmpty() && dimension >= 0 && observation.vectors().get(0).length != dimension) {
        rejected(id, observation);
      } else {
        observe(id, observation);
      }
    }
  }

  private static Map<String, Object> randomGenes(Random random) {
    switch (random.nextInt(6)) {
      case 0: return Map.of(Genes.PERSISTENCE, (long) (1 + random.nextInt(5)));
      case 1: return Map.of(Genes.MAX_PATTERN_LENGTH, (long) random.nextInt(5));
      case 2: return Map.of(Genes.RECALL_THRESHOLD, random.nextBoolean() ? (Object) 0.1 : (Object) 1L);
      case 3: return Map.of(Genes.AFFINITY_EMOTIVE, EMOTIVES.get(random.nextInt(EMOTIVES.size())));
      case 4: return Map.of(Genes.STM_MODE, random.nextBoolean() ? "ROLLING" : "CLEAR");
      default: return Map.of(Genes.RANK_SORT_ALGO, Genes.RANK_SORT_ALGOS.get(random.nextInt(6)));
    }
  }

  private static Observation randomObservation(Random random) {
    List<String> strings = new ArrayList<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      strings.add(String.valueOf((char) ('a' + random.nextInt(8))));
    }
    List<double[]> vectors = new ArrayList<>();
    if (random.nextInt(100) < 15 || strings.isEmpty()) {
      int dimension = random.nextInt(10) == 0 ? 3 : 2;
      double[] values = new double[dimension];
      double[] choices = {0.0, -0.0, 1.0, 0.5, 0.1 + 0.2, -2.0};
      for (int i = 0; i < dimension; i++) {
        values[i] = choices[random.nextInt(choices.length)];
      }
      vectors.add(values);
    }
    LinkedHashMap<String, Double> emotives = new LinkedHashMap<>();
    if (random.nextInt(100) < 35) {
      double[] choices = {0.5, -0.0, 1e-3, -1.25, 0.1, 3.0};
      for (int i = 0; i < 1 + random.nextInt(2); i++) {
        emotives.put(EMOTIVES.get(random.nextInt(EMOTIVES.size())), choices[random.nextInt(choices.length)]);
      }
    }
    LinkedHashMap<String, Object> metadata = new LinkedHashMap<>();
    if (random.nextInt(100) < 20) {
      Object[] choices = {1L, 2.5, "x", BigInteger.TWO.pow(65), true, List.of(1L, "y")};
      metadata.put("k" + random.nextInt(3), choices[random.nextInt(choices.length)]);
    }
    return obs(strings, vectors, emotives, metadata);
  }

  // ---- the check ------------------------------------------------------------------------------

  /** Restores the node from the store and compares it with the live one in every observable way. */
  void assertRestoresIdentically() {
    flushGroup();
    NodeSnapshot snapshot = store.load(kb);
    ChangeRecordingKnowledgeBase restored = ChangeRecordingKnowledgeBase.restore(snapshot);
    assertSameKnowledge(recorder.delegate(), restored.delegate());

    Map<String, SessionRecord> loaded = new LinkedHashMap<>();
    snapshot.sessions().forEach(s -> loaded.put(s.sessionId(), s));
    assertThat(loaded.keySet()).containsExactlyInAnyOrderElementsOf(sessions.keySet());
    Processor twin = new Processor(DEFAULTS, restored);
    for (SessionRecord live : sessions.values()) {
      SessionRecord back = loaded.get(live.sessionId());
      assertThat(Canonical.of(back)).as("session %s", live.sessionId()).isEqualTo(Canonical.of(live));
      assertThat(EngineJson.predictions(back.state().predictions()).toString())
          .isEqualTo(EngineJson.predictions(live.state().predictions()).toString());
      for (SessionState probe : probes(live.state())) {
        PredictionResult expected = processor.predictions(probe);
        PredictionResult actual = twin.predictions(probe);
        assertThat(EngineJson.predictions(actual.predictions()).toString()).as("predictions for %s", probe.stm())
            .isEqualTo(EngineJson.predictions(expected.predictions()).toString());
        assertThat(EngineJson.futurePotentials(actual.futurePotentials()).toString())
            .isEqualTo(EngineJson.futurePotentials(expected.futurePotentials()).toString());
      }
    }
  }

  /** The session's own STM, and a few fixed ones, each with the session's genes. */
  private static List<SessionState> probes(SessionState state) {
    List<List<List<String>>> stms = List.of(state.stm(), List.of(List.of("hello"), List.of("world")),
        List.of(List.of("a"), List.of("b", "c")), List.of(List.of("a")), List.of(List.of("foo", "bar", "b")));
    List<SessionState> out = new ArrayList<>();
    for (List<List<String>> stm : stms) {
      out.add(new SessionState(stm, state.emotivesAccumulator(), state.metadataAccumulator(), state.time(),
          state.perceptData(), state.predictions(), state.config()));
    }
    return out;
  }

  private static void assertSameKnowledge(InMemoryKnowledgeBase live, InMemoryKnowledgeBase restored) {
    assertThat(restored.patternCount()).isEqualTo(live.patternCount());
    assertThat(restored.symbolCount()).isEqualTo(live.symbolCount());
    assertThat(restored.totalUniquePatterns()).isEqualTo(live.totalUniquePatterns());
    assertThat(restored.totalPatternFrequencies()).isEqualTo(live.totalPatternFrequencies());
    assertThat(restored.totalSymbolsInPatternsFrequencies()).isEqualTo(live.totalSymbolsInPatternsFrequencies());
    assertThat(patterns(restored)).isEqualTo(patterns(live));
    Set<String> emotives = new LinkedHashSet<>(EMOTIVES);
    for (int id = 0; id < live.symbolCount(); id++) {
      assertThat(restored.symbol(id)).isEqualTo(live.symbol(id));
      assertThat(restored.symbolFrequency(id)).isEqualTo(live.symbolFrequency(id));
      assertThat(restored.patternMemberFrequency(id)).isEqualTo(live.patternMemberFrequency(id));
      for (String emotive : emotives) {
        assertThat(Double.doubleToRawLongBits(restored.affinity(id, emotive))).as("affinity %s %s", live.symbol(id),
            emotive).isEqualTo(Double.doubleToRawLongBits(live.affinity(id, emotive)));
      }
    }
    assertThat(restored.vectorDimension()).isEqualTo(live.vectorDimension());
    assertThat(Canonical.of(restored.deferredVectors())).isEqualTo(Canonical.of(live.deferredVectors()));
    for (double[] query : List.of(new double[] {1.0, 2.0, 0.0}, new double[] {0.5, 0.5}, new double[] {3.0, 4.0})) {
      for (VectorMetric metric : VectorMetric.values()) {
        assertThat(restored.nearestVectors(query, 5, metric)).isEqualTo(live.nearestVectors(query, 5, metric));
      }
    }
  }

  private static List<Object> patterns(InMemoryKnowledgeBase kb) {
    List<Object> out = new ArrayList<>();
    kb.forEachPattern(p -> out.add(List.of(EngineJson.pattern(p).toString(), p.sequence(), Canonical.of(p),
        symbols(kb, p))));
    return out;
  }

  private static List<String> symbols(InMemoryKnowledgeBase kb, StoredPattern pattern) {
    List<String> out = new ArrayList<>();
    for (int id : pattern.symbols()) {
      out.add(kb.symbol(id));
    }
    return out;
  }

  // ---- inputs ---------------------------------------------------------------------------------

  static Observation obs(List<String> strings, List<double[]> vectors, Map<String, Double> emotives,
      Map<String, Object> metadata) {
    return new Observation(strings, vectors, emotives, metadata, "obs-test");
  }

  static Map<String, Double> emo(Object... keysAndValues) {
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], (Double) keysAndValues[i + 1]);
    }
    return out;
  }

  static Map<String, Object> orderedMap(Object... keysAndValues) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }
}
