package io.kato.engine;

import static io.kato.engine.EngineFixture.emo;
import static io.kato.engine.EngineFixture.ev;
import static io.kato.engine.EngineFixture.events;
import static io.kato.engine.EngineFixture.full;
import static io.kato.engine.EngineFixture.map;
import static io.kato.engine.EngineFixture.onlyFull;
import static io.kato.engine.EngineFixture.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import io.kato.engine.text.VectorText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One test per quirk of ENGINE.md §8 and PREDICTIONS.md §10 that is observable through the engine
 * API, plus the worked examples of both documents. Naming: {@code Q_n_…} is ENGINE.md quirk Q-n,
 * {@code Qn_…} is PREDICTIONS.md quirk Qn, {@code En_}/{@code Fn_} the PREDICTIONS.md §4.7 examples,
 * {@code sectionX_Y_…} a worked example of that section without a quirk id. Numbers are the spec's verified
 * values; where a value is derived here from the spec's formulas the test says so.
 */
class QuirksTest {

  private static final String P_ABC = "PTRN|b98534b32c1d7489d4ce1a48724aa65aeecbdba9"; // [[a],[b],[c]]
  private static final String P_BCD = "PTRN|ef0fa9b54fb889754235d8d404e1f3da5bf5b156"; // [[b],[c],[d]]
  private static final String P_CDE = "PTRN|ab1d1f271155115139438a98912570435518ca3a"; // [[c],[d],[e]]
  private static final String P_DEF = "PTRN|fdf67a3a3f1a73d5a156393326b7f6753c1cc185"; // [[d],[e],[f]]
  private static final String P_EFG = "PTRN|500744372f1dcdc93712d46e7224edcc808e8fe3"; // [[e],[f],[g]]
  private static final String P_AB = "PTRN|76d7efca2e96cb5eeddf4e06ac96a0f424630135"; // [[a],[b]]

  private static final String V_1234 = "VCTR|479e1c052464ab7fe6302425de4081eba0f93058";
  private static final String V_15_45 = "VCTR|278c296b55f0d17605870d04dcb680563ea45f60";

  private static EngineFixture noPredictions() {
    return EngineFixture.create(NodeDefaults.builder().processPredictions(false).build());
  }

  // =============================================================================================
  // ENGINE.md §8
  // =============================================================================================

  @Test
  void Q_1_sessionSortSymbolsIsStoredButTheNodeFlagDecides() {
    EngineFixture sorting = EngineFixture.create();
    sorting.genes("sort_symbols", false);
    assertThat(sorting.processor.effectiveConfig(sorting.session)).containsEntry("sort_symbols", false);
    assertThat(sorting.observe("b", "a", "c").symbols()).containsExactly("a", "b", "c");
    assertThat(sorting.session.stm()).containsExactly(ev("a", "b", "c"));

    EngineFixture unsorted = EngineFixture.create(NodeDefaults.builder().sortSymbols(false).build());
    unsorted.genes("sort_symbols", true);
    assertThat(unsorted.observe("b", "a", "c").symbols()).containsExactly("b", "a", "c");

    // the auto-toggle sets sort_symbols through use_token_matching: still no effect
    EngineFixture toggled = EngineFixture.create();
    toggled.genes("use_token_matching", false);
    assertThat(toggled.processor.effectiveConfig(toggled.session)).containsEntry("sort_symbols", false);
    assertThat(toggled.observe("z", "y").symbols()).containsExactly("y", "z");
  }

  @Test
  void Q_1_codePointSortOfTheSpecExample() {
    EngineFixture node = EngineFixture.create();
    assertThat(node.observe("b", "a", "B", "é", "Z", "10", "9", "_", "ä").symbols())
        .containsExactly("10", "9", "B", "Z", "_", "a", "b", "ä", "é");
  }

  @Test
  void Q_5_learnKeepsTheAccumulatorsTimePerceptAndPredictions() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.observe(EngineFixture.withEmotives(emo("joy", 1.0), "a"));
    node.observe(EngineFixture.withMetadata(map("k", "v"), "b"));
    SessionState before = node.session;
    assertThat(before.predictions()).isNotEmpty();

    String name = node.learn();

    assertThat(name).isEqualTo(P_AB);
    assertThat(node.session.stm()).isEmpty();
    assertThat(node.session.emotivesAccumulator()).isEqualTo(before.emotivesAccumulator()).hasSize(1);
    assertThat(node.session.metadataAccumulator()).isEqualTo(before.metadataAccumulator()).hasSize(1);
    assertThat(node.session.time()).isEqualTo(before.time()).isEqualTo(4);
    assertThat(node.session.perceptData()).isSameAs(before.perceptData());
    assertThat(node.session.predictions()).isEqualTo(before.predictions());

