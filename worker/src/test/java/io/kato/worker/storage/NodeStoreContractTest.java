package io.kato.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kato.engine.InMemoryKnowledgeBase;
import io.kato.engine.NamedVector;
import io.kato.engine.PatternMetrics;
import io.kato.engine.SessionState;
import io.kato.engine.StoredPattern;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit of {@link NodeStore}: every implementation extends this class (one
 * subclass per store, named {@code …NodeStoreTest}) and must pass all of it.
 */
abstract class NodeStoreContractTest {
  /** A new, empty store for one test. */
  protected abstract NodeStore openStore() throws Exception;

  /** The same durable store again after {@code closed} was closed (not called for memory). */
  protected abstract NodeStore reopen(NodeStore closed) throws Exception;

  /** Called after each test, with the store already closed. */
  protected void cleanUp() throws Exception {}

  protected NodeStore store;

  @BeforeEach
  void open() throws Exception {
    store = openStore();
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
    cleanUp();
  }

  /**
   * Closes and reopens a durable store, so that what follows reads only what reached storage; a
   * no-op for a store that keeps nothing across a close (memory).
   */
  protected void restart() throws Exception {
    if (!durable()) {
      return;
    }
    store.close();
    NodeStore again = reopen(store);
    store = null;
    store = again;
  }

  /** False for a store that keeps nothing across a close. */
  protected boolean durable() {
    return true;
  }

  // ---- basics ---------------------------------------------------------------------------------

  @Test
  void unknownNodeLoadsEmpty() {
    assertThat(Canonical.of(store.load("nobody"))).isEqualTo(Canonical.of(NodeSnapshot.empty()));
    assertThat(store.nodeIds()).isEmpty();
    assertThat(store.contains("nobody")).isFalse();
    assertThat(store.session("session-none")).isEmpty();
    assertThat(store.kind()).isNotBlank();
  }

  @Test
  void everythingCommittedLoadsBackExactly() throws Exception {
    StoredPattern first = pattern("aa01", 0, List.of(List.of("x", "y"), List.of("z")), 1);
    StoredPattern second = new StoredPattern("bb02", 1, List.of(List.of("y", "\ud800"), List.of("\u0000w")),
        new int[] {1, 2, 3}, 4, List.of(emo("joy", -0.0, "fear", 0.1 + 0.2)), Map.of("user", List.of("1", "u")),
        new PatternMetrics(1.5, 0.25, Double.MIN_VALUE, emo("y", 0.5, "\ud800", 0.5)));
    Map<String, Map<String, Double>> affinities = new LinkedHashMap<>();
    affinities.put("x", emo("joy", 1.25, "fear", -3.0));
    affinities.put("\ud800", emo("joy", -0.0));
    List<NamedVector> vectors = List.of(vector("VCTR|b", 1, 2, 3), vector("VCTR|a", -0.0, 1e-310, 7));
    List<NamedVector> deferred = List.of(vector("VCTR|c", 4, 5, 6));
    SessionRecord s1 = session("session-1", "kb", richState());
    SessionRecord s2 = session("session-2", "kb", SessionState.empty());
    store.commit("kb", new NodeChanges(false, List.of(first, second), affinities, vectors, 3, deferred,
        List.of(s2, s1), List.of()));

    NodeSnapshot loaded = store.load("kb");
    assertThat(Canonical.of(loaded)).isEqualTo(Canonical.of(new NodeSnapshot(List.of(first, second), affinities,
        vectors, 3, deferred, List.of(s1, s2))));
    assertThat(loaded.patterns().get(1).length()).isEqualTo(3);
    assertThat(Canonical.of(store.session("session-1").orElseThrow())).isEqualTo(Canonical.of(s1));

    restart();
    assertThat(Canonical.of(store.load("kb"))).isEqualTo(Canonical.of(loaded));
    assertThat(store.nodeIds()).containsExactly("kb");
  }

