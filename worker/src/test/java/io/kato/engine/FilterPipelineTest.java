package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session filter pipeline of PREDICTIONS.md §2.2–§2.3 (Q19, Q-38) and the MinHash of Appendix C. */
class FilterPipelineTest {

  private final Processor node = new Processor(NodeDefaults.STANDARD);

  private SessionState learn(SessionState s, List<String>... events) {
    for (List<String> event : events) {
      s = node.observe(s, Observation.ofStrings(event.toArray(new String[0]))).state();
    }
    return node.learn(s).state();
  }

  private List<String> predictedNames(Map<String, Object> genes, String... stmEvents) {
    SessionState s = node.updateGenes(SessionState.empty(), genes);
    for (String symbol : stmEvents) {
      s = node.observe(s, Observation.ofStrings(symbol)).state();
    }
    return node.predictions(s).predictions().stream().map(Prediction::name).toList();
  }

  private String shortName;
  private String longName;

  private void learnTwoPatterns() {
    SessionState s = SessionState.empty();
    s = learn(s, List.of("a"), List.of("b"), List.of("c"));
    shortName = PatternNames.hash(List.of(List.of("a"), List.of("b"), List.of("c")));
    s = learn(s, List.of("a"), List.of("b"), List.of("x1"), List.of("x2"), List.of("x3"), List.of("x4"),
        List.of("x5"), List.of("x6"), List.of("x7"), List.of("x8"));
    longName = PatternNames.hash(List.of(List.of("a"), List.of("b"), List.of("x1"), List.of("x2"), List.of("x3"),
        List.of("x4"), List.of("x5"), List.of("x6"), List.of("x7"), List.of("x8")));
  }

  @Test
  void minhashSignatureMatchesTheAppendixCheckValues() {
    long[] signature = FilterPipeline.signature(List.of("hello", "world", "test"));
    assertThat(signature).startsWith(228630785L, 216833891L, 617530111L, 553600907L, 447328345L);
  }

  @Test
  void emptyPipelineIsLosslessAndLengthStageIsNot() {
    learnTwoPatterns();
    assertThat(predictedNames(Map.of(), "a", "b")).containsExactlyInAnyOrder(shortName, longName);
    // |S| = 2: admissible lengths 1..4, so the 10-symbol pattern (similarity 0.33) is dropped
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("length")), "a", "b")).containsExactly(shortName);
  }

  @Test
  void zeroParameterMeansTheDefault() {
    learnTwoPatterns();
    // a literal 0.0 would keep the long pattern (jaccard 0.2); 0.0 means the default 0.3
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("jaccard"), "jaccard_threshold", 0.0), "a", "b"))
        .containsExactly(shortName);
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("jaccard"), "jaccard_threshold", 0.1), "a", "b"))
        .containsExactlyInAnyOrder(shortName, longName);
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("length"), "length_max_ratio", 5.0), "a", "b"))
        .containsExactlyInAnyOrder(shortName, longName);
  }

  @Test
  void pythonStageFirstMeansNoPredictionsAndBloomIsANoOpAfterADatabaseStage() {
    learnTwoPatterns();
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("rapidfuzz")), "a", "b")).isEmpty();
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("bloom")), "a", "b")).isEmpty();
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("length", "bloom")), "a", "b"))
        .containsExactly(shortName);
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("jaccard", "rapidfuzz")), "a", "b"))
        .containsExactly(shortName);
  }

  @Test
  void jaccardNeedsOverlapAndRatio() {
    learnTwoPatterns();
    // short pattern: |A∩B| = 2, |A∪B| = 3 → 0.67 ≥ 0.3; long: 2/10 = 0.2 < 0.3
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("jaccard")), "a", "b")).containsExactly(shortName);
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("jaccard"), "jaccard_min_overlap", 3L), "a", "b"))
        .isEmpty();
  }

  @Test
  void minhashStageKeepsNearDuplicatesOnly() {
    learnTwoPatterns();
    assertThat(predictedNames(Map.of("filter_pipeline", List.of("minhash"), "minhash_threshold", 0.6),
        "a", "b", "c")).containsExactly(shortName);
  }
}
