package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The pruned candidate search (posting lists, length bound) gives exactly the plain scan's
 * predictions, on random knowledge bases, random STMs and random genes.
 */
class IndexVersusScanTest {

  private static final double[] THRESHOLDS = {0.0, 0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 0.9, 1.0};
  private static final String[] RANKINGS = {"potential", "similarity", "evidence", "confidence", "snr",
      "frequency", "itfdf_similarity", "bayesian_posterior", "tfidf_score", "predictive_information"};

  @Property(tries = 150)
  void prunedSearchEqualsThePlainScan(@ForAll long seed) {
    Random random = new Random(seed);
    int alphabet = 3 + random.nextInt(28);
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    int patterns = 1 + random.nextInt(120);
    List<List<List<String>>> learned = new ArrayList<>();
    for (int p = 0; p < patterns; p++) {
      List<List<String>> pattern = random.nextInt(6) == 0 && !learned.isEmpty()
          ? learned.get(random.nextInt(learned.size())) : randomEvents(random, alphabet, 1 + random.nextInt(6));
      learned.add(pattern);
      for (List<String> event : pattern) {
        loader = node.observe(loader, new Observation(event, List.of(),
            random.nextInt(4) == 0 ? Map.of("joy", random.nextDouble()) : Map.of(), Map.of(), "obs")).state();
      }
      loader = node.learn(loader).state();
    }
    Map<String, Object> genes = new LinkedHashMap<>();
    genes.put("process_predictions", false);
    genes.put("recall_threshold", random.nextInt(4) == 0 ? random.nextDouble() : THRESHOLDS[random.nextInt(THRESHOLDS.length)]);
    genes.put("use_token_matching", random.nextInt(4) != 0);
    genes.put("max_predictions", (long) (random.nextBoolean() ? 1 + random.nextInt(20) : 100));
    genes.put("rank_sort_algo", RANKINGS[random.nextInt(RANKINGS.length)]);
    if (random.nextInt(4) == 0) {
      genes.put("fuzzy_token_threshold", 0.5 + random.nextDouble() * 0.4);
    }
    if (random.nextInt(4) == 0) {
      genes.put("affinity_emotive", "joy");
    }
    SessionState query = node.updateGenes(SessionState.empty(), genes);
    List<List<String>> stm = random.nextBoolean() && !learned.isEmpty()
        ? noisyCut(random, learned.get(random.nextInt(learned.size())), alphabet)
        : randomEvents(random, alphabet, 1 + random.nextInt(4));
    for (List<String> event : stm) {
      query = node.observe(query, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
    }

    assertThat(node.predictions(query)).as("genes %s, stm %s", genes, query.stm())
        .isEqualTo(node.predictionsByPlainScan(query));
  }

  private static List<List<String>> randomEvents(Random random, int alphabet, int events) {
    List<List<String>> out = new ArrayList<>(events);
    for (int e = 0; e < events; e++) {
      int size = 1 + random.nextInt(3);
      List<String> event = new ArrayList<>(size);
      for (int s = 0; s < size; s++) {
        event.add("s" + random.nextInt(alphabet));
      }
      out.add(event);
    }
    return out;
  }

  private static List<List<String>> noisyCut(Random random, List<List<String>> source, int alphabet) {
    int length = Math.min(source.size(), 1 + random.nextInt(4));
    int start = random.nextInt(source.size() - length + 1);
    List<List<String>> out = new ArrayList<>();
    for (List<String> event : source.subList(start, start + length)) {
      List<String> noisy = new ArrayList<>();
      for (String symbol : event) {
        int u = random.nextInt(10);
        if (u == 0) {
          noisy.add("s" + random.nextInt(alphabet));
        } else if (u != 1) {
          noisy.add(symbol);
        }
      }
      if (noisy.isEmpty()) {
        noisy.add("s" + random.nextInt(alphabet));
      }
      out.add(noisy);
    }
    return out;
  }
}