  @Test
  void committedStateSurvivesReopen() throws Exception {
    assumeTrue(durable(), "this store keeps nothing across a close");
    EngineScript script = new EngineScript(store, "kb-durable");
    script.runRandom(11L, 40);
    NodeSnapshot before = store.load("kb-durable");
    List<String> ids = store.nodeIds();
    restart();
    assertThat(Canonical.of(store.load("kb-durable"))).isEqualTo(Canonical.of(before));
    assertThat(store.nodeIds()).isEqualTo(ids);
    assertThat(store.contains("kb-durable")).isTrue();
    assertThat(store.session("r1")).isPresent();
  }

  @Test
  void relearnReplacesThePatternAndAffinities() {
    StoredPattern once = pattern("aa01", 0, List.of(List.of("x", "y")), 1);
    store.commit("kb", kbChanges(List.of(once), Map.of("x", emo("joy", 1.0))));
    StoredPattern twice = new StoredPattern("aa01", 0, once.events(), once.symbols(), 2,
        List.of(emo("joy", 1.0), emo("joy", 0.5)), Map.of("k", List.of("a", "b")), null);
    store.commit("kb", kbChanges(List.of(twice), Map.of("x", emo("joy", 1.5, "fear", 2.0))));

    NodeSnapshot loaded = store.load("kb");
    assertThat(Canonical.of(loaded.patterns())).isEqualTo(Canonical.of(List.of(twice)));
    assertThat(Canonical.of(loaded.affinities())).isEqualTo(Canonical.of(Map.of("x", emo("joy", 1.5, "fear", 2.0))));
  }

  @Test
  void clearAllWipesTheNodeOnlyAndKeepsItsSessions() {
    for (String kb : List.of("a", "a|b", "b")) {
      store.commit(kb, new NodeChanges(false, List.of(pattern("p0", 0, List.of(List.of("x", "y")), 1)),
          Map.of("x", emo("joy", 1.0)), List.of(vector("VCTR|v", 1, 2)), 2, List.of(vector("VCTR|w", 3, 4)),
          List.of(session("session-" + kb, kb, SessionState.empty())), List.of()));
    }
    NodeSnapshot untouched = store.load("a|b");
    StoredPattern fresh = pattern("p9", 0, List.of(List.of("q", "r")), 1);
    store.commit("a", new NodeChanges(true, List.of(fresh), Map.of(), List.of(), -1, null, List.of(), List.of()));

    NodeSnapshot cleared = store.load("a");
    assertThat(Canonical.of(cleared.patterns())).isEqualTo(Canonical.of(List.of(fresh)));
    assertThat(cleared.affinities()).isEmpty();
    assertThat(cleared.vectors()).isEmpty();
    assertThat(cleared.vectorDimension()).isEqualTo(-1);
    assertThat(cleared.deferredVectors()).isEmpty();
    assertThat(cleared.sessions()).extracting(SessionRecord::sessionId).containsExactly("session-a");
    assertThat(Canonical.of(store.load("a|b"))).isEqualTo(Canonical.of(untouched));
    assertThat(store.load("b").patterns()).hasSize(1);
    assertThat(store.nodeIds()).containsExactly("a", "a|b", "b");
    assertThat(store.contains("a|b")).isTrue();
    assertThat(store.contains("a|")).as("no prefix matches").isFalse();
  }

  @Test
  void sessionsAreFoundByIdAcrossNodesAndDeleted() {
    SessionRecord one = session("session-1", "kb-1", SessionState.empty());
    SessionRecord two = session("session-2", "kb-2", richState());
    store.commit("kb-1", NodeChanges.sessions(List.of(one), List.of()));
    store.commit("kb-2", NodeChanges.sessions(List.of(two), List.of()));

    assertThat(Canonical.of(store.session("session-2").orElseThrow())).isEqualTo(Canonical.of(two));
    assertThat(store.load("kb-1").sessions()).extracting(SessionRecord::sessionId).containsExactly("session-1");
    assertThat(store.nodeIds()).containsExactly("kb-1", "kb-2");
    assertThat(store.contains("kb-1")).as("a node with sessions only is stored").isTrue();
    assertThat(store.contains("kb-3")).isFalse();

    SessionRecord extended = one.withExpiry(one.expiresAt().plusSeconds(60));
    store.commit("kb-1", NodeChanges.sessions(List.of(extended), List.of()));
    assertThat(store.session("session-1").orElseThrow().expiresAt()).isEqualTo(extended.expiresAt());

    store.commit("kb-1", NodeChanges.sessions(List.of(), List.of("session-1", "session-unknown")));
    assertThat(store.session("session-1")).isEmpty();
    assertThat(store.load("kb-1").sessions()).isEmpty();
    assertThat(store.session("session-2")).isPresent();
  }

