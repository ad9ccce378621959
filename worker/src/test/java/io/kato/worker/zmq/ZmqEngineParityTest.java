package io.kato.worker.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Observation;
import io.kato.engine.PredictionResult;
import io.kato.engine.Processor;
import io.kato.engine.SessionState;
import io.kato.worker.json.EngineJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the endpoint answers equals what a plain {@link Processor} computes for the same
 * operations, rendered through {@link EngineJson}: compared as JSON text, so key order and int vs
 * float are compared too (API.md §5.2: "the same maps as in the JSON API, key for key").
 */
class ZmqEngineParityTest extends ZmqFixture {

  /** One observation, as the wire sends it and as the engine receives it. */
  private record Step(List<String> strings, List<double[]> vectors, Map<String, Double> emotives,
      Map<String, Object> metadata) {

    Map<String, Object> wire() {
      LinkedHashMap<String, Object> params = new LinkedHashMap<>();
      params.put("strings", strings);
      params.put("vectors", vectors);
      params.put("emotives", emotives);
      params.put("metadata", metadata);
      return params;
    }

    Observation engine() {
      return new Observation(strings, vectors, emotives, metadata, "obs-test");
    }
  }

  private static Step step(List<String> strings, Map<String, Double> emotives) {
    return new Step(strings, List.of(), emotives, Map.of());
  }

  private static final List<Step> TRAINING = List.of(
      new Step(List.of("hello", "world"), List.of(new double[] {0.5, 0.25, 1.0}), Map.of("joy", 0.8),
          Map.of("book", "Alice")),
      step(List.of("foo"), Map.of("joy", 0.2, "anger", 0.4)),
      step(List.of("bar", "baz"), Map.of()),
      step(List.of("qux"), Map.of("joy", 1.0)));

  private static final List<Step> SECOND = List.of(
      step(List.of("hello", "world"), Map.of()),
      step(List.of("foo"), Map.of("joy", 0.6)),
      step(List.of("zzz"), Map.of()));

  private static final List<Step> QUERY = List.of(
      new Step(List.of("hello"), List.of(new double[] {0.5, 0.25, 1.0}), Map.of("joy", 0.5), Map.of()),
      step(List.of("foo", "unknown"), Map.of()));

  private static ArrayNode prefixed(ArrayNode predictions) {
    ArrayNode copy = predictions.deepCopy();
    copy.forEach(p -> ((ObjectNode) p).put("name", "PTRN|" + p.get("name").textValue()));
    return copy;
  }

  @Test
  void implicitSessionMatchesTheEngine() {
    Processor engine = new Processor(NodeDefaults.STANDARD);
    SessionState state = SessionState.empty();
    List<String> learned = new ArrayList<>();
    for (List<Step> block : List.of(TRAINING, SECOND)) {
      for (Step s : block) {
        state = engine.observe(state, s.engine()).state();
        ok("observe", s.wire());
      }
      Processor.LearnResult result = engine.learn(state);
      state = result.state();
      learned.add(result.patternName());
      assertThat(ok("learn", Map.of()).get("pattern_name").textValue()).isEqualTo(result.patternName());
    }
    JsonNode lastObserve = null;
    for (Step s : QUERY) {
      state = engine.observe(state, s.engine()).state();
      lastObserve = ok("observe", s.wire());
    }
    assertThat(json(lastObserve.get("short_term_memory"))).isEqualTo(json(state.stm()));
    assertThat(lastObserve.get("interval").longValue()).isEqualTo(state.time());

    PredictionResult expected = engine.predictions(state);
    assertThat(expected.predictions()).as("the scenario must produce predictions").isNotEmpty();
    JsonNode predictions = ok("get_predictions", Map.of());
    assertThat(json(predictions.get("predictions"))).isEqualTo(json(prefixed(EngineJson.predictions(expected.predictions()))));
    assertThat(json(predictions.get("future_potentials")))
        .isEqualTo(json(EngineJson.futurePotentials(expected.futurePotentials())));
    assertThat(predictions.get("count").intValue()).isEqualTo(expected.predictions().size());

    assertThat(json(ok("get_percept_data", Map.of()).get("percept_data")))
        .isEqualTo(json(EngineJson.perceptData(state.perceptData())));
    assertThat(json(ok("get_cognition_data", Map.of()).get("cognition_data")))
        .isEqualTo(json(EngineJson.cognitionData(Processor.cognitionData(state))));
    assertThat(json(ok("get_stm", Map.of()).get("short_term_memory"))).isEqualTo(json(state.stm()));

    for (String name : learned) {
      assertThat(json(ok("get_pattern", map("pattern_id", name)).get("pattern")))
          .isEqualTo(json(EngineJson.pattern(engine.pattern(name))));
    }
  }

