package io.kato.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test driver for one node ({@link Processor} over an {@link InMemoryKnowledgeBase} the tests can
 * inspect) and one "current" session. Not a test class: shared by the engine test classes.
 */
final class EngineFixture {
  final NodeDefaults defaults;
  final InMemoryKnowledgeBase kb;
  final Processor processor;
  SessionState session = SessionState.empty();

  EngineFixture(NodeDefaults defaults) {
    this.defaults = defaults;
    this.kb = new InMemoryKnowledgeBase();
    this.processor = new Processor(defaults, kb);
  }

  static EngineFixture create() {
    return new EngineFixture(NodeDefaults.STANDARD);
  }

  static EngineFixture create(NodeDefaults defaults) {
    return new EngineFixture(defaults);
  }

  // ---- building inputs ------------------------------------------------------------------------

  static List<String> ev(String... symbols) {
    return List.of(symbols);
  }

  @SafeVarargs
  static List<List<String>> events(List<String>... events) {
    return List.of(events);
  }

  static Observation strings(String... strings) {
    return Observation.ofStrings(strings);
  }

  static Observation vectors(double[]... vectors) {
    return new Observation(List.of(), Arrays.asList(vectors), Map.of(), Map.of(), "obs-test");
  }

  static Observation observation(List<String> strings, List<double[]> vectors, Map<String, Double> emotives,
      Map<String, Object> metadata) {
    return new Observation(strings, vectors, emotives, metadata, "obs-test");
  }

  static Observation withEmotives(Map<String, Double> emotives, String... strings) {
    return new Observation(List.of(strings), List.of(), emotives, Map.of(), "obs-test");
  }

  static Observation withMetadata(Map<String, Object> metadata, String... strings) {
    return new Observation(List.of(strings), List.of(), Map.of(), metadata, "obs-test");
  }

  static Observation empty() {
    return new Observation(List.of(), List.of(), Map.of(), Map.of(), "obs-test");
  }

  /** An insertion-ordered map from alternating keys and values. */
  static Map<String, Object> map(Object... keysAndValues) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  static Map<String, Double> emo(Object... keysAndValues) {
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).doubleValue());
    }
    return out;
  }

  // ---- driving the current session -------------------------------------------------------------

  Processor.ObserveResult observe(Observation observation) {
    Processor.ObserveResult result = processor.observe(session, observation);
    session = result.state();
    return result;
  }

  Processor.ObserveResult observe(String... strings) {
    return observe(strings(strings));
  }

  /** Observes each event in turn. */
  EngineFixture observeAll(List<List<String>> events) {
    for (List<String> event : events) {
      observe(new Observation(event, List.of(), Map.of(), Map.of(), "obs-test"));
    }
    return this;
  }

  String learn() {
    Processor.LearnResult result = processor.learn(session);
    session = result.state();
    return result.patternName();
  }

  /** Observes the events and learns them; returns the pattern name ({@code PTRN|…} or ""). */
  String learn(List<List<String>> events) {
    observeAll(events);
    return learn();
  }

  @SafeVarargs
  final String learnEvents(List<String>... events) {
    return learn(List.of(events));
  }

  EngineFixture genes(Object... keysAndValues) {
    session = processor.updateGenes(session, map(keysAndValues));
    return this;
  }

  PredictionResult predictions() {
    return processor.predictions(session);
  }

  List<Prediction> predictionList() {
    return predictions().predictions();
  }

  EngineFixture clearStm() {
    session = processor.clearStm(session);
    return this;
  }

  EngineFixture clearAll() {
    session = processor.clearAll(session);
    return this;
  }

  // ---- reading results -------------------------------------------------------------------------

  static FullPrediction full(List<Prediction> predictions, String namePrefix) {
    String bare = PatternNames.bare(namePrefix);
    FullPrediction found = null;
    for (Prediction p : predictions) {
      if (p.name().startsWith(bare)) {
        if (found != null) {
          throw new AssertionError("two predictions start with " + namePrefix);
        }
        found = (FullPrediction) p;
      }
    }
    if (found == null) {
      throw new AssertionError("no prediction " + namePrefix + " in " + names(predictions));
    }
    return found;
  }

  static FullPrediction onlyFull(List<Prediction> predictions) {
    if (predictions.size() != 1) {
      throw new AssertionError("expected exactly one prediction, got " + names(predictions));
    }
    return (FullPrediction) predictions.get(0);
  }

  static List<String> names(List<? extends Prediction> predictions) {
    List<String> out = new ArrayList<>();
    for (Prediction p : predictions) {
      out.add(p.name());
    }
    return out;
  }

  double affinity(String symbol, String emotive) {
    return kb.affinity(kb.symbolId(symbol), emotive);
  }

  static List<String> flatten(List<List<String>> events) {
    List<String> out = new ArrayList<>();
    events.forEach(out::addAll);
    return out;
  }

  static <T> List<T> concat(List<? extends T> a, List<? extends T> b, List<? extends T> c) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    out.addAll(c);
    return out;
  }
}