  @Test
  void sessionsOnlyCommitsKeepTheVectorDimension() {
    store.commit("kb", new NodeChanges(false, List.of(), Map.of(), List.of(vector("VCTR|v", 1, 2)), 2, List.of(),
        List.of(), List.of()));
    store.commit("kb", NodeChanges.sessions(List.of(session("session-1", "kb", SessionState.empty())), List.of()));
    assertThat(store.load("kb").vectorDimension()).isEqualTo(2);
  }

  @Test
  void emptyCommitChangesNothing() {
    store.commit("kb", NodeChanges.sessions(List.of(), List.of()));
    assertThat(store.nodeIds()).isEmpty();
    assertThat(store.contains("kb")).isFalse();
  }

  @Test
  void deferredVectorsFollowEveryChangeOfTheList() throws Exception {
    NamedVector v1 = vector("VCTR|1", 1, 1);
    NamedVector v2 = vector("VCTR|2", 2, 2);
    NamedVector v3 = vector("VCTR|3", 3, 3);
    List<List<NamedVector>> steps = List.of(List.of(v1), List.of(v1, v2), List.of(v1, v2, v3), List.of(),
        List.of(v3), List.of(v2, v3), List.of(v2, v3, vector("VCTR|3", 3, 3), v1), List.of(v1));
    for (List<NamedVector> step : steps) {
      store.commit("kb", new NodeChanges(false, List.of(), Map.of(), List.of(), -1, step, List.of(), List.of()));
      assertThat(Canonical.of(store.load("kb").deferredVectors())).isEqualTo(Canonical.of(step));
    }
    // after a restart the store has not seen the list: the next commit must still be exact
    store.commit("kb", new NodeChanges(false, List.of(), Map.of(), List.of(), -1, List.of(v1, v2, v3), List.of(),
        List.of()));
    restart();
    store.commit("kb", new NodeChanges(false, List.of(), Map.of(), List.of(), -1, List.of(v3), List.of(), List.of()));
    assertThat(Canonical.of(store.load("kb").deferredVectors())).isEqualTo(Canonical.of(List.of(v3)));
    restart();
    store.commit("kb", new NodeChanges(false, List.of(), Map.of(), List.of(), -1, List.of(v3, v1), List.of(),
        List.of()));
    assertThat(Canonical.of(store.load("kb").deferredVectors())).isEqualTo(Canonical.of(List.of(v3, v1)));
  }

  @Test
  void indexedVectorsKeepInsertionOrderOnUpsert() throws Exception {
    store.commit("kb", vectorChanges(List.of(vector("VCTR|z", 1, 0), vector("VCTR|a", 0, 1)), 2));
    store.commit("kb", vectorChanges(List.of(vector("VCTR|m", 1, 1), vector("VCTR|z", 1, 0)), 2));
    restart();
    store.commit("kb", vectorChanges(List.of(vector("VCTR|a", 0, 1), vector("VCTR|b", 2, 2)), 2));
    assertThat(store.load("kb").vectors()).extracting(NamedVector::name)
        .containsExactly("VCTR|z", "VCTR|a", "VCTR|m", "VCTR|b");
  }

