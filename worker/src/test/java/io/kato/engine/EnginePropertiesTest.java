package io.kato.engine;

import static io.kato.engine.EngineFixture.concat;
import static io.kato.engine.EngineFixture.flatten;
import static org.assertj.core.api.Assertions.assertThat;

import io.kato.engine.text.CodePointOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the engine over random scripts. Small alphabets make patterns overlap, so the
 * prediction paths (full, single-symbol, threshold 0, character mode) are all exercised.
 */
class EnginePropertiesTest {

  private static final List<String> ALPHABET = List.of("a", "b", "c", "d", "e");

  // ---- generators -------------------------------------------------------------------------------

  @Provide
  Arbitrary<List<String>> event() {
    return Arbitraries.of(ALPHABET).list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<List<String>>> sequence() {
    return event().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<List<String>>> learnableSequence() {
    return sequence().filter(s -> flatten(s).size() >= 2);
  }

  @Provide
  Arbitrary<List<List<List<String>>>> patterns() {
    return learnableSequence().list().ofMinSize(1).ofMaxSize(8);
  }

  /** One step of a random script. */
  sealed interface Op permits Observe, Learn, Predict, ClearStm {}

  record Observe(List<String> strings, Map<String, Double> emotives) implements Op {}

  record Learn() implements Op {}

  record Predict() implements Op {}

  record ClearStm() implements Op {}

  @Provide
  Arbitrary<List<Op>> script() {
    Arbitrary<Map<String, Double>> emotives = Arbitraries.oneOf(
        Arbitraries.just(Map.<String, Double>of()),
        Arbitraries.doubles().between(-1, 1).ofScale(2).map(v -> Map.of("joy", v)));
    Arbitrary<Op> observe = Combinators.combine(event(), emotives).as(Observe::new);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        Tuple.of(8, observe),
        Tuple.of(2, Arbitraries.just(new Learn())),
        Tuple.of(2, Arbitraries.just(new Predict())),
        Tuple.of(1, Arbitraries.just(new ClearStm())));
    return op.list().ofMinSize(1).ofMaxSize(25);
  }

  // ---- running a script ---------------------------------------------------------------------------

  /** Runs a script on a fresh node and records every result the API hands out. */
  private static List<Object> run(List<Op> script, Map<String, Object> genes, Random shuffle) {
    Processor processor = new Processor(NodeDefaults.STANDARD);
    SessionState session = processor.updateGenes(SessionState.empty(), genes);
    List<Object> out = new ArrayList<>();
    for (Op op : script) {
      if (op instanceof Observe) {
        Observe o = (Observe) op;
        List<String> strings = new ArrayList<>(o.strings());
        if (shuffle != null) {
          Collections.shuffle(strings, shuffle);
        }
        Processor.ObserveResult r = processor.observe(session,
            new Observation(strings, List.of(), o.emotives(), Map.of(), "obs-p"));
        session = r.state();
        out.add(List.of("observe", r.symbols(), String.valueOf(r.autoLearnedPattern()), session.stm(),
            session.predictions(), session.time(), session.emotivesAccumulator()));
      } else if (op instanceof Learn) {
        if (session.stm().isEmpty()) {
          out.add("learn: empty STM");
          continue;
        }
        Processor.LearnResult r = processor.learn(session);
        session = r.state();
        out.add(List.of("learn", r.patternName()));
      } else if (op instanceof Predict) {
        out.add(processor.predictions(session));
      } else {
        session = processor.clearStm(session);
      }
    }
    out.add(processor.predictions(session));
    out.add(processor.patternCount());
    out.add(patternsOf(processor, out));
    return out;
  }

  /** Every learned pattern (name, events, frequency, window, metadata) reachable from the results. */
  private static List<Object> patternsOf(Processor processor, List<Object> results) {
    List<Object> out = new ArrayList<>();
    for (Object result : results) {
      if (result instanceof List && ((List<?>) result).size() == 2 && "learn".equals(((List<?>) result).get(0))) {
        String name = (String) ((List<?>) result).get(1);
        StoredPattern p = name.isEmpty() ? null : processor.pattern(name);
        out.add(p == null ? "none" : Arrays.asList(p.name(), p.sequence(), p.events(), p.frequency(),
            p.emotives(), p.metadata()));
      }
    }
    return out;
  }

  private static Map<String, Object> genes(int maxPatternLength, boolean rolling, double threshold) {
    LinkedHashMap<String, Object> genes = new LinkedHashMap<>();
    genes.put("max_pattern_length", (long) maxPatternLength);
    genes.put("stm_mode", rolling ? "ROLLING" : "CLEAR");
    genes.put("recall_threshold", threshold);
    return genes;
  }

  private static Processor learnAll(List<List<List<String>>> patterns) {
    Processor processor = new Processor(NodeDefaults.builder().processPredictions(false).build());
    for (List<List<String>> pattern : patterns) {
      SessionState s = SessionState.empty();
      for (List<String> event : pattern) {
        s = processor.observe(s, new Observation(event, List.of(), Map.of(), Map.of(), "obs-p")).state();
      }
      processor.learn(s);
    }
    return processor;
  }

  private static SessionState observeAll(Processor processor, SessionState session, List<List<String>> events) {
    for (List<String> event : events) {
      session = processor.observe(session, new Observation(event, List.of(), Map.of(), Map.of(), "obs-p")).state();
    }
    return session;
  }

  private static List<List<String>> sortedEvents(List<List<String>> events) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> event : events) {
      List<String> sorted = new ArrayList<>(event);
      sorted.sort(CodePointOrder.COMPARATOR);
      out.add(sorted);
    }
    return out;
  }

  // ---- properties ---------------------------------------------------------------------------------

  @Property(tries = 150)
  void theSameScriptTwiceGivesIdenticalResults(@ForAll("script") List<Op> script,
      @ForAll @IntRange(min = 0, max = 4) int maxPatternLength, @ForAll boolean rolling,
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double threshold) {
    Map<String, Object> genes = genes(maxPatternLength, rolling, threshold);
    List<Object> first = run(script, genes, null);
    List<Object> second = run(script, genes, null);
    assertThat(second).isEqualTo(first);
    assertThat(second.toString()).isEqualTo(first.toString());
  }

  @Property(tries = 150)
  void symbolOrderInsideAnEventChangesNothingWhenTheNodeSorts(@ForAll("script") List<Op> script,
      @ForAll @IntRange(min = 0, max = 3) int maxPatternLength, @ForAll boolean rolling, @ForAll long seed) {
    Map<String, Object> genes = genes(maxPatternLength, rolling, 0.1);
    List<Object> asGiven = run(script, genes, null);
    List<Object> shuffled = run(script, genes, new Random(seed));
    assertThat(shuffled).isEqualTo(asGiven);
  }

  @Property(tries = 150)
  void learningTheSameStmAgainIncrementsTheFrequencyAndKeepsTheName(
      @ForAll("learnableSequence") List<List<String>> sequence, @ForAll("patterns") List<List<List<String>>> others) {
    Processor processor = learnAll(others);
    StoredPattern before = processor.pattern(PatternNames.hash(sortedEvents(sequence)));
    int frequencyBefore = before == null ? 0 : before.frequency();
    int countBefore = processor.patternCount();

    Processor.LearnResult first = processor.learn(observeAll(processor, SessionState.empty(), sequence));
    Processor.LearnResult second = processor.learn(observeAll(processor, first.state(), sequence));

    assertThat(first.patternName()).isEqualTo("PTRN|" + PatternNames.hash(sortedEvents(sequence)));
    assertThat(second.patternName()).isEqualTo(first.patternName());
    StoredPattern stored = processor.pattern(first.patternName());
    assertThat(stored.frequency()).isEqualTo(frequencyBefore + 2);
    assertThat(stored.events()).isEqualTo(sortedEvents(sequence));
    assertThat(stored.length()).isEqualTo(flatten(sequence).size());
    assertThat(processor.patternCount()).isEqualTo(countBefore + (before == null ? 1 : 0));
  }

  @Property(tries = 200)
  void noFullPathPredictionIsBelowTheEffectiveRecallThreshold(@ForAll("patterns") List<List<List<String>>> patterns,
      @ForAll("learnableSequence") List<List<String>> stm,
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double threshold, @ForAll boolean tokenMatching) {
    Processor processor = learnAll(patterns);
    SessionState session = processor.updateGenes(SessionState.empty(),
        Map.of("recall_threshold", threshold, "use_token_matching", tokenMatching));
    session = observeAll(processor, session, stm);
    List<Prediction> predictions = processor.predictions(session).predictions();

    assertThat(predictions).allSatisfy(p -> {
      assertThat(p).isInstanceOf(FullPrediction.class);
      assertThat(((FullPrediction) p).similarity()).isGreaterThanOrEqualTo(threshold);
      if (threshold > 0.0) {
        assertThat(((FullPrediction) p).matches()).isNotEmpty(); // shares an exact token (§3.3)
      }
    });
    if (threshold == 0.0 && tokenMatching) {
      assertThat(predictions).hasSize(processor.patternCount()); // every pattern, K = 100 > 8
    }
    if (threshold == 0.0 && !tokenMatching) {
      assertThat(predictions).isEmpty(); // Q6
    }
  }

  @Property(tries = 200)
  void pastPresentFutureRebuildThePattern(@ForAll("patterns") List<List<List<String>>> patterns,
      @ForAll("sequence") List<List<String>> stm, @ForAll @DoubleRange(min = 0.0, max = 1.0) double threshold,
      @ForAll boolean zeroThreshold) {
    Processor processor = learnAll(patterns);
    SessionState session = processor.updateGenes(SessionState.empty(),
        Map.of("recall_threshold", zeroThreshold ? 0.0 : threshold));
    session = observeAll(processor, session, stm);
    List<Prediction> predictions = processor.predictions(session).predictions();
    boolean singleSymbol = flatten(stm).size() == 1;

    for (Prediction p : predictions) {
      StoredPattern stored = processor.pattern(p.name());
      assertThat(stored).as("stored pattern of %s", p.name()).isNotNull();
      if (p instanceof FullPrediction) {
        assertThat(singleSymbol).isFalse();
        FullPrediction f = (FullPrediction) p;
        List<List<String>> rebuilt = concat(f.past(), f.present(), f.future());
        assertThat(rebuilt).isEqualTo(f.sequence());
        assertThat(rebuilt).isEqualTo(stored.events());
        assertThat(f.missing()).hasSameSizeAs(f.present());
        assertThat(f.extras()).hasSameSizeAs(session.stm());
      } else {
        assertThat(singleSymbol).isTrue();
        SingleSymbolPrediction s = (SingleSymbolPrediction) p;
        assertThat(s.patternData()).isEqualTo(stored.events());
        List<String> rebuilt = new ArrayList<>(s.present());
        rebuilt.addAll(s.future());
        assertThat(rebuilt).isEqualTo(flatten(s.patternData()));
        assertThat(s.past()).isEmpty();
        assertThat(s.present()).isEqualTo(flatten(session.stm()));
        assertThat(s.length()).isEqualTo(stored.length());
      }
    }
  }
}
