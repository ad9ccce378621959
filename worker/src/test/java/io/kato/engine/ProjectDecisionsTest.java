package io.kato.engine;

import static io.kato.engine.EngineFixture.emo;
import static io.kato.engine.EngineFixture.ev;
import static io.kato.engine.EngineFixture.events;
import static io.kato.engine.EngineFixture.map;
import static io.kato.engine.EngineFixture.names;
import static io.kato.engine.EngineFixture.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kato.engine.text.VectorText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The project decisions of ENGINE.md §0 (D-1 … D-6), where this engine departs from upstream. */
class ProjectDecisionsTest {

  private static final String V_1234 = "VCTR|479e1c052464ab7fe6302425de4081eba0f93058";
  private static final String V_15_45 = "VCTR|278c296b55f0d17605870d04dcb680563ea45f60";

  // =============================================================================================
  // D-1: the session rank_sort_algo applies on GET predictions
  // =============================================================================================

  /** P = [[a],[b],[c]] (frequency 1) ranks first by potential, Q = [[a],[b],[d],[e]] (3) by frequency. */
  private static String[] rankingNode(EngineFixture node) {
    String p = PatternNames.bare(node.learnEvents(ev("a"), ev("b"), ev("c")));
    String q = null;
    for (int i = 0; i < 3; i++) {
      q = PatternNames.bare(node.learnEvents(ev("a"), ev("b"), ev("d"), ev("e")));
    }
    return new String[] {p, q};
  }

  @Test
  void D1_sessionRankSortAlgoAppliesOnPredictions() {
    EngineFixture node = EngineFixture.create();
    String[] pq = rankingNode(node);
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(names(node.predictionList())).containsExactly(pq[0], pq[1]);

    node.genes("rank_sort_algo", "frequency");
    assertThat(names(node.predictionList())).containsExactly(pq[1], pq[0]);

    node.genes("rank_sort_algo", "potential");
    assertThat(names(node.predictionList())).containsExactly(pq[0], pq[1]);
  }

