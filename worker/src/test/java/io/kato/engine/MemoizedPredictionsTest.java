package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Predictions answered from the processor's memo are always those a fresh search gives: under
 * any interleaving of observes (strings and vectors, with auto-learn), learns, finalize-training
 * and clear-all of several sessions, with and without gene overrides.
 */
class MemoizedPredictionsTest {

  private static List<String> event(Random random, int alphabet) {
    List<String> event = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      event.add("s" + random.nextInt(alphabet));
    }
    return event;
  }

  @Property(tries = 150)
  void memoizedPredictionsEqualAFreshSearch(@ForAll long seed) {
    Random random = new Random(seed);
    int alphabet = 3 + random.nextInt(12);
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState[] sessions = {
        SessionState.empty(),
        SessionState.empty(),
        node.updateGenes(SessionState.empty(), Map.of("recall_threshold", 0.3, "max_predictions", 3L)),
        node.updateGenes(SessionState.empty(), Map.of("max_pattern_length", 3L))};
    for (int step = 0; step < 80; step++) {
      int s = random.nextInt(sessions.length);
      SessionState session = sessions[s];
      int op = random.nextInt(20);
      if (op < 9) {
        List<double[]> vectors = random.nextInt(10) == 0 ? List.of(new double[] {random.nextInt(3), 1.0}) : List.of();
        sessions[s] = node.observe(session, new Observation(event(random, alphabet), vectors, Map.of(), Map.of(),
            "obs")).state();
      } else if (op < 15) {
        PredictionResult answered = node.predictions(session);
        assertThat(answered).as("step %d, session %d, stm %s", step, s, session.stm())
            .isEqualTo(node.predictionsByPlainScan(session));
      } else if (op < 18) {
        if (!session.stm().isEmpty()) {
          sessions[s] = node.learn(session).state();
        }
      } else if (op == 18) {
        node.finalizeTraining();
      } else if (random.nextInt(4) == 0) {
        sessions[s] = node.clearAll(session);
      }
    }
  }

  @Test
  void readingThePredictionsAnObserveComputedDoesNotSearchAgain() {
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState s = SessionState.empty();
    for (String symbol : List.of("a", "b", "c")) {
      s = node.observe(s, Observation.ofStrings(symbol)).state();
    }
    s = node.learn(s).state();
    s = node.observe(s, Observation.ofStrings("a")).state();
    s = node.observe(s, Observation.ofStrings("b")).state();
    long before = node.memoizedPredictions();

    PredictionResult read = node.predictions(s);

    assertThat(node.memoizedPredictions()).isEqualTo(before + 1);
    assertThat(read.predictions()).isEqualTo(s.predictions()).isNotEmpty();
    assertThat(read).isEqualTo(node.predictionsByPlainScan(s));
  }

  @Test
  void aLearnElsewhereIsSeenByTheNextRead() {
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState reader = SessionState.empty();
    reader = node.observe(reader, Observation.ofStrings("a")).state();
    reader = node.observe(reader, Observation.ofStrings("b")).state();
    assertThat(node.predictions(reader).predictions()).isEmpty();

    SessionState writer = SessionState.empty();
    writer = node.observe(writer, Observation.ofStrings("a")).state();
    writer = node.observe(writer, Observation.ofStrings("b")).state();
    node.learn(writer);

    assertThat(node.predictions(reader).predictions()).hasSize(1);
  }
}