  @Test
  void explicitSessionResultsMatchTheEngine() {
    Map<String, Object> genes = map("recall_threshold", 0.05, "max_predictions", 3, "rank_sort_algo", "similarity");
    String sid = ok("create_session", map("node_id", "parity", "config", genes)).get("result").get("session_id")
        .textValue();
    Processor engine = new Processor(NodeDefaults.STANDARD);
    SessionState state = engine.updateGenes(SessionState.empty(), genes);
    for (List<Step> block : List.of(TRAINING, SECOND)) {
      for (Step s : block) {
        state = engine.observe(state, s.engine()).state();
        ok("observe", s.wire(), "session_id", sid);
      }
      state = engine.learn(state).state();
      ok("learn", Map.of(), "session_id", sid);
    }
    for (Step s : QUERY) {
      state = engine.observe(state, s.engine()).state();
      ok("observe", s.wire(), "session_id", sid);
    }
    PredictionResult expected = engine.predictions(state);
    assertThat(expected.predictions()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
    JsonNode body = ok("get_predictions", Map.of(), "session_id", sid).get("result");
    assertThat(json(body.get("predictions"))).isEqualTo(json(EngineJson.predictions(expected.predictions())));
    assertThat(json(body.get("future_potentials"))).isEqualTo(json(EngineJson.futurePotentials(expected.futurePotentials())));
    assertThat(json(ok("get_cognition_data", Map.of(), "session_id", sid).get("result").get("cognition_data")))
        .isEqualTo(json(EngineJson.cognitionData(Processor.cognitionData(state))));
    assertThat(json(ok("get_percept_data", Map.of(), "session_id", sid).get("result").get("percept_data")))
        .isEqualTo(json(EngineJson.perceptData(state.perceptData())));
    assertThat(json(ok("get_config", Map.of(), "session_id", sid).get("result").get("config")))
        .isEqualTo(json(engine.effectiveConfig(state)));
  }

  @Test
  void observeSequenceMatchesTheEngine() {
    Processor engine = new Processor(NodeDefaults.STANDARD);
    SessionState state = SessionState.empty();
    List<String> expectedLearned = new ArrayList<>();
    List<Object> observations = new ArrayList<>();
    for (Step s : TRAINING) {
      state = engine.observe(state, s.engine()).state();
      Processor.LearnResult learned = engine.learn(state);
      state = learned.state();
      expectedLearned.add(learned.patternName());
      observations.add(s.wire());
    }
    JsonNode body = ok("observe_sequence", map("observations", observations, "learn_after_each", true))
        .get("result");
    assertThat(texts(body.get("auto_learned_patterns"))).containsExactlyElementsOf(expectedLearned);
    for (Step s : QUERY) {
      state = engine.observe(state, s.engine()).state();
      ok("observe", s.wire());
    }
    PredictionResult expected = engine.predictions(state);
    assertThat(json(ok("get_predictions", Map.of()).get("predictions")))
        .isEqualTo(json(prefixed(EngineJson.predictions(expected.predictions()))));
  }
}