  @Test
  void D1_sessionValueOverridesADifferentNodeDefault() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().rankSortAlgo("frequency").build());
    String[] pq = rankingNode(node);
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(names(node.predictionList())).containsExactly(pq[1], pq[0]); // node default
    node.genes("rank_sort_algo", "similarity");
    assertThat(names(node.predictionList())).containsExactly(pq[0], pq[1]);
  }

  @Test
  void D1_theObservePassKeepsTheNodeDefault() {
    EngineFixture node = EngineFixture.create();
    String[] pq = rankingNode(node);
    node.genes("rank_sort_algo", "frequency");
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(names(node.session.predictions())).containsExactly(pq[0], pq[1]); // node: potential
    assertThat(names(node.predictionList())).containsExactly(pq[1], pq[0]); // session: frequency

    EngineFixture byFrequency = EngineFixture.create(NodeDefaults.builder().rankSortAlgo("frequency").build());
    String[] pq2 = rankingNode(byFrequency);
    byFrequency.genes("rank_sort_algo", "potential");
    byFrequency.observeAll(events(ev("a"), ev("b")));
    assertThat(names(byFrequency.session.predictions())).containsExactly(pq2[1], pq2[0]);
    assertThat(names(byFrequency.predictionList())).containsExactly(pq2[0], pq2[1]);
  }

  @ParameterizedTest(name = "{0} without affinity: every value null, canonical order kept")
  @ValueSource(strings = {"weighted_similarity", "weighted_evidence", "weighted_confidence", "weighted_snr"})
  void D1_nullWeightedValuesRankStablyInsteadOfFailing(String key) {
    EngineFixture node = EngineFixture.create();
    // A has the highest similarity but a low potential; B1..B3 tie on similarity (canonical: learn order)
    String a = PatternNames.bare(node.learnEvents(ev("a"), ev("x"), ev("b"), ev("y"), ev("c"), ev("z"), ev("d")));
    String b1 = PatternNames.bare(node.learnEvents(ev("a"), ev("b"), ev("f")));
    String b2 = PatternNames.bare(node.learnEvents(ev("b"), ev("c"), ev("g")));
    String b3 = PatternNames.bare(node.learnEvents(ev("c"), ev("d"), ev("h")));
    node.observeAll(events(ev("a"), ev("b"), ev("c"), ev("d")));

    List<String> byPotential = names(node.predictionList());
    node.genes("rank_sort_algo", key);
    List<Prediction> weighted = node.predictionList();
    assertThat(weighted).allSatisfy(p -> assertThat(((FullPrediction) p).weightedSimilarity()).isNull());
    assertThat(names(weighted)).containsExactly(a, b1, b2, b3); // similarity desc, then learn sequence
    assertThat(names(weighted)).isNotEqualTo(byPotential);
    node.genes("rank_sort_algo", "similarity");
    assertThat(names(node.predictionList())).isEqualTo(names(weighted));
  }

  @Test
  void D1_weightedRankingWithAffinityUsesTheWeightedValues() {
    EngineFixture node = EngineFixture.create();
    String cd = PatternNames.bare(node.learnEvents(ev("c"), ev("d"))); // learned first: canonical tie winner
    node.observe(EngineFixture.withEmotives(emo("joy", 5.0), "a"));
    node.observe("b");
    String ab = PatternNames.bare(node.learn());
    node.clearStm();
    node.genes("affinity_emotive", "joy", "rank_sort_algo", "similarity");
    node.observeAll(events(ev("a"), ev("c")));
    List<Prediction> bySimilarity = node.predictionList();
    assertThat(names(bySimilarity)).containsExactly(cd, ab); // equal similarity 0.5: learn sequence
    // weights: a = 5/1 + 0.01, c = 0.01; weighted_snr = Wm / (Wm + W(extras))
    FullPrediction pab = EngineFixture.full(bySimilarity, ab);
    FullPrediction pcd = EngineFixture.full(bySimilarity, cd);
    assertThat(pab.snr()).isEqualTo(pcd.snr());
    assertThat(pab.weightedSnr()).isEqualTo(5.01 / (5.01 + 0.01));
    assertThat(pcd.weightedSnr()).isEqualTo(0.01 / (0.01 + 5.01));

    node.genes("rank_sort_algo", "weighted_snr");
    assertThat(names(node.predictionList())).containsExactly(ab, cd);
  }

  // =============================================================================================
  // D-2: the session persistence sizes the emotive window
  // =============================================================================================

  private static void observeEmotives(EngineFixture node, int count) {
    for (int i = 1; i <= count; i++) {
      node.observe(EngineFixture.withEmotives(emo("e", i), "s" + (i % 2)));
    }
  }

  @Test
  void D2_sessionPersistenceTrimsTheWindow() {
    EngineFixture node = EngineFixture.create(); // node persistence 5
    node.genes("persistence", 2L);
    observeEmotives(node, 4);
    String name = node.learn();
    assertThat(node.processor.pattern(name).emotives()).containsExactly(emo("e", 3), emo("e", 4));
  }

  @Test
  void D2_nodeDefaultWithoutASessionValue() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().persistence(3).build());
    observeEmotives(node, 4);
    String name = node.learn();
    assertThat(node.processor.pattern(name).emotives()).containsExactly(emo("e", 2), emo("e", 3), emo("e", 4));
  }

  @Test
  void D2_sessionValueAboveTheNodeDefaultAndOnRelearn() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().persistence(3).build());
    node.genes("persistence", 10L);
    observeEmotives(node, 4);
    String name = node.learn();
    assertThat(node.processor.pattern(name).emotives()).hasSize(4);

    node.genes("persistence", 2L);
    observeEmotives(node, 4); // the same STM again; the accumulator now holds 8 entries
    assertThat(node.learn()).isEqualTo(name);
    StoredPattern relearned = node.processor.pattern(name);
    assertThat(relearned.frequency()).isEqualTo(2);
    assertThat(relearned.emotives()).containsExactly(emo("e", 3), emo("e", 4));

    // another session of the node without a value uses the node default (3)
    SessionState other = SessionState.empty();
    for (int i = 1; i <= 4; i++) {
      other = node.processor.observe(other, EngineFixture.withEmotives(emo("o", i), "s" + (i % 2))).state();
    }
    node.processor.learn(other);
    assertThat(node.processor.pattern(name).emotives()).containsExactly(emo("o", 2), emo("o", 3), emo("o", 4));
  }

  // =============================================================================================
  // D-3: clear-all removes the vectors and the dimension lock
  // =============================================================================================

  @Test
  void D3_clearAllRemovesVectorsAndTheDimensionLock() {
    EngineFixture node = EngineFixture.create();
    node.observe(vectors(new double[] {1, 2, 3, 4}));
    node.learn();
    assertThat(node.kb.vectorDimension()).isEqualTo(4);
    assertThat(node.observe(vectors(new double[] {1, 2, 3, 4.1})).symbols()).contains(V_1234);
    node.clearStm();
    assertThatThrownBy(() -> node.observe(vectors(new double[] {1, 2})))
        .isInstanceOf(VectorDimensionException.class);

    node.clearAll();
    assertThat(node.kb.vectorDimension()).isEqualTo(-1);
    // same dimension: the old vector is gone, no neighbour
    assertThat(node.observe(vectors(new double[] {1, 2, 3, 4.1})).symbols())
        .containsExactly(VectorText.vectorName(new double[] {1, 2, 3, 4.1}));
    node.clearAll(); // also drops that pending vector

    // another dimension: accepted, learned and found
    double[] two = {1, 2};
    assertThatCode(() -> node.observe(vectors(two))).doesNotThrowAnyException();
    node.learn();
    assertThat(node.kb.vectorDimension()).isEqualTo(2);
    assertThat(node.observe(vectors(new double[] {1, 2.1})).symbols())
        .containsExactlyInAnyOrder(VectorText.vectorName(two), VectorText.vectorName(new double[] {1, 2.1}));
  }

  @Test
  void D3_clearAllDropsDeferredVectorsWithoutIndexingThem() {
    EngineFixture node = EngineFixture.create();
    double[] pending = {5, 5};
    node.observe(vectors(pending)); // never learned
    node.clearAll();
    assertThat(node.kb.deferredVectors()).isEmpty();
    double[] kept = {1, 2};
    node.observe(vectors(kept));
    node.learn();
    List<String> symbols = node.observe(vectors(new double[] {5, 5.1})).symbols();
    assertThat(symbols).contains(VectorText.vectorName(kept)).doesNotContain(VectorText.vectorName(pending));
  }

  @Test
  void D3_clearAllWipesPatternsStatisticsAndRestartsTheLearnSequence() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.observe(EngineFixture.withEmotives(emo("joy", 1.0), "c"));
    node.observe("d");
    node.learn();
    SessionState other = node.processor.observe(SessionState.empty(), EngineFixture.strings("a")).state();
    other = node.processor.observe(other, EngineFixture.strings("b")).state();

    node.clearAll();
    assertThat(node.processor.patternCount()).isZero();
    assertThat(node.kb.symbolCount()).isZero();
    assertThat(node.kb.totalUniquePatterns()).isZero();
    assertThat(node.kb.totalSymbolsInPatternsFrequencies()).isZero();
    assertThat(node.session.stm()).isEmpty();
    assertThat(node.session.time()).isZero();
    assertThat(other.stm()).hasSize(2); // other sessions keep their STM …
    Processor.LearnResult relearned = node.processor.learn(other);
    assertThat(node.processor.pattern(relearned.patternName()).frequency()).isEqualTo(1); // … and start over
    assertThat(node.processor.pattern(relearned.patternName()).sequence()).isZero();
  }

  // =============================================================================================
  // D-4: vector dimension mismatches are rejected and change nothing
  // =============================================================================================

  @Test
  void D4_aVectorOfAnotherLengthThanTheNodeDimensionIsRejected() {
    EngineFixture node = EngineFixture.create();
    node.observe(vectors(new double[] {1, 2, 3, 4}));
    node.learn();
    VectorDimensionException e = catchThrowableOfType(() -> node.observe(vectors(new double[] {1, 2, 3, 4, 5})),
        VectorDimensionException.class);
    assertThat(e).isNotNull();
    String name = VectorText.vectorName(new double[] {1, 2, 3, 4, 5});
    assertThat(e.expectedDimension()).isEqualTo(4);
    assertThat(e.actualDimension()).isEqualTo(5);
    assertThat(e.vectorName()).isEqualTo(name);
    assertThat(e.getMessage()).isEqualTo("Vector dimension mismatch: expected 4D, got 5D for vector '" + name + "'");
  }

  @Test
  void D4_differentLengthsWithinOneObservationAreRejected() {
    VectorDimensionException e = catchThrowableOfType(
        () -> EngineFixture.create().observe(vectors(new double[] {1, 2}, new double[] {1, 2, 3})),
        VectorDimensionException.class);
    assertThat(e).isNotNull();
    assertThat(e.expectedDimension()).isEqualTo(2);
    assertThat(e.actualDimension()).isEqualTo(3);
    assertThat(e.vectorName()).isEqualTo(VectorText.vectorName(new double[] {1, 2, 3}));
  }

  @Test
  void D4_aLength1VectorDoesNotBroadcast() {
    VectorDimensionException longFirst = catchThrowableOfType(
        () -> EngineFixture.create().observe(vectors(new double[] {1, 2, 3, 4}, new double[] {1})),
        VectorDimensionException.class);
    assertThat(longFirst).isNotNull();
    assertThat(longFirst.expectedDimension()).isEqualTo(4);
    assertThat(longFirst.actualDimension()).isEqualTo(1);
    assertThat(longFirst.vectorName()).isEqualTo(VectorText.vectorName(new double[] {1}));

    VectorDimensionException shortFirst = catchThrowableOfType(
        () -> EngineFixture.create().observe(vectors(new double[] {1}, new double[] {1, 2, 3, 4})),
        VectorDimensionException.class);
    assertThat(shortFirst).isNotNull();
    assertThat(shortFirst.expectedDimension()).isEqualTo(1);
    assertThat(shortFirst.actualDimension()).isEqualTo(4);

    // the same lengths summed are fine, and sum element-wise left to right
    List<String> ok = EngineFixture.create()
        .observe(vectors(new double[] {1, 2, 3, 4}, new double[] {0.5, 0.5, 0.5, 0.5})).symbols();
    assertThat(ok).containsExactly(V_15_45);
  }

  @Test
  void D4_pendingVectorsFixTheDimensionBeforeTheFirstLearn() {
    // engine choice (see report): before any learn the first deferred vector's length is the
    // node's dimension, so a learn never has to index two dimensions
    EngineFixture node = EngineFixture.create();
    node.observe(vectors(new double[] {1, 2, 3}));
    VectorDimensionException e = catchThrowableOfType(() -> node.observe(vectors(new double[] {1, 2})),
        VectorDimensionException.class);
    assertThat(e).isNotNull();
    assertThat(e.expectedDimension()).isEqualTo(3);
    assertThat(e.actualDimension()).isEqualTo(2);
  }

  /** A scenario with vectors; {@code reject} inserts rejected observations at two points. */
  private static List<Object> vectorScenario(boolean reject) {
    EngineFixture node = EngineFixture.create();
    List<Object> out = new ArrayList<>();
    if (reject) {
      rejectObservation(node, EngineFixture.observation(List.of("x"), List.of(new double[] {1, 2}, new double[] {3}),
          emo("joy", 1.0), map("k", "v")));
    }
    out.add(node.observe(EngineFixture.observation(List.of("a"), List.of(new double[] {1, 2, 3}), Map.of(),
        Map.of())).symbols());
    out.add(node.observe("b").symbols());
    out.add(node.learn());
    if (reject) {
      rejectObservation(node, EngineFixture.observation(List.of("c"), List.of(new double[] {1, 2}),
          emo("joy", 2.0), map("k", "w")));
    }
    out.add(node.observe(EngineFixture.observation(List.of("a"), List.of(new double[] {1, 2, 3.1}), Map.of(),
        Map.of())).symbols());
    out.add(node.observe("b").symbols());
    out.add(node.session.predictions());
    out.add(node.session.stm());
    out.add(node.session.time());
    out.add(node.session.emotivesAccumulator());
    out.add(node.session.metadataAccumulator());
    out.add(node.predictions());
    out.add(node.learn());
    out.add(node.processor.patternCount());
    out.add(node.kb.vectorDimension());
    return out;
  }

  private static void rejectObservation(EngineFixture node, Observation bad) {
    SessionState before = node.session;
    int patterns = node.processor.patternCount();
    List<NamedVector> deferred = List.copyOf(node.kb.deferredVectors());
    int dimension = node.kb.vectorDimension();
    assertThatThrownBy(() -> node.observe(bad)).isInstanceOf(VectorDimensionException.class);
    assertThat(node.session).isSameAs(before); // the caller keeps the state it had
    assertThat(node.processor.patternCount()).isEqualTo(patterns);
    assertThat(node.kb.deferredVectors()).isEqualTo(deferred);
    assertThat(node.kb.vectorDimension()).isEqualTo(dimension);
  }

  @Test
  void D4_aRejectedObservationChangesNoState() {
    List<Object> clean = vectorScenario(false);
    List<Object> withRejections = vectorScenario(true);
    assertThat(withRejections).isEqualTo(clean);
    // sanity: the scenario exercises what it claims (a neighbour was found, a pattern learned)
    @SuppressWarnings("unchecked")
    List<String> secondVectorEvent = (List<String>) clean.get(3);
    assertThat(secondVectorEvent).hasSize(3);
    assertThat(clean.get(12)).isEqualTo(2);
    assertThat(clean.get(13)).isEqualTo(3);
  }

  // =============================================================================================
  // D-5: determinism
  // =============================================================================================

  private static List<Object> richScenario() {
    EngineFixture node = EngineFixture.create();
    List<Object> out = new ArrayList<>();
    node.genes("max_pattern_length", 3L, "stm_mode", "ROLLING");
    String[][] stream = {{"b", "a"}, {"c"}, {"a", "d"}, {"b"}, {"c", "a"}, {"d"}, {"a"}, {"b", "c"}, {"e"}};
    int i = 0;
    for (String[] event : stream) {
      Processor.ObserveResult r = node.observe(EngineFixture.observation(Arrays.asList(event),
          i % 3 == 0 ? List.of(new double[] {i, 1.0 / (i + 1)}) : List.of(), emo("joy", i * 0.1),
          map("n", (long) i, "tag", "t" + (i % 2))));
      out.add(r.symbols());
      out.add(r.autoLearnedPattern());
      out.add(r.state().predictions());
      i++;
    }
    node.genes("max_pattern_length", 0L, "recall_threshold", 0.0, "affinity_emotive", "joy");
    out.add(node.predictions());
    out.add(node.learn());
    node.observeAll(events(ev("a"), ev("b"), ev("c")));
    out.add(node.predictions());
    node.genes("fuzzy_token_threshold", 0.5, "use_token_matching", false, "recall_threshold", 0.2);
    out.add(node.predictions());
    out.add(node.processor.finalizeTraining().patternsProcessed());
    out.add(node.predictions());
    node.kb.forEachPattern(p -> out.add(Arrays.asList(p.name(), p.sequence(), p.events(), p.frequency(),
        p.emotives(), p.metadata(), p.metrics())));
    out.add(Processor.cognitionData(node.session));
    return out;
  }

  @Test
  void D5_theSameScenarioGivesEqualResultsInFreshProcessors() {
    List<Object> first = richScenario();
    List<Object> second = richScenario();
    assertThat(second).isEqualTo(first);
    assertThat(first.toString()).isEqualTo(second.toString());
  }

  @Test
  void D5_unsortedNodeOrdersVectorSymbolsNearestFirstThenOwnName() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().sortSymbols(false).build());
    node.observe(vectors(new double[] {1, 2, 3, 4}));
    node.learn();
    assertThat(node.observe(vectors(new double[] {1.5, 2.5, 3.5, 4.5})).symbols()).containsExactly(V_1234, V_15_45);
    node.learn();

    double[] nearSecond = {1.4, 2.4, 3.4, 4.4};
    assertThat(node.observe(vectors(nearSecond)).symbols())
        .containsExactly(V_15_45, V_1234, VectorText.vectorName(nearSecond));
    double[] nearFirst = {1, 2, 3, 4.1};
    assertThat(node.observe(vectors(nearFirst)).symbols())
        .containsExactly(V_1234, V_15_45, VectorText.vectorName(nearFirst));
    // an exact re-observation: its own name is one of the neighbours and is not repeated
    assertThat(node.observe(vectors(new double[] {1, 2, 3, 4})).symbols()).containsExactly(V_1234, V_15_45);
    // strings keep their order too, after the vector symbols
    assertThat(node.observe(EngineFixture.observation(List.of("z", "a"), List.of(nearFirst), Map.of(), Map.of()))
        .symbols()).containsExactly(V_1234, V_15_45, VectorText.vectorName(nearFirst), "z", "a");
  }

  @Test
  void D5_equalDistancesAreBrokenByAscendingName() {
    double[][] ring = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    List<String> ringNames = new ArrayList<>();
    for (NodeDefaults defaults : List.of(NodeDefaults.builder().sortSymbols(false).build(), NodeDefaults.STANDARD)) {
      EngineFixture node = EngineFixture.create(defaults);
      ringNames.clear();
      for (double[] v : ring) {
        node.observe(vectors(v));
        node.learn();
        node.clearStm();
        ringNames.add(VectorText.vectorName(v));
      }
      List<String> sorted = new ArrayList<>(ringNames);
      sorted.sort(null);
      String own = VectorText.vectorName(new double[] {0, 0});
      List<String> symbols = node.observe(vectors(new double[] {0, 0})).symbols();
      List<String> expected = new ArrayList<>(sorted.subList(0, 3));
      expected.add(own);
      if (defaults.sortSymbols()) {
        expected.sort(null);
      }
      assertThat(symbols).as("sort=%s", defaults.sortSymbols()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void D5_tiesBetweenEqualPredictionsKeepTheLearnSequence() {
    for (boolean reversed : List.of(false, true)) {
      EngineFixture node = EngineFixture.create();
      List<List<List<String>>> patterns = new ArrayList<>(List.of(
          events(ev("a"), ev("b"), ev("c")), events(ev("a"), ev("b"), ev("d")), events(ev("a"), ev("b"), ev("e"))));
      if (reversed) {
        Collections.reverse(patterns);
      }
      List<String> learned = new ArrayList<>();
      for (List<List<String>> p : patterns) {
        learned.add(PatternNames.bare(node.learn(p)));
      }
      node.observeAll(events(ev("a"), ev("b")));
      List<Prediction> predictions = node.predictionList();
      assertThat(names(predictions)).as("reversed=%s", reversed).containsExactlyElementsOf(learned);
      assertThat(predictions).extracting(Prediction::potential).containsOnly(predictions.get(0).potential());
      assertThat(names(node.session.predictions())).containsExactlyElementsOf(learned);
      // one-symbol path: same rule
      node.clearStm();
      node.observe("a");
      assertThat(names(node.predictionList())).containsExactlyElementsOf(learned);
    }
  }

  @Test
  void D5_relearnDoesNotMoveAPatternInTheTieOrder() {
    EngineFixture node = EngineFixture.create();
    String first = PatternNames.bare(node.learnEvents(ev("a"), ev("b"), ev("c")));
    String second = PatternNames.bare(node.learnEvents(ev("a"), ev("b"), ev("d")));
    node.learnEvents(ev("a"), ev("b"), ev("c")); // re-learn the first: frequency 2, sequence unchanged
    node.genes("rank_sort_algo", "similarity");
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(names(node.predictionList())).containsExactly(first, second);
    assertThat(node.processor.pattern(first).sequence()).isZero();
    assertThat(node.processor.pattern(second).sequence()).isEqualTo(1);
  }

  // =============================================================================================
  // D-6: no failure for inputs that crash or hang upstream
  // =============================================================================================

  @Test
  void D6_inputsThatFailUpstreamWorkHere() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().indexerType("ANNOY").build());
    assertThatCode(() -> {
      node.learnEvents(ev("it's"), ev("x"));
      node.observe("it's"); // one-symbol STM with a quote, predictions on
      assertThat(node.predictionList()).hasSize(1);
      node.observe("y");
      node.genes("rank_sort_algo", "weighted_similarity"); // PREDICTIONS Q21: upstream 500s comparing nulls
      node.learnEvents(ev("it's"), ev("z"));
      node.observeAll(events(ev("it's"), ev("x")));
      assertThat(node.predictionList()).hasSizeGreaterThanOrEqualTo(2);
      node.observe(vectors(new double[] {1, 2})); // indexer type other than VI
      node.learn();
      node.observe("\uDC00"); // a lone surrogate reaching the engine
      node.learn();
    }).doesNotThrowAnyException();
  }

  @Test
  void D6_nonIntegerMaxPatternLengthIsRejectedUpFrontInsteadOfFailingLater() {
    EngineFixture node = EngineFixture.create();
    assertThatThrownBy(() -> node.genes("max_pattern_length", 2.5, "stm_mode", "ROLLING"))
        .isInstanceOf(GeneValidationException.class);
    node.genes("max_pattern_length", 2L, "stm_mode", "ROLLING");
    node.observe("a");
    assertThat(node.observe("b").autoLearnedPattern()).isNotNull();
  }
}