    // a later learn of the same session re-adds the kept entries
    node.observeAll(events(ev("a"), ev("b")));
    node.learn();
    StoredPattern p = node.processor.pattern(P_AB);
    assertThat(p.frequency()).isEqualTo(3);
    assertThat(p.emotives()).containsExactly(emo("joy", 1.0), emo("joy", 1.0));
  }

  @Test
  void Q_6_autoLearnedPatternsCarryNoEmotivesNoMetadataAndNoAffinity() {
    EngineFixture node = noPredictions();
    node.genes("max_pattern_length", 2L);
    node.observe(EngineFixture.withEmotives(emo("joy", 1.0), "a"));
    Processor.ObserveResult r = node.observe(EngineFixture.observation(List.of("b"), List.of(),
        emo("joy", 3.0), map("k", "v")));

    assertThat(r.autoLearnedPattern()).isEqualTo(P_AB);
    StoredPattern auto = node.processor.pattern(P_AB);
    assertThat(auto.emotives()).isEmpty();
    assertThat(auto.metadata()).isEmpty();
    assertThat(node.affinity("a", "joy")).isZero();
    assertThat(node.affinity("b", "joy")).isZero();
    // the session kept accumulating; a manual learn uses it
    assertThat(node.session.emotivesAccumulator()).hasSize(2);
    assertThat(node.session.metadataAccumulator()).hasSize(1);

    node.genes("max_pattern_length", 0L);
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(node.learn()).isEqualTo(P_AB);
    StoredPattern relearned = node.processor.pattern(P_AB);
    assertThat(relearned.frequency()).isEqualTo(2);
    assertThat(relearned.emotives()).containsExactly(emo("joy", 1.0), emo("joy", 3.0));
    assertThat(relearned.metadata()).isEqualTo(Map.of("k", List.of("v")));
    assertThat(node.affinity("a", "joy")).isEqualTo(2.0);
  }

  @Test
  void Q_7_theMinimumIsTwoSymbolsNotTwoEvents() {
    EngineFixture node = EngineFixture.create();
    assertThat(node.learnEvents(ev("a", "b"))).isEqualTo("PTRN|" + PatternNames.hash(events(ev("a", "b"))));
    assertThat(node.processor.patternCount()).isEqualTo(1);

    assertThat(node.learnEvents(ev("a"))).isEmpty();
    assertThat(node.session.stm()).isEmpty(); // cleared even though nothing was learned
    assertThat(node.processor.patternCount()).isEqualTo(1);
    assertThat(node.kb.totalSymbolsInPatternsFrequencies()).isEqualTo(2); // no statistics change

    assertThat(node.learnEvents(ev("only"))).isEmpty(); // §4.3 example 16
    assertThat(node.learnEvents(ev("a", "a"))).isEqualTo("PTRN|7f1780902fc4656f661baf31763a8cb7092a6ea7");
    assertThat(node.processor.patternCount()).isEqualTo(2);
  }

  @Test
  void Q_8_noDeduplicationInsideEventsAndTheEmptyStringIsASymbol() {
    EngineFixture node = EngineFixture.create();
    assertThat(node.observe("a", "a").symbols()).containsExactly("a", "a");
    assertThat(node.learn()).isEqualTo("PTRN|7f1780902fc4656f661baf31763a8cb7092a6ea7");
    assertThat(node.processor.pattern("7f1780902fc4656f661baf31763a8cb7092a6ea7").length()).isEqualTo(2);

    Processor.ObserveResult empty = node.observe("");
    assertThat(empty.symbols()).containsExactly("");
    assertThat(empty.stmLength()).isEqualTo(1);
    node.observe("x");
    assertThat(node.learn()).isEqualTo("PTRN|8871ade8af0dedc136bef2f59fa48a2dcb10a292");
    assertThat(node.observe("x", "", "b").symbols()).containsExactly("", "b", "x"); // "" sorts first
  }

  @Test
  void Q_9_vectorSymbolsComeFirstAndEachGroupIsSortedSeparately() {
    EngineFixture node = EngineFixture.create();
    Processor.ObserveResult r = node.observe(EngineFixture.observation(List.of("b", "A", "1"),
        List.of(new double[] {1.0, 2.0}), Map.of(), Map.of()));
    assertThat(r.symbols())
        .containsExactly("VCTR|6786a5fc0b30a70ed8fdbaaa451e7c26b5d6c359", "1", "A", "b");
  }

  @Test
  void Q_9_section4_3_example9_vectorsInALearnedPattern() {
    EngineFixture node = EngineFixture.create();
    node.observe(EngineFixture.observation(List.of("b", "a"), List.of(new double[] {1, 2, 3, 4}), Map.of(),
        Map.of()));
    node.observe(vectors(new double[] {1, 2, 3, 4}, new double[] {0.5, 0.5, 0.5, 0.5}));
    assertThat(node.session.stm()).containsExactly(ev(V_1234, "a", "b"), ev(V_15_45));
    assertThat(node.learn()).isEqualTo("PTRN|d4825cc213130bf0e07ec141e850d5d6e469e021");
  }

  @Test
  void Q_10_neighbourVectorNamesJoinTheEvent() {
    EngineFixture node = EngineFixture.create();
    node.observe(vectors(new double[] {1, 2, 3, 4}));
    node.learn(); // one symbol: nothing stored, but the vector is indexed
    node.observe(vectors(new double[] {1.5, 2.5, 3.5, 4.5}));
    assertThat(node.session.stm()).containsExactly(ev(V_15_45, V_1234)); // neighbour joined the event
    node.learn();

    Processor.ObserveResult r = node.observe(vectors(new double[] {1, 2, 3, 4.1}));
    String own = VectorText.vectorName(new double[] {1, 2, 3, 4.1});
    assertThat(own).startsWith("VCTR|3ac3");
    assertThat(r.symbols()).containsExactly(V_15_45, own, V_1234);
    // no distance threshold: a far-away vector still gets the neighbours
    Processor.ObserveResult far = node.observe(vectors(new double[] {1000, -1000, 5e6, 0}));
    assertThat(far.symbols()).hasSize(3).contains(V_15_45, V_1234);
  }

  @Test
  void Q_11_vectorIndexingIsDeferredNodeWideAndTriggeredByAnyLearn() {
    double[] v = {1, 0, 0};
    double[] near = {1, 0, 0.1};
    String vName = VectorText.vectorName(v);
    String nearName = VectorText.vectorName(near);

    // without any learn the vector observed in session A is never a neighbour
    EngineFixture quiet = EngineFixture.create();
    quiet.observe(vectors(v));
    SessionState c = SessionState.empty();
    assertThat(quiet.processor.observe(c, vectors(near)).symbols()).containsExactly(nearName);

    // a learn in an unrelated session B that stores nothing indexes A's vector
    EngineFixture node = EngineFixture.create();
    node.observe(vectors(v)); // session A
    SessionState b = node.processor.observe(SessionState.empty(), EngineFixture.strings("x")).state();
    Processor.LearnResult learnB = node.processor.learn(b);
    assertThat(learnB.patternName()).isEmpty();
    assertThat(node.processor.patternCount()).isZero();
    List<String> symbols = node.processor.observe(SessionState.empty(), vectors(near)).symbols();
    assertThat(symbols).containsExactlyInAnyOrder(vName, nearName);

    // an auto-learn (session D, max_pattern_length 1, two-symbol event) indexes as well
    EngineFixture auto = EngineFixture.create();
    auto.observe(vectors(v));
    SessionState d = auto.processor.updateGenes(SessionState.empty(), map("max_pattern_length", 1L));
    Processor.ObserveResult autoLearn = auto.processor.observe(d, EngineFixture.strings("x", "y"));
    assertThat(autoLearn.autoLearnedPattern()).isEqualTo("PTRN|c3b367b4220bbad461c262cd25f811de62e07115");
    assertThat(auto.processor.observe(SessionState.empty(), vectors(near)).symbols())
        .containsExactlyInAnyOrder(vName, nearName);
  }

  @Test
  void Q_15_vectorsLongerThan1000ComponentsAreSummarisedBeforeHashing() {
    double[] zeros = new double[1001];
    double[] middleDiffers = new double[1001];
    middleDiffers[500] = 5.0;
    middleDiffers[3] = -7.25;
    EngineFixture node = EngineFixture.create();
    List<String> a = node.observe(vectors(zeros)).symbols();
    List<String> b = EngineFixture.create().observe(vectors(middleDiffers)).symbols();
    assertThat(a).containsExactly("VCTR|16b1e69281878f9fd23ecbd36c01cfffa64a4910");
    assertThat(b).isEqualTo(a);
    // exactly 1000 components are not summarised
    double[] thousand = new double[1000];
    double[] thousandDiffers = new double[1000];
    thousandDiffers[500] = 5.0;
    assertThat(VectorText.vectorName(thousand)).isNotEqualTo(VectorText.vectorName(thousandDiffers));
    // the last three components count
    double[] lastDiffers = new double[1001];
    lastDiffers[1000] = 1.0;
    assertThat(VectorText.vectorName(lastDiffers)).isNotEqualTo(a.get(0));
  }

  @Test
  void Q_16_vectorTextWrapsAt75ColumnsAndKeepsPadding() {
    double[] thirty = new double[30];
    for (int i = 0; i < 30; i++) {
      thirty[i] = i;
    }
    double[] twentyHalves = new double[20];
    Arrays.fill(twentyHalves, 0.5);
    assertThat(VectorText.format(thirty)).isEqualTo(
        "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
            + " 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]");
    EngineFixture node = EngineFixture.create();
    assertThat(node.observe(vectors(thirty)).symbols())
        .containsExactly("VCTR|569ca6c5fef125924e7fc5c3c523fbe33c855271");
    assertThat(EngineFixture.create().observe(vectors(twentyHalves)).symbols())
        .containsExactly("VCTR|257935b1336b31bfc3f86f6b183b40460c4c3e43");
    assertThat(VectorText.format(new double[] {0.0001, 0.1})).isEqualTo("[0.0001 0.1   ]");
    assertThat(EngineFixture.create().observe(vectors(new double[] {0.0001, 0.1})).symbols())
        .containsExactly("VCTR|7485dc37311a351b1feeb6bb7f6e0a1f1ea34a6a");
  }

  // ---- auto-learn (§3.2, §3.3) ----------------------------------------------------------------

  @Test
  void Q_19_section3_3_workedTable_clearMode() {
    EngineFixture node = noPredictions();
    node.genes("max_pattern_length", 3L, "process_predictions", false);
    String[] symbols = {"a", "b", "c", "d", "e", "f", "g"};
    String[] expectedNames = {null, null, P_ABC, null, null, P_DEF, null};
    int[] expectedStm = {1, 2, 0, 1, 2, 0, 1};
    for (int i = 0; i < symbols.length; i++) {
      Processor.ObserveResult r = node.observe(symbols[i]);
      assertThat(r.autoLearnedPattern()).as("after %s", symbols[i]).isEqualTo(expectedNames[i]);
      assertThat(r.stmLength()).as("after %s", symbols[i]).isEqualTo(expectedStm[i]);
    }
    assertThat(node.session.stm()).containsExactly(ev("g"));
    assertThat(node.processor.pattern(P_ABC).events()).containsExactly(ev("a"), ev("b"), ev("c"));
    assertThat(node.processor.pattern(P_DEF).events()).containsExactly(ev("d"), ev("e"), ev("f"));
  }

  @Test
  void Q_19_section3_3_workedTable_rollingMode() {
    EngineFixture node = noPredictions();
    node.genes("max_pattern_length", 3L, "stm_mode", "ROLLING");
    String[] symbols = {"a", "b", "c", "d", "e", "f", "g"};
    String[] expectedNames = {null, null, P_ABC, P_BCD, P_CDE, P_DEF, P_EFG};
    List<List<List<String>>> expectedStm = List.of(
        events(ev("a")), events(ev("a"), ev("b")), events(ev("b"), ev("c")), events(ev("c"), ev("d")),
        events(ev("d"), ev("e")), events(ev("e"), ev("f")), events(ev("f"), ev("g")));
    for (int i = 0; i < symbols.length; i++) {
      Processor.ObserveResult r = node.observe(symbols[i]);
      assertThat(r.autoLearnedPattern()).as("after %s", symbols[i]).isEqualTo(expectedNames[i]);
      assertThat(node.session.stm()).as("after %s", symbols[i]).isEqualTo(expectedStm.get(i));
    }
    assertThat(node.processor.patternCount()).isEqualTo(5);
  }

  @Test
  void Q_19_section3_3_maxPatternLength1() {
    EngineFixture node = noPredictions();
    node.genes("max_pattern_length", 1L);
    Processor.ObserveResult single = node.observe("x");
    assertThat(single.autoLearnedPattern()).isNull();
    assertThat(single.stmLength()).isZero(); // cleared though nothing was learned
    assertThat(node.processor.patternCount()).isZero();
    Processor.ObserveResult pair = node.observe("x", "y");
    assertThat(pair.autoLearnedPattern()).isEqualTo("PTRN|c3b367b4220bbad461c262cd25f811de62e07115");
    assertThat(pair.stmLength()).isZero();
  }

  @Test
  void Q_19_theWholeStmIsLearnedWhenLongerThanMaxPatternLength() {
    String whole = "PTRN|9a29cce02a8cf16f923004ed134b3851f0dc623a"; // [[a],[b],[c],[d],[e]]
    for (String mode : List.of("CLEAR", "ROLLING")) {
      EngineFixture node = noPredictions();
      node.observeAll(events(ev("a"), ev("b"), ev("c"), ev("d")));
      node.genes("max_pattern_length", 3L, "stm_mode", mode);
      Processor.ObserveResult r = node.observe("e");
      assertThat(r.autoLearnedPattern()).as(mode).isEqualTo(whole);
      assertThat(node.processor.pattern(whole).events()).hasSize(5);
      assertThat(node.session.stm()).as(mode)
          .isEqualTo(mode.equals("CLEAR") ? List.of() : events(ev("d"), ev("e")));
    }
  }

  @Test
  void Q_18_rollingWithMaxPatternLength1KeepsTheWholeStmWhichGrowsWithoutBound() {
    EngineFixture node = noPredictions();
    node.observeAll(events(ev("a"), ev("b"), ev("c"), ev("d")));
    node.genes("max_pattern_length", 3L, "stm_mode", "ROLLING");
    assertThat(node.observe("e").autoLearnedPattern()).isEqualTo("PTRN|9a29cce02a8cf16f923004ed134b3851f0dc623a");
    assertThat(node.session.stm()).containsExactly(ev("d"), ev("e"));

    node.genes("max_pattern_length", 1L);
    assertThat(node.observe("f").autoLearnedPattern()).isEqualTo(P_DEF);
    assertThat(node.session.stm()).containsExactly(ev("d"), ev("e"), ev("f"));
    assertThat(node.observe("g").autoLearnedPattern()).isEqualTo("PTRN|cd45c1ac50f92df67bfd4bc45a89bd90fba246f5");
    assertThat(node.session.stm()).containsExactly(ev("d"), ev("e"), ev("f"), ev("g"));
    Processor.ObserveResult h = node.observe("h");
    assertThat(h.stmLength()).isEqualTo(5);
    assertThat(node.processor.pattern(h.autoLearnedPattern()).events()).hasSize(5);
  }

  @Test
  void Q_20_noAutoLearnCheckOnEmptyObservations() {
    EngineFixture node = noPredictions();
    node.observeAll(events(ev("a"), ev("b")));
    node.genes("max_pattern_length", 2L);
    Processor.ObserveResult empty = node.observe(EngineFixture.withEmotives(emo("joy", 1.0)));
    assertThat(empty.autoLearnedPattern()).isNull();
    assertThat(empty.stmLength()).isEqualTo(2);
    assertThat(empty.symbols()).isEmpty();
    assertThat(node.session.time()).isEqualTo(3);
    assertThat(node.processor.patternCount()).isZero();

    Processor.ObserveResult next = node.observe("c");
    assertThat(next.autoLearnedPattern()).isEqualTo("PTRN|" + PatternNames.hash(events(ev("a"), ev("b"), ev("c"))));
    assertThat(next.stmLength()).isZero();
  }

  @Test
  void Q_24_totalPatternFrequenciesIsNotIncrementedOnRelearn() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.learnEvents(ev("a"), ev("b"));
    node.learnEvents(ev("c"), ev("d"));
    assertThat(node.processor.pattern(P_AB).frequency()).isEqualTo(2);
    assertThat(node.kb.totalUniquePatterns()).isEqualTo(2);
    assertThat(node.kb.totalPatternFrequencies()).isEqualTo(2); // frequencies sum to 3
    assertThat(node.kb.totalSymbolsInPatternsFrequencies()).isEqualTo(6);
    assertThat(node.kb.patternMemberFrequency(node.kb.symbolId("a"))).isEqualTo(1);
    assertThat(node.kb.symbolFrequency(node.kb.symbolId("a"))).isEqualTo(2);

    // observable: confluence uses pe = frequency / F = 2 / 2 (it would be 2 / 3 with F = 3)
    node.observeAll(events(ev("a"), ev("b")));
    FullPrediction p = full(node.predictionList(), P_AB);
    double cp = Math.pow(10, Math.log10(0.5) + Math.log10(0.5));
    assertThat(p.confluence()).isCloseTo(1.0 * (1 - cp), within(1e-15));
  }

  @Test
  void Q_27_section4_5_relearnAppendsTheWholeAccumulatorThenTrims() {
    EngineFixture node = EngineFixture.create(); // node persistence 5
    node.observe(EngineFixture.withEmotives(emo("joy", 1, "fear", 0.5), "a"));
    node.observe(EngineFixture.withEmotives(emo("joy", 0.2), "b"));
    node.observe(EngineFixture.withEmotives(emo("anger", 3)));
    assertThat(node.learn()).isEqualTo(P_AB);
    StoredPattern first = node.processor.pattern(P_AB);
    assertThat(first.frequency()).isEqualTo(1);
    assertThat(first.emotives())
        .containsExactly(emo("joy", 1.0, "fear", 0.5), emo("joy", 0.2), emo("anger", 3.0));
    assertThat(new ArrayList<>(first.emotives().get(0).keySet())).containsExactly("joy", "fear");
    assertThat(first.metadata()).isEmpty();

    node.observe(EngineFixture.withEmotives(emo("joy", 0.7), "a"));
    node.observe(EngineFixture.withMetadata(map("book", "y"), "b"));
    assertThat(node.learn()).isEqualTo(P_AB);
    StoredPattern second = node.processor.pattern(P_AB);
    assertThat(second.frequency()).isEqualTo(2);
    assertThat(second.emotives()).containsExactly(emo("anger", 3.0), emo("joy", 1.0, "fear", 0.5),
        emo("joy", 0.2), emo("anger", 3.0), emo("joy", 0.7));
    assertThat(second.metadata()).isEqualTo(Map.of("book", List.of("y")));

    // §4.8: affinity from the full untrimmed accumulator, added on every learn
    for (String s : List.of("a", "b")) {
      assertThat(node.affinity(s, "joy")).as(s).isEqualTo(1.2333333333333334);
      assertThat(node.affinity(s, "fear")).as(s).isEqualTo(1.0);
      assertThat(node.affinity(s, "anger")).as(s).isEqualTo(6.0);
    }
  }

  @Test
  void Q_25_affinitySumsAreDoubleAdditionsOfTheUntrimmedAverage() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().persistence(1).build());
    node.observe(EngineFixture.withEmotives(emo("joy", 0.1), "a"));
    node.observe(EngineFixture.withEmotives(emo("joy", 0.3), "b"));
    node.learn(); // the window keeps 1 entry, the affinity adds the mean of both: 0.2
    assertThat(node.processor.pattern(P_AB).emotives()).containsExactly(emo("joy", 0.3));
    assertThat(node.affinity("a", "joy")).isEqualTo((0.1 + 0.3) / 2);
    node.clearStm();
    node.observe(EngineFixture.withEmotives(emo("joy", 0.1), "a"));
    node.observe("b");
    node.learn(); // re-learn adds again
    assertThat(node.affinity("a", "joy")).isEqualTo((0.1 + 0.3) / 2 + 0.1);
    assertThat(node.affinity("b", "joy")).isEqualTo(0.30000000000000004);
  }

  @Test
  void Q_26_mergedMetadataKeysAreStoredThenNewAndValuesSortedDistinct() {
    EngineFixture node = EngineFixture.create();
    node.observe(EngineFixture.withMetadata(map("z", "2", "a", "x"), "a"));
    node.observe(EngineFixture.withMetadata(map("z", "1"), "b"));
    node.learn();
    node.clearStm();
    node.observe(EngineFixture.withMetadata(map("new", true, "a", "w", "z", "2"), "a"));
    node.observe("b");
    node.learn();
    Map<String, List<String>> metadata = node.processor.pattern(P_AB).metadata();
    assertThat(new ArrayList<>(metadata.keySet())).containsExactly("z", "a", "new");
    assertThat(metadata).containsEntry("z", List.of("1", "2")).containsEntry("a", List.of("w", "x"))
        .containsEntry("new", List.of("True"));
  }

  @Test
  void section4_7_metadataValuesArePythonStr() {
    EngineFixture node = EngineFixture.create();
    node.observe(EngineFixture.withMetadata(map("book", "x", "n", 1L, "f", 1.5, "b", true, "none", null,
        "l", List.of(1L, "a"), "d", map("k", "v")), "a"));
    node.observe("b");
    node.learn();
    Map<String, List<String>> metadata = node.processor.pattern(P_AB).metadata();
    assertThat(new ArrayList<>(metadata.keySet())).containsExactly("book", "n", "f", "b", "none", "l", "d");
    assertThat(metadata).containsEntry("book", List.of("x")).containsEntry("n", List.of("1"))
        .containsEntry("f", List.of("1.5")).containsEntry("b", List.of("True"))
        .containsEntry("none", List.of("None")).containsEntry("l", List.of("[1, 'a']"))
        .containsEntry("d", List.of("{'k': 'v'}"));
  }

  @Test
  void Q_31_sessionListsAreCappedAt1000Entries() {
    EngineFixture node = noPredictions();
    for (int i = 0; i < 1005; i++) {
      node.observe(EngineFixture.observation(List.of("s" + i), List.of(), emo("e", i), map("m", (long) i)));
    }
    assertThat(node.session.time()).isEqualTo(1005);
    assertThat(node.session.stm()).hasSize(1000);
    assertThat(node.session.stm().get(0)).containsExactly("s5");
    assertThat(node.session.stm().get(999)).containsExactly("s1004");
    assertThat(node.session.emotivesAccumulator()).hasSize(1000);
    assertThat(node.session.emotivesAccumulator().get(0)).isEqualTo(emo("e", 5));
    assertThat(node.session.metadataAccumulator()).hasSize(1000);
    assertThat(node.session.metadataAccumulator().get(0)).isEqualTo(map("m", 5L));

    String name = node.learn(); // learns the capped STM
    assertThat(node.processor.pattern(name).events()).hasSize(1000);
    assertThat(node.processor.pattern(name).emotives()).hasSize(5); // node persistence
  }

  @Test
  void Q_32_timeCountsEveryObservationAndOnlyClearsResetIt() {
    EngineFixture node = EngineFixture.create();
    node.observe("a");
    node.observe(EngineFixture.empty());
    node.observe(EngineFixture.withEmotives(emo("joy", 1.0)));
    assertThat(node.session.time()).isEqualTo(3);
    assertThat(node.session.stm()).hasSize(1);
    assertThat(node.session.predictions()).isEmpty();
    assertThat(node.session.emotivesAccumulator()).hasSize(1); // accumulated by the empty observation
    node.observe("b");
    node.learn();
    assertThat(node.session.time()).isEqualTo(4);
    node.observe("c");
    assertThat(node.session.time()).isEqualTo(5);
    node.clearStm();
    assertThat(node.session.time()).isZero();
    assertThat(node.session.emotivesAccumulator()).isEmpty();
    assertThat(node.session.perceptData()).isNull();
    node.observe("c");
    node.clearAll();
    assertThat(node.session.time()).isZero();
  }

  @Test
  void Q_33_perceptStringsAlwaysSortedVectorsRawEmotivesSessionMean() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().sortSymbols(false).build());
    node.observe(EngineFixture.withEmotives(emo("x", 0.1), "q"));
    node.observe(EngineFixture.withEmotives(emo("x", 0.2), "q"));
    double[] v1 = {1, 2};
    double[] v2 = {3, 4};
    Processor.ObserveResult r = node.observe(EngineFixture.observation(List.of("b", "a", "b"), List.of(v1, v2),
        emo("x", 0.3, "y", 1), map("k", 1L)));

    assertThat(r.symbols()).containsExactly(VectorText.vectorName(new double[] {4, 6}), "b", "a", "b");
    PerceptData percept = node.session.perceptData();
    assertThat(percept.strings()).containsExactly("a", "b", "b");
    assertThat(percept.vectors()).hasSize(2);
    assertThat(percept.vectors().get(0)).containsExactly(1.0, 2.0);
    assertThat(percept.vectors().get(1)).containsExactly(3.0, 4.0);
    assertThat(percept.emotives()).containsExactly(Map.entry("x", 0.20000000000000004), Map.entry("y", 1.0));
    assertThat(percept.metadata()).isEqualTo(map("k", 1L));

    node.observe(EngineFixture.strings("z"));
    assertThat(node.session.perceptData().metadata()).isEmpty(); // this observation's metadata only
    assertThat(node.session.perceptData().emotives()).containsEntry("x", 0.20000000000000004);
  }

  @Test
  void section6_5_cognitionData() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.observe(EngineFixture.withEmotives(emo("joy", 1.0), "a"));
    node.observe(EngineFixture.withEmotives(emo("joy", 0.0, "fear", 2.0), "b", "c"));
    Map<String, Object> cognition = Processor.cognitionData(node.session);
    assertThat(new ArrayList<>(cognition.keySet())).containsExactly("predictions", "emotives", "symbols",
        "command", "metadata", "path", "strings", "vectors", "short_term_memory", "time");
    assertThat(cognition.get("predictions")).isEqualTo(node.session.predictions());
    assertThat(cognition.get("emotives")).isEqualTo(emo("joy", 0.0, "fear", 2.0)); // last entry, not averaged
    assertThat(cognition.get("symbols")).isEqualTo(List.of("a", "b", "c"));
    assertThat(cognition.get("short_term_memory")).isEqualTo(events(ev("a"), ev("b", "c")));
    assertThat(cognition.get("time")).isEqualTo(4L);
  }

  @Test
  void Q_37_genesEchoTheJsonTypeTheyWereGiven() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.learnEvents(ev("a"), ev("b"), ev("c"));
    node.genes("recall_threshold", 1L);
    Object echoed = node.processor.effectiveConfig(node.session).get("recall_threshold");
    assertThat(echoed).isEqualTo(1L).isInstanceOf(Long.class);
    node.observeAll(events(ev("a"), ev("b")));
    // and it works as the number 1.0: only the exact pattern reaches similarity 1.0
    assertThat(EngineFixture.names(node.predictionList())).containsExactly(PatternNames.bare(P_AB));

    node.genes("recall_threshold", 1.0);
    assertThat(node.processor.effectiveConfig(node.session).get("recall_threshold")).isInstanceOf(Double.class);
  }

  @Test
  void Q_41_E11_theObservePassIgnoresTheSessionPredictionGenes() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("c"), ev("d"), ev("e"), ev("f"), ev("g"), ev("h"));
    node.genes("recall_threshold", 0.9);
    node.observeAll(events(ev("a"), ev("b")));
    FullPrediction observed = onlyFull(node.session.predictions());
    assertThat(observed.similarity()).isEqualTo(0.4);
    assertThat(node.predictionList()).isEmpty();
  }

  @Test
  void Q_41_observePassUsesNodeMaxPredictionsAndNoAffinityOrFuzzy() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("c"));
    node.learnEvents(ev("a"), ev("b"), ev("d"));
    node.learnEvents(ev("a"), ev("b"), ev("e"));
    node.genes("max_predictions", 1L, "affinity_emotive", "joy", "fuzzy_token_threshold", 0.5,
        "use_token_matching", false, "rank_sort_algo", "frequency");
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(node.session.predictions()).hasSize(3);
    assertThat(node.session.predictions()).allSatisfy(p -> {
      FullPrediction f = (FullPrediction) p;
      assertThat(f.weightedSimilarity()).isNull();
      assertThat(f.similarity()).isEqualTo(0.8); // token mode: ((4/5)*100)/100
    });
    assertThat(node.predictionList()).hasSize(1);
    assertThat(((FullPrediction) node.predictionList().get(0)).weightedEvidence()).isNotNull();
  }

  // ---- "do not reproduce" items: the project's behaviour ---------------------------------------

  @Test
  void Q_21_oneSymbolStmContainingAQuotePredictsNormally() {
    EngineFixture node = EngineFixture.create();
    String name = node.learnEvents(ev("it's"), ev("b"));
    assertThat(name).isEqualTo("PTRN|" + PatternNames.hash(events(ev("it's"), ev("b"))));
    Processor.ObserveResult r = node.observe("it's");
    assertThat(r.state().predictions()).hasSize(1);
    SingleSymbolPrediction p = (SingleSymbolPrediction) r.state().predictions().get(0);
    assertThat(p.name()).isEqualTo(PatternNames.bare(name));
    assertThat(p.future()).containsExactly("b");
    assertThat(node.predictionList()).containsExactly(p);
  }

  @Test
  void Q_22_nodesAreIsolatedAndSymbolsWithQuotesAndBracketsWork() {
    EngineFixture one = EngineFixture.create();
    EngineFixture other = EngineFixture.create();
    one.learnEvents(ev("it's"), ev("[x]"), ev("a]'["));
    other.learnEvents(ev("[x]"), ev("q"));
    one.observeAll(events(ev("it's"), ev("[x]")));
    FullPrediction p = onlyFull(one.predictionList());
    assertThat(p.future()).containsExactly(ev("a]'["));
    one.clearAll();
    assertThat(one.processor.patternCount()).isZero();
    assertThat(other.processor.patternCount()).isEqualTo(1);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void Q_23_concurrentObservesOnOneNodeDoNotDeadlock() throws Exception {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a", "b"), ev("c"));
    node.learnEvents(ev("a"), ev("c", "d"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<SessionState>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          SessionState s = node.processor.updateGenes(SessionState.empty(), map("max_pattern_length", 3L));
          for (int i = 0; i < 150; i++) {
            s = node.processor.observe(s, EngineFixture.strings("a", "x" + thread)).state();
            node.processor.predictions(s);
          }
          return s;
        }));
      }
      for (Future<SessionState> f : futures) {
        assertThat(f.get(15, TimeUnit.SECONDS).time()).isEqualTo(150);
      }
    } finally {
      pool.shutdownNow();
    }
    // each thread auto-learned its own pattern [[a,x_t]]*3 fifty times
    assertThat(node.processor.patternCount()).isEqualTo(6);
    for (int t = 0; t < 4; t++) {
      List<String> event = ev("a", "x" + t);
      assertThat(node.processor.pattern(PatternNames.hash(events(event, event, event))).frequency()).isEqualTo(50);
    }
  }

  @Test
  void Q_29_manyNodesKeepTheirPatterns() {
    List<EngineFixture> nodes = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      EngineFixture node = EngineFixture.create(NodeDefaults.builder().processPredictions(false).build());
      node.learnEvents(ev("test_" + i), ev("x"));
      nodes.add(node);
    }
    for (int i = 0; i < 150; i++) {
      assertThat(nodes.get(i).processor.patternCount()).isEqualTo(1);
      assertThat(nodes.get(i).processor.pattern(PatternNames.hash(events(ev("test_" + i), ev("x"))))).isNotNull();
    }
  }

  @Test
  void Q_36_anyIndexerTypeStillUsesTheVectorIndex() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().indexerType("FAISS").build());
    node.genes("indexer_type", "LSH");
    node.observe(vectors(new double[] {1, 2, 3, 4}));
    node.learn();
    Processor.ObserveResult r = node.observe(vectors(new double[] {1, 2, 3, 4.1}));
    assertThat(r.symbols()).containsExactly(VectorText.vectorName(new double[] {1, 2, 3, 4.1}), V_1234);
  }

  @Test
  void Q_40_loneSurrogatesAreHandledByTheEngineWithoutFailure() {
    EngineFixture node = EngineFixture.create();
    assertThatCode(() -> {
      node.observe("\uD800");
      node.observe("x\uDFFF", "\uD83D\uDE00");
      String name = node.learn();
      assertThat(name).startsWith("PTRN|").hasSize(45);
      node.observe("\uD800");
      node.observe("x\uDFFF");
      assertThat(node.predictionList()).isNotEmpty();
    }).doesNotThrowAnyException();
  }

  // =============================================================================================
  // PREDICTIONS.md worked examples (§4.7, §5.10, §5.12) and §10
  // =============================================================================================

  private static EngineFixture e1Node() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("hello"), ev("world"), ev("bar", "foo"), ev("baz"));
    node.learnEvents(ev("hello"), ev("there"), ev("foo"));
    node.observeAll(events(ev("hello"), ev("world")));
    return node;
  }

  @Test
  void E1_section5_12_completeExampleEveryNumber() {
    EngineFixture node = e1Node();
    assertThat(node.kb.totalUniquePatterns()).isEqualTo(2);
    assertThat(node.kb.symbolCount()).isEqualTo(6);
    PredictionResult result = node.predictions();
    List<Prediction> predictions = result.predictions();
    assertThat(EngineFixture.names(predictions)).containsExactly("186e069277cf5cff789e70e05c1a68cf2730bd4b",
        "eda4502d0074c782eb8fb3970ce9f4d60f654d10");

    FullPrediction p1 = (FullPrediction) predictions.get(0);
    FullPrediction expected1 = new FullPrediction("186e069277cf5cff789e70e05c1a68cf2730bd4b", 1, Map.of(),
        List.of("hello", "world"), List.of(), events(ev("hello"), ev("world")), events(ev(), ev()),
        events(ev(), ev()), List.of(), 3.4, 0.4, 0.5714285714285714, 0.0, 1.0, 0.25, 0.48571428571428565,
        events(ev("hello"), ev("world"), ev("bar", "foo"), ev("baz")), events(ev("bar", "foo"), ev("baz")), 1.0,
        null, null, null, null, null, 1.0, 0.3868528072345416, 0.1934264036172708, 0.9999999999999999, 0.75,
        0.5, 0.2857142857142857, 0.5882352941176471, 0.5, 0.5714285714285714);
    assertThat(p1).isEqualTo(expected1);

    FullPrediction p2 = (FullPrediction) predictions.get(1);
    FullPrediction expected2 = new FullPrediction("eda4502d0074c782eb8fb3970ce9f4d60f654d10", 1, Map.of(),
        List.of("hello"), List.of(), events(ev("hello")), events(ev()), events(ev(), ev("world")), List.of(),
        2.391658039944402, 0.3333333333333333, 0.4, 0.0, 0.3333333333333333, 0.0, 0.4857142857142857,
        events(ev("hello"), ev("there"), ev("foo")), events(ev("there"), ev("foo")), 1.0, null, null, null,
        null, null, 0.0, 0.0, 0.0, 0.9472135954999579, 1.0, 0.5, 0.2, 0.411764705882353, 0.5, 0.4);
    assertThat(p2).isEqualTo(expected2);

    assertThat(result.futurePotentials()).containsExactly(
        new FuturePotential(events(ev("bar", "foo"), ev("baz")), 0.5882352941176471, 1, 0.5714285714285714),
        new FuturePotential(events(ev("there"), ev("foo")), 0.411764705882353, 1, 0.4));

    // the observe pass computed the same predictions with the node defaults
    assertThat(node.session.predictions()).isEqualTo(predictions);
  }

  @Test
  void E2_matchStartingInsideAnEvent() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a", "b"), ev("c"), ev("d"));
    node.observeAll(events(ev("b"), ev("c")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.similarity()).isEqualTo(0.6666666666666665);
    assertThat(p.matches()).containsExactly("b", "c");
    assertThat(p.past()).isEmpty();
    assertThat(p.present()).containsExactly(ev("a", "b"), ev("c"));
    assertThat(p.future()).containsExactly(ev("d"));
    assertThat(p.missing()).containsExactly(ev("a"), ev());
    assertThat(p.extras()).containsExactly(ev(), ev());
    assertThat(p.evidence()).isEqualTo(0.5);
    assertThat(p.confidence()).isEqualTo(0.6666666666666666);
    assertThat(p.snr()).isEqualTo(1.0);
  }

  @Test
  void E3_threeBlocks() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("c"), ev("d"), ev("e"));
    node.observeAll(events(ev("a"), ev("c"), ev("x"), ev("e")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.similarity()).isEqualTo(0.6666666666666665);
    assertThat(p.matches()).containsExactly("a", "c", "e");
    assertThat(p.present()).containsExactly(ev("a"), ev("b"), ev("c"), ev("d"), ev("e"));
    assertThat(p.future()).isEmpty();
    assertThat(p.missing()).containsExactly(ev(), ev("b"), ev(), ev("d"), ev());
    assertThat(p.extras()).containsExactly(ev(), ev(), ev("x"), ev());
    assertThat(p.evidence()).isEqualTo(0.6);
    assertThat(p.confidence()).isEqualTo(0.6);
    assertThat(p.snr()).isEqualTo(0.7142857142857143);
    assertThat(p.fragmentation()).isEqualTo(2.0);
    assertThat(p.potential()).isEqualTo(1.9650728597176739);
    assertThat(node.predictions().futurePotentials()).isEmpty(); // no candidate has a future
  }

  @Test
  void Q5_E4_similarityIsLcsButMatchesComeFromGreedyBlocks() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("a"));
    node.observeAll(events(ev("b"), ev("c"), ev("a")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.similarity()).isEqualTo(0.6666666666666665); // LCS b,a = 2
    assertThat(p.matches()).containsExactly("a"); // greedy block: 1
    assertThat(p.past()).isEmpty();
    assertThat(p.present()).containsExactly(ev("a"));
    assertThat(p.future()).containsExactly(ev("b"), ev("a"));
    assertThat(p.extras()).containsExactly(ev("b"), ev("c"), ev());
    assertThat(p.snr()).isEqualTo(0.0);
    assertThat(p.potential()).isEqualTo(2.0);
  }

  @Test
  void Q9_E5_firstMatchRuleMovesAWholeEarlierEvent() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a", "b"), ev("a"), ev("c"));
    node.observeAll(events(ev("a"), ev("c")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.matches()).containsExactly("a", "c");
    assertThat(p.past()).isEmpty();
    assertThat(p.present()).containsExactly(ev("a", "b"), ev("a"), ev("c"));
    assertThat(p.missing()).containsExactly(ev("b"), ev(), ev());
    assertThat(p.confidence()).isEqualTo(0.5);
  }

  @Test
  void Q8_E6_missingIsByValue() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("a"), ev("c"));
    node.observeAll(events(ev("a"), ev("b"), ev("c")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.similarity()).isEqualTo(0.8571428571428571);
    assertThat(p.matches()).containsExactly("a", "b", "c");
    assertThat(p.present()).containsExactly(ev("a"), ev("b"), ev("a"), ev("c"));
    assertThat(p.missing()).containsExactly(ev(), ev(), ev(), ev()); // the second a is not "missing"
    assertThat(p.evidence()).isEqualTo(0.75);
    assertThat(p.confidence()).isEqualTo(0.75);
    assertThat(p.fragmentation()).isEqualTo(1.0);
  }

  @Test
  void Q8_E7_extrasByValueButSnrPositional() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.observeAll(events(ev("a"), ev("a"), ev("b")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.matches()).containsExactly("a", "b");
    assertThat(p.extras()).containsExactly(ev(), ev(), ev()); // the unmatched a is not an extra by value
    assertThat(p.snr()).isEqualTo(0.6); // but counts as one positionally: (4-1)/(4+1)
    assertThat(p.evidence()).isEqualTo(1.0);
    assertThat(p.potential()).isEqualTo(3.1486832980505137);
  }

  @Test
  void E8_thresholdZeroReturnsPatternsWithoutACommonToken() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.learnEvents(ev("x"), ev("y"));
    node.genes("recall_threshold", 0.0);
    node.observeAll(events(ev("a"), ev("q")));
    List<Prediction> predictions = node.predictionList();
    assertThat(predictions).hasSize(2);
    FullPrediction ab = full(predictions, "76d7ef");
    assertThat(ab.similarity()).isEqualTo(0.5);
    assertThat(ab.matches()).containsExactly("a");
    assertThat(ab.future()).containsExactly(ev("b"));
    assertThat(ab.extras()).containsExactly(ev(), ev("q"));
    assertThat(ab.snr()).isEqualTo(0.3333333333333333);

    FullPrediction xy = full(predictions, "0b546f");
    assertThat(xy.similarity()).isEqualTo(0.0);
    assertThat(xy.matches()).isEmpty();
    assertThat(xy.past()).isEmpty();
    assertThat(xy.present()).containsExactly(ev("x"), ev("y"));
    assertThat(xy.future()).isEmpty();
    assertThat(xy.missing()).containsExactly(ev("x"), ev("y"));
    assertThat(xy.extras()).containsExactly(ev("a"), ev("q"));
    assertThat(xy.evidence()).isEqualTo(0.0);
    assertThat(xy.confidence()).isEqualTo(0.0);
    assertThat(xy.snr()).isEqualTo(-1.0);
    assertThat(xy.fragmentation()).isEqualTo(-1.0);
    assertThat(xy.potential()).isEqualTo(0.5);
    // with the default threshold the token-less pattern is not returned
    node.genes("recall_threshold", 0.1);
    assertThat(EngineFixture.names(node.predictionList())).containsExactly(ab.name());
  }

  @Test
  void Q6_E10_characterModeSimilarity() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("hello"), ev("world"));
    node.learnEvents(ev("help"), ev("word"));
    node.genes("use_token_matching", false, "recall_threshold", 0.5);
    node.observeAll(events(ev("hello"), ev("word")));
    List<Prediction> predictions = node.predictionList();
    assertThat(predictions).hasSize(2);
    FullPrediction helloWorld = full(predictions, "7d0678");
    assertThat(helloWorld.similarity()).isEqualTo(0.9523809523809522);
    assertThat(helloWorld.matches()).containsExactly("hello");
    assertThat(helloWorld.present()).containsExactly(ev("hello"));
    assertThat(helloWorld.future()).containsExactly(ev("world"));
    FullPrediction helpWord = full(predictions, "a6c958");
    assertThat(helpWord.similarity()).isEqualTo(0.8421052631578947);
    assertThat(helpWord.matches()).containsExactly("word");
    assertThat(helpWord.past()).containsExactly(ev("help"));
    assertThat(helpWord.present()).containsExactly(ev("word"));
  }

  @Test
  void Q6_characterModeDropsPatternsWithoutACommonTokenAndReturnsNothingAtThresholdZero() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("hello"), ev("world"));
    node.genes("use_token_matching", false, "recall_threshold", 0.5);
    // character similarity ((hellp worle) vs (hello world)) is 0.8 but no token is shared
    node.observeAll(events(ev("hellp"), ev("worle")));
    assertThat(node.predictionList()).isEmpty();
    node.clearStm();
    node.observeAll(events(ev("hello"), ev("worle")));
    assertThat(node.predictionList()).hasSize(1);

    // second half: t = 0.0 in character mode returns nothing, even for an exact match
    node.clearStm();
    node.observeAll(events(ev("hello"), ev("world")));
    node.genes("recall_threshold", 0.0);
    assertThat(node.predictionList()).isEmpty();
    node.genes("use_token_matching", true);
    assertThat(node.predictionList()).hasSize(1);
  }

  @Test
  void Q20_F1_fuzzyMatchedTokensAreExtrasAndAnomalies() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("hello"), ev("world"), ev("foo"));
    node.genes("fuzzy_token_threshold", 0.7);
    node.observeAll(events(ev("hallo"), ev("world")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.similarity()).isEqualTo(0.4);
    assertThat(p.matches()).containsExactly("hallo", "world");
    assertThat(p.past()).containsExactly(ev("hello"));
    assertThat(p.present()).containsExactly(ev("world"));
    assertThat(p.extras()).containsExactly(ev("hallo"), ev());
    assertThat(p.confidence()).isEqualTo(2.0);
    assertThat(p.snr()).isEqualTo(1.0);
    assertThat(p.anomalies()).containsExactly(new Anomaly("hallo", "hello", 0.8));
    // without fuzzy matching: no anomalies, only the exact match
    node.genes("fuzzy_token_threshold", null);
    FullPrediction exact = onlyFull(node.predictionList());
    assertThat(exact.matches()).containsExactly("world");
    assertThat(exact.anomalies()).isEmpty();
  }

  @Test
  void Q20_F3_everyRepeatedStateTokenCounts() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.genes("fuzzy_token_threshold", 0.5);
    node.observeAll(events(ev("a"), ev("a"), ev("a")));
    FullPrediction p = onlyFull(node.predictionList());
    assertThat(p.matches()).containsExactly("a", "a", "a");
    assertThat(p.present()).containsExactly(ev("a"));
    assertThat(p.evidence()).isEqualTo(1.5);
    assertThat(p.confidence()).isEqualTo(3.0);
    assertThat(p.potential()).isEqualTo(6.5);
  }

  @Test
  void Q3_section7_oneSymbolStmTakesTheSingleSymbolPath() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("c"));
    node.learnEvents(ev("a", "x"), ev("c"));
    node.learnEvents(ev("b", "q"), ev("a"));
    node.learnEvents(ev("q"), ev("a"));
    node.genes("recall_threshold", 0.9, "use_token_matching", false); // both ignored here
    node.observe("a");
    PredictionResult result = node.predictions();
    assertThat(result.futurePotentials()).isEmpty();
    assertThat(result.predictions()).hasSize(2).allMatch(p -> p instanceof SingleSymbolPrediction);

    SingleSymbolPrediction first = (SingleSymbolPrediction) result.predictions().get(0);
    assertThat(first).isEqualTo(new SingleSymbolPrediction("b98534b32c1d7489d4ce1a48724aa65aeecbdba9",
        events(ev("a"), ev("b"), ev("c")), 3, 1, Map.of(), List.of("a"), List.of(), List.of("a"), List.of(),
        List.of("b", "c"), List.of(), 0.5, 0.3333333333333333, 1.0, 1.0, 0, List.of(), null, null, null, null,
        2.333333333333333));
    SingleSymbolPrediction second = (SingleSymbolPrediction) result.predictions().get(1);
    assertThat(second.name()).isEqualTo("76abf029cc6d2931f143c39badbb46206104e8fd");
    assertThat(second.patternData()).containsExactly(ev("a", "x"), ev("c"));
    assertThat(second.future()).containsExactly("x", "c");
    assertThat(second.similarity()).isEqualTo(0.5);
    assertThat(second.potential()).isEqualTo(2.333333333333333);
    assertThat(node.session.predictions()).isEqualTo(result.predictions());
  }

  @Test
  void Q3_E9b_onlyPatternsWhoseFirstStoredSymbolMatches() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a", "b"), ev("c"));
    node.observe("b");
    assertThat(node.predictionList()).isEmpty();
    node.clearStm();
    node.observe("a");
    assertThat(node.predictionList()).hasSize(1);
  }

  @Test
  void Q3_singleSymbolPathUsesTheNodeUseTokenMatchingAndRanksShorterPatternsFirst() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().useTokenMatching(false).build());
    node.learnEvents(ev("a"), ev("b"), ev("c"), ev("d"));
    node.learnEvents(ev("a"), ev("b"), ev("c"));
    node.genes("use_token_matching", true); // the session value is not used on this path
    node.observe("a");
    List<Prediction> predictions = node.predictionList();
    assertThat(predictions).hasSize(2);
    SingleSymbolPrediction shorter = (SingleSymbolPrediction) predictions.get(0);
    SingleSymbolPrediction longer = (SingleSymbolPrediction) predictions.get(1);
    assertThat(shorter.length()).isEqualTo(3);
    assertThat(longer.length()).isEqualTo(4);
    // character ratio of "a b c" vs "a": Tc = 6, Lc = 1 (§3.2)
    assertThat(shorter.similarity()).isEqualTo(100.0 * (1.0 - ((6 - 2) / 6.0)) / 100.0);
    assertThat(longer.similarity()).isEqualTo(100.0 * (1.0 - ((8 - 2) / 8.0)) / 100.0);
    assertThat(shorter.potential()).isEqualTo(2.333333333333333);
    assertThat(longer.potential()).isEqualTo(2.25);
  }

  @Test
  void Q4_tokenSimilarityGoesThroughTimes100ButTheSingleSymbolPathDoesNot() {
    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"));
    node.observe("a");
    SingleSymbolPrediction single = (SingleSymbolPrediction) node.predictionList().get(0);
    assertThat(single.similarity()).isEqualTo(0.6666666666666666); // 2/3 directly

    EngineFixture full = EngineFixture.create();
    full.learnEvents(ev("a", "b"), ev("c"), ev("d"));
    full.observeAll(events(ev("b"), ev("c")));
    assertThat(onlyFull(full.predictionList()).similarity()).isEqualTo(0.6666666666666665); // ((4/6)*100)/100
  }

  @Test
  void Q11_pruningAt3KLeaksPrePotentialAndChangesTheEnsemble() {
    EngineFixture node = EngineFixture.create();
    // A: highest similarity (8/12), fragmented, so the lowest _pre_potential; B1..B3: similarity 4/7
    String a = node.learnEvents(ev("a"), ev("x"), ev("b"), ev("y"), ev("c"), ev("z"), ev("d"), ev("w"));
    String b1 = node.learnEvents(ev("a"), ev("b"), ev("f1"));
    node.learnEvents(ev("b"), ev("c"), ev("f2"));
    node.learnEvents(ev("c"), ev("d"), ev("f3"));
    node.genes("rank_sort_algo", "similarity");
    node.observeAll(events(ev("a"), ev("b"), ev("c"), ev("d")));

    node.genes("max_predictions", 2L); // 4 candidates <= 3K = 6: no pruning
    PredictionResult unpruned = node.predictions();
    assertThat(unpruned.predictions()).hasSize(2);
    FullPrediction best = (FullPrediction) unpruned.predictions().get(0);
    assertThat(best.name()).isEqualTo(PatternNames.bare(a));
    assertThat(best.similarity()).isEqualTo(0.6666666666666665); // ((8/12)*100)/100, Q4
    assertThat(unpruned.predictions()).allSatisfy(p -> assertThat(((FullPrediction) p).prePotential()).isNull());
    assertThat(best.patternProbability()).isEqualTo(0.25);
    assertThat(unpruned.futurePotentials()).hasSize(4);

    node.genes("max_predictions", 1L); // 4 candidates > 3K = 3: A is pruned before ranking
    PredictionResult pruned = node.predictions();
    FullPrediction top = onlyFull(pruned.predictions());
    assertThat(top.name()).isEqualTo(PatternNames.bare(b1));
    assertThat(top.similarity()).isEqualTo(0.5714285714285714);
    assertThat(top.prePotential()).isNotNull();
    assertThat(top.prePotential())
        .isEqualTo((top.evidence() + top.confidence()) * top.snr() + 1.0 / (top.fragmentation() + 1));
    assertThat(top.prePotential()).isEqualTo((2.0 / 3 + 1.0) * ((4.0 - 2) / (4.0 + 2)) + 1.0);
    // the ensemble statistics only cover the three survivors
    assertThat(top.patternProbability()).isEqualTo(1.0 / 3);
    assertThat(pruned.futurePotentials()).hasSize(3)
        .noneMatch(f -> f.future().equals(events(ev("w"))));
  }

  @Test
  void Q13_stateSymbolsWeighZeroInItfdfUnlessACandidateContainsThem() {
    EngineFixture node = EngineFixture.create();
    String ab = node.learnEvents(ev("a"), ev("b"));
    // z is known to the node, but its only pattern is too long to reach t = 0.1 (2/23 < 0.1)
    List<List<String>> longPattern = new ArrayList<>();
    longPattern.add(ev("z"));
    for (int i = 0; i < 20; i++) {
      longPattern.add(ev("q" + i));
    }
    node.learn(longPattern);
    node.observeAll(events(ev("a"), ev("z")));

    FullPrediction alone = onlyFull(node.predictionList());
    assertThat(alone.name()).isEqualTo(PatternNames.bare(ab));
    assertThat(alone.itfdfSimilarity()).isEqualTo(1.0); // z weighs 0: cosine of [Q(a), 0] and [Q(a), 0]

    node.genes("recall_threshold", 0.05); // now the long pattern is a candidate and z enters Q
    FullPrediction withZ = full(node.predictionList(), ab);
    assertThat(node.predictionList()).hasSize(2);
    assertThat(withZ.itfdfSimilarity()).isLessThan(1.0);
    // Q = {a: 1/2, z: 1/2}: cos([.5,.5],[.5,0]) = 0.7071…, itfdf = 1 - (1 - cos) * 1 / 2
    assertThat(withZ.itfdfSimilarity()).isCloseTo(1 - (1 - Math.sqrt(0.5)) / 2, within(1e-15));
  }

  @Test
  void Q14_section4_11_finalizeTrainingNumbers() {
    EngineFixture node = EngineFixture.create();
    String first = node.learnEvents(ev("a", "b"), ev("a"));
    node.learnEvents(ev("a", "b"), ev("a"));
    String second = node.learnEvents(ev("a"), ev("c"), ev("d"));
    assertThat(node.processor.pattern(first).metrics()).isNull();

    Processor.FinalizeResult result = node.processor.finalizeTraining();

    assertThat(result.patternsProcessed()).isEqualTo(2);
    assertThat(result.elapsedMillis()).isGreaterThanOrEqualTo(0.0);
    PatternMetrics m = node.processor.pattern(first).metrics();
    assertThat(m.entropy()).isEqualTo(0.9182958340544896);
    assertThat(m.normalizedEntropy()).isEqualTo(0.4591479170272448);
    assertThat(m.globalNormalizedEntropy()).isEqualTo(0.25);
    assertThat(m.tfVector()).containsExactly(Map.entry("a", 0.6666666666666666), Map.entry("b", 0.3333333333333333));
    // second pattern, derived from the §4.11 formulas: 3 equiprobable symbols, T = 4, q(c) = q(d) = 1/2
    PatternMetrics m2 = node.processor.pattern(second).metrics();
    assertThat(m2.entropy()).isEqualTo(1.584962500721156);
    assertThat(m2.normalizedEntropy()).isCloseTo(Math.log(3) / Math.log(4), within(1e-15));
    assertThat(m2.globalNormalizedEntropy()).isCloseTo(0.5, within(1e-15));
    assertThat(m2.tfVector().keySet()).containsExactly("a", "c", "d");
  }

  @Test
  void Q14_precomputedMetricsAreUsedAsStoredAndStayFrozen() {
    EngineFixture node = e1Node();
    node.processor.finalizeTraining();
    List<Prediction> after = node.predictionList();
    FullPrediction p1 = full(after, "186e069277cf5cff789e70e05c1a68cf2730bd4b");
    FullPrediction p2 = full(after, "eda4502d0074c782eb8fb3970ce9f4d60f654d10");
    // P2 (whole pattern: 3 equiprobable symbols) — the values §5.12 lists after finalize-training
    assertThat(p2.entropy()).isEqualTo(1.584962500721156);
    assertThat(p2.tfidfScore()).isEqualTo(0.5555555555555555);
    // P2's normalized/global entropies and all of P1's, derived from §4.11/§5.5b/§5.6 (N = 6, U = 2)
    assertThat(p2.normalizedEntropy()).isCloseTo(Math.log(3) / Math.log(6), within(1e-15));
    assertThat(p2.globalNormalizedEntropy()).isCloseTo(-0.5 * Math.log(0.5) / Math.log(6), within(1e-15));
    assertThat(p1.entropy()).isCloseTo(Math.log(5) / Math.log(2), within(1e-15));
    assertThat(p1.normalizedEntropy()).isCloseTo(Math.log(5) / Math.log(6), within(1e-15));
    assertThat(p1.globalNormalizedEntropy()).isCloseTo(3 * (-0.5 * Math.log(0.5) / Math.log(6)), within(1e-15));
    assertThat(p1.tfidfScore()).isCloseTo(0.2 * (1 + 2 + 2 + 2 + 2) / 5, within(1e-15));
    // other fields are unaffected
    assertThat(p1.potential()).isEqualTo(3.4);
    assertThat(p1.itfdfSimilarity()).isEqualTo(0.9999999999999999);

    // further learning: stored metrics stay frozen, tf-idf moves with U and Q, new patterns are runtime
    node.clearStm();
    String late = node.learnEvents(ev("hello"), ev("world"), ev("late"));
    node.learnEvents(ev("x"), ev("y"));
    node.observeAll(events(ev("hello"), ev("world")));
    List<Prediction> later = node.predictionList();
    FullPrediction p1Later = full(later, "186e069277cf5cff789e70e05c1a68cf2730bd4b");
    FullPrediction p2Later = full(later, "eda4502d0074c782eb8fb3970ce9f4d60f654d10");
    assertThat(p1Later.entropy()).isEqualTo(p1.entropy());
    assertThat(p1Later.normalizedEntropy()).isEqualTo(p1.normalizedEntropy());
    assertThat(p1Later.globalNormalizedEntropy()).isEqualTo(p1.globalNormalizedEntropy());
    assertThat(p2Later.entropy()).isEqualTo(1.584962500721156);
    assertThat(p1Later.tfidfScore()).isNotEqualTo(p1.tfidfScore());
    FullPrediction lateP = full(later, late);
    assertThat(lateP.entropy()).isEqualTo(1.0); // runtime: present [[hello],[world]]
    // U = 4, Q(hello) = 3/4, Q(world) = 2/4: w = 3 and 2
    double idfHello = Math.log(4.0 / 3) / Math.log(2) + 1;
    double idfWorld = Math.log(4.0 / 2) / Math.log(2) + 1;
    assertThat(lateP.tfidfScore()).isCloseTo((0.5 * idfHello + 0.5 * idfWorld) / 2, within(1e-15));
  }

  @Test
  void Q15_idfWeightIsTruncatedFromTheDoubleProduct() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().processPredictions(false).build());
    assertThat(0.29 * 100).isLessThan(29.0); // 28.999999999999996
    String target = null;
    for (int i = 0; i < 29; i++) {
      String name = node.learnEvents(ev("s"), ev("u" + i));
      if (i == 0) {
        target = name;
      }
    }
    for (int i = 29; i < 100; i++) {
      node.learnEvents(ev("v" + i), ev("w" + i));
    }
    assertThat(node.kb.totalUniquePatterns()).isEqualTo(100);
    assertThat(node.kb.patternMemberFrequency(node.kb.symbolId("s"))).isEqualTo(29);
    node.observeAll(events(ev("s"), ev("u0")));
    FullPrediction p = full(node.predictionList(), target);
    assertThat(p.present()).containsExactly(ev("s"), ev("u0"));
    double log2 = Math.log(2);
    double withQuirk = (0.5 * (Math.log(100.0 / 28) / log2 + 1) + 0.5 * (Math.log(100.0) / log2 + 1)) / 2;
    double withoutQuirk = (0.5 * (Math.log(100.0 / 29) / log2 + 1) + 0.5 * (Math.log(100.0) / log2 + 1)) / 2;
    assertThat(p.tfidfScore()).isCloseTo(withQuirk, within(1e-12));
    assertThat(Math.abs(p.tfidfScore() - withoutQuirk)).isGreaterThan(1e-3);
  }

  @Test
  void Q26_fragmentationIsAFloatOnTheFullPathAndAnIntOnTheSingleSymbolPath() throws Exception {
    assertThat(FullPrediction.class.getRecordComponents())
        .filteredOn(c -> c.getName().equals("fragmentation"))
        .singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo(double.class));
    assertThat(SingleSymbolPrediction.class.getRecordComponents())
        .filteredOn(c -> c.getName().equals("fragmentation"))
        .singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo(int.class));

    EngineFixture node = EngineFixture.create();
    node.learnEvents(ev("a"), ev("b"), ev("c"));
    node.observe("a");
    Object single = ((SingleSymbolPrediction) node.predictionList().get(0)).fragmentation();
    assertThat(single).isEqualTo(0);
    node.observe("b");
    Object fullPath = onlyFull(node.predictionList()).fragmentation();
    assertThat(fullPath).isEqualTo(0.0);
  }

  @Test
  void Q27_futureGroupsCompareSortedEventsAndKeepTheFirstMembersFuture() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().sortSymbols(false).build());
    String first = node.learnEvents(ev("a"), ev("b"), ev("x", "y"));
    String second = node.learnEvents(ev("a"), ev("b"), ev("y", "x"));
    assertThat(first).isNotEqualTo(second);
    node.observeAll(events(ev("a"), ev("b")));
    PredictionResult result = node.predictions();
    assertThat(result.predictions()).hasSize(2);
    assertThat(result.futurePotentials()).containsExactly(
        new FuturePotential(events(ev("x", "y")), 1.0, 2, 0.0 + 0.6666666666666665 + 0.6666666666666665));
    FullPrediction secondPrediction = full(result.predictions(), second);
    assertThat(secondPrediction.future()).containsExactly(ev("y", "x")); // its own future as stored
    assertThat(secondPrediction.predictiveInformation()).isEqualTo(secondPrediction.weightedStrength() / 1.0);
  }

  @Test
  void section5_10_affinityWeightingNumbers() {
    EngineFixture node = EngineFixture.create();
    node.observe(EngineFixture.withEmotives(emo("joy", 2.0), "a"));
    node.observeAll(events(ev("b"), ev("c")));
    String abc = node.learn();
    node.clearStm();
    node.observe(EngineFixture.withEmotives(emo("joy", -1.0), "a"));
    node.observeAll(events(ev("x"), ev("c")));
    String axc = node.learn();
    node.clearStm();
    assertThat(node.affinity("a", "joy")).isEqualTo(1.0);
    assertThat(node.affinity("b", "joy")).isEqualTo(2.0);
    assertThat(node.affinity("c", "joy")).isEqualTo(1.0);
    assertThat(node.affinity("x", "joy")).isEqualTo(-1.0);

    node.genes("affinity_emotive", "joy");
    node.observeAll(events(ev("a"), ev("b")));
    List<Prediction> predictions = node.predictionList();
    FullPrediction pAbc = full(predictions, abc);
    assertThat(pAbc.weightedSimilarity()).isEqualTo(1.0);
    assertThat(pAbc.weightedEvidence()).isEqualTo(1.0);
    assertThat(pAbc.potential()).isEqualTo(4.0);
    FullPrediction pAxc = full(predictions, axc);
    assertThat(pAxc.weightedSimilarity()).isEqualTo(0.3366336633663367);
    assertThat(pAxc.weightedEvidence()).isEqualTo(1.0);
    assertThat(pAxc.weightedConfidence()).isEqualTo(1.0);
    assertThat(pAxc.weightedSnr()).isEqualTo(0.2023809523809524);
    assertThat(pAxc.potential()).isEqualTo(2.3519755002618625);

    node.clearStm();
    node.observe("a");
    SingleSymbolPrediction single = (SingleSymbolPrediction) node.predictionList().stream()
        .filter(p -> p.name().equals(PatternNames.bare(axc))).findFirst().orElseThrow();
    assertThat(single.weightedSimilarity()).isEqualTo(0.4015748031496063);
    assertThat(single.weightedEvidence()).isEqualTo(0.25123152709359603);
    assertThat(single.weightedConfidence()).isEqualTo(1.0);
    assertThat(single.weightedSnr()).isEqualTo(1.0);
    assertThat(single.potential()).isEqualTo(2.251231527093596);
  }

  @Test
  void Q31_above500PatternsWeightedSimilarityIsNullButTheOtherWeightedFieldsAreComputed() {
    EngineFixture node = EngineFixture.create(NodeDefaults.builder().processPredictions(false).build());
    node.observe(EngineFixture.withEmotives(emo("joy", 1.0), "a"));
    node.observe("b");
    String ab = node.learn();
    node.clearStm();
    for (int i = 0; i < 499; i++) {
      node.learnEvents(ev("p" + i), ev("q" + i));
    }
    node.genes("affinity_emotive", "joy");
    node.observeAll(events(ev("a"), ev("b")));
    assertThat(node.processor.patternCount()).isEqualTo(500);
    FullPrediction at500 = full(node.predictionList(), ab);
    assertThat(at500.weightedSimilarity()).isNotNull();

    SessionState querying = node.session;
    node.session = SessionState.empty();
    node.learnEvents(ev("p500"), ev("q500"));
    node.session = querying;
    assertThat(node.processor.patternCount()).isEqualTo(501);
    FullPrediction at501 = full(node.predictionList(), ab);
    assertThat(at501.weightedSimilarity()).isNull();
    assertThat(at501.weightedEvidence()).isEqualTo(at500.weightedEvidence()).isNotNull();
    assertThat(at501.weightedConfidence()).isNotNull();
    assertThat(at501.weightedSnr()).isNotNull();
  }
}