  @Test
  void oddIdsAndSymbolsStaySeparate() {
    List<String> kbs = List.of("a", "a|", "a|b", "a%7Cb", "%", "é\ud83d\ude00", "a b");
    for (String kb : kbs) {
      store.commit(kb, new NodeChanges(false, List.of(pattern("p-" + kb, 0, List.of(List.of(kb, "\ud800")), 1)),
          Map.of("\ud800", emo(kb, 1.0), "\udbff", emo(kb, 2.0)), List.of(), -1, null,
          List.of(session("session-" + kb, kb, SessionState.empty())), List.of()));
    }
    assertThat(store.nodeIds()).containsExactlyInAnyOrderElementsOf(kbs);
    for (String kb : kbs) {
      NodeSnapshot loaded = store.load(kb);
      assertThat(loaded.patterns()).extracting(StoredPattern::name).containsExactly("p-" + kb);
      assertThat(Canonical.of(loaded.affinities().get("\ud800"))).isEqualTo(Canonical.of(emo(kb, 1.0)));
      assertThat(Canonical.of(loaded.affinities().get("\udbff"))).isEqualTo(Canonical.of(emo(kb, 2.0)));
      assertThat(loaded.sessions()).extracting(SessionRecord::sessionId).containsExactly("session-" + kb);
    }
  }

  // ---- the engine, end to end -----------------------------------------------------------------

  @Test
  void scriptedEngineRunRestoresIdentically() throws Exception {
    EngineScript script = new EngineScript(store, "kb-script");
    script.runScript();
    restart();
    script.reattach(store);
    script.assertRestoresIdentically();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 5, 64})
  void groupCommittedEngineRunsRestoreIdentically(int groupSize) throws Exception {
    EngineScript script = new EngineScript(store, "kb-group").groupCommits(groupSize);
    script.runScript(); // clear-all, vectors, re-learns and session deletes land inside groups
    script.runRandom(groupSize, 120);
    script.flushGroup();
    restart();
    script.reattach(store);
    script.assertRestoresIdentically();
  }

  @Test
  void randomEngineRunRestoresIdentically() {
    EngineScript script = new EngineScript(store, "kb-random");
    script.runRandom(20260101L, 160);
    script.assertRestoresIdentically();
  }

  @Test
  void restoredNodeRecordsTheSameChangesAsTheLiveOne() {
    EngineScript script = new EngineScript(store, "kb-twin");
    script.runRandom(7L, 80);
    script.assertTwinMatches(99L, 80);
  }

  // ---- fixtures -------------------------------------------------------------------------------

  static StoredPattern pattern(String name, int sequence, List<List<String>> events, int frequency) {
    int length = events.stream().mapToInt(List::size).sum();
    return new StoredPattern(name, sequence, events, new int[length], frequency, List.of(), Map.of(), null);
  }

  static NodeChanges kbChanges(List<StoredPattern> patterns, Map<String, Map<String, Double>> affinities) {
    return new NodeChanges(false, patterns, affinities, List.of(), -1, null, List.of(), List.of());
  }

  static NodeChanges vectorChanges(List<NamedVector> vectors, int dimension) {
    return new NodeChanges(false, List.of(), Map.of(), vectors, dimension, null, List.of(), List.of());
  }

  static NamedVector vector(String name, double... values) {
    return new NamedVector(name, values);
  }

  static Map<String, Double> emo(Object... keysAndValues) {
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).doubleValue());
    }
    return out;
  }

  static SessionRecord session(String id, String kb, SessionState state) {
    LinkedHashMap<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("client", "tests");
    metadata.put("big", BigInteger.TWO.pow(80));
    return new SessionRecord(id, "node-" + kb, kb, Instant.ofEpochSecond(1_800_000_000L, 5),
        Instant.ofEpochSecond(1_800_003_600L, 999_999_999), 3600, metadata, 12, state);
  }

  /** A session state with every part set, made by the engine itself. */
  static SessionState richState() {
    EngineScript script = new EngineScript(new MemoryNodeStore(), "rich");
    script.runScript();
    return script.anyRichState();
  }
}
