package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

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

  /**
   * Larger nodes over a Zipf alphabet (most patterns share a frequent symbol with the state), so
   * the bounded search's pruning path runs with big ensembles: overlap buckets, bound-ordered
   * scoring and early stop must keep exactly the plain scan's top 3K.
   */
  @Property(tries = 40)
  void boundedSearchEqualsThePlainScanOnZipfNodes(@ForAll long seed) {
    zipfNodeCase(seed);
  }

  /** The same with phase 2 on two threads from the first candidate on, in chunks of 8. */
  @Property(tries = 40)
  void parallelBoundedSearchEqualsThePlainScan(@ForAll long seed) {
    int minimum = Predictor.parallelMinimum;
    int chunk = Predictor.chunkSize;
    Predictor.parallelMinimum = 1;
    Predictor.chunkSize = 8;
    try {
      zipfNodeCase(seed);
    } finally {
      Predictor.parallelMinimum = minimum;
      Predictor.chunkSize = chunk;
    }
  }

  /**
   * The same through a knowledge base that implements only the interface's abstract methods, so
   * the bounded search runs on the default {@code addContainedWeights}, {@code patternAt} and
   * {@code patternArena}.
   */
  @Property(tries = 15)
  void boundedSearchOnTheInterfaceDefaultsEqualsThePlainScan(@ForAll long seed) {
    InMemoryKnowledgeBase delegate = new InMemoryKnowledgeBase();
    KnowledgeBase minimal = (KnowledgeBase) Proxy.newProxyInstance(KnowledgeBase.class.getClassLoader(),
        new Class<?>[] {KnowledgeBase.class}, (proxy, method, args) -> method.isDefault()
            ? InvocationHandler.invokeDefault(proxy, method, args) : method.invoke(delegate, args));
    zipfNodeCase(seed, new Processor(NodeDefaults.STANDARD, minimal), 300);
  }

  /**
   * Nodes mixing short patterns with patterns of more than 127 symbols (the last, open-ended
   * length bucket), and long states that share few symbols with them, so no snr is positive and
   * the longest patterns have the highest {@code _pre_potential}.
   */
  @Property(tries = 20)
  void boundedSearchEqualsThePlainScanWithVeryLongPatterns(@ForAll long seed) {
    Random random = new Random(seed);
    Zipf zipf = new Zipf(200 + random.nextInt(300));
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    int patterns = 50 + random.nextInt(250);
    for (int p = 0; p < patterns; p++) {
      List<List<String>> pattern = new ArrayList<>();
      boolean veryLong = random.nextInt(3) == 0;
      int events = veryLong ? 2 + random.nextInt(6) : 2 + random.nextInt(10);
      for (int e = 0; e < events; e++) {
        int size = veryLong ? 20 + random.nextInt(100) : 1 + random.nextInt(3);
        List<String> event = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
          event.add(zipf.draw(random));
        }
        pattern.add(event);
      }
      for (List<String> event : pattern) {
        loader = node.observe(loader, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
      }
      loader = node.learn(loader).state();
    }
    Map<String, Object> genes = new LinkedHashMap<>();
    genes.put("process_predictions", false);
    genes.put("recall_threshold", new double[] {0.005, 0.01, 0.02}[random.nextInt(3)]);
    genes.put("max_predictions", (long) (1 + random.nextInt(10)));
    SessionState query = node.updateGenes(SessionState.empty(), genes);
    for (List<String> event : zipfEvents(random, zipf, 4 + random.nextInt(6))) {
      List<String> mostlyUnknown = new ArrayList<>();
      for (String symbol : event) {
        mostlyUnknown.add(random.nextInt(10) < 7 ? "unknown" + random.nextInt(1000) : symbol);
      }
      query = node.observe(query, new Observation(mostlyUnknown, List.of(), Map.of(), Map.of(), "obs")).state();
    }

    assertThat(node.predictions(query)).as("genes %s, stm %s", genes, query.stm())
        .isEqualTo(node.predictionsByPlainScan(query));
  }

  /**
   * The last length bucket holds every pattern of {@code P_CAP} symbols or more: its bound must
   * hold for much longer ones, whose {@code _pre_potential} approaches 1 when the snr is negative.
   */
  @Test
  void theOpenEndedLengthBucketBoundsLongerPatterns() {
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    List<String> longEvent = new ArrayList<>();
    for (int k = 0; k < 200; k++) {
      longEvent.add("x" + k);
    }
    for (List<String> event : List.of(longEvent, List.of("y"))) {
      loader = node.observe(loader, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
    }
    loader = node.learn(loader).state();
    SessionState query = node.updateGenes(SessionState.empty(),
        Map.of("process_predictions", false, "recall_threshold", 0.001));
    List<String> state = List.of("x7", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8");
    query = node.observe(query, new Observation(state, List.of(), Map.of(), Map.of(), "obs")).state();

    FullPrediction match = (FullPrediction) node.predictionsByPlainScan(query).predictions().get(0);
    double preRank = (match.evidence() + match.confidence()) * match.snr() + 1.0 / (match.fragmentation() + 1);
    assertThat(match.snr()).isNegative();
    assertThat(preRank).isLessThanOrEqualTo(Predictor.bucketBound(Predictor.bucketKey(1, 201), state.size()));
  }

  private static void zipfNodeCase(long seed) {
    zipfNodeCase(seed, new Processor(NodeDefaults.STANDARD), 1500);
  }

  private static void zipfNodeCase(long seed, Processor node, int maxPatterns) {
    Random random = new Random(seed);
    Zipf zipf = new Zipf(20 + random.nextInt(400));
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    int patterns = 100 + random.nextInt(maxPatterns - 100);
    List<List<List<String>>> learned = new ArrayList<>();
    for (int p = 0; p < patterns; p++) {
      List<List<String>> pattern = random.nextInt(10) == 0 && !learned.isEmpty()
          ? learned.get(random.nextInt(learned.size())) : zipfEvents(random, zipf, 2 + random.nextInt(11));
      learned.add(pattern);
      for (List<String> event : pattern) {
        loader = node.observe(loader, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
      }
      loader = node.learn(loader).state();
    }
    Map<String, Object> genes = new LinkedHashMap<>();
    genes.put("process_predictions", false);
    genes.put("recall_threshold", new double[] {0.01, 0.05, 0.1, 0.1, 0.15, 0.2, 0.3}[random.nextInt(7)]);
    genes.put("max_predictions", (long) new int[] {1, 2, 3, 5, 10, 30, 100}[random.nextInt(7)]);
    genes.put("rank_sort_algo", RANKINGS[random.nextInt(RANKINGS.length)]);
    if (random.nextInt(5) == 0) {
      genes.put("affinity_emotive", "joy");
    }
    SessionState query = node.updateGenes(SessionState.empty(), genes);
    List<List<String>> stm = random.nextInt(4) != 0
        ? noisyCut(random, learned.get(random.nextInt(learned.size())), 400)
        : zipfEvents(random, zipf, 2 + random.nextInt(3));
    for (List<String> event : stm) {
      query = node.observe(query, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
    }

    assertThat(node.predictions(query)).as("genes %s, stm %s", genes, query.stm())
        .isEqualTo(node.predictionsByPlainScan(query));
  }

  /**
   * The lemma behind the bounded search's early stop: every match's {@code _pre_potential}
   * ({@code (evidence + confidence) · snr + 1/nb}) is at most {@code preRankBound(LCS, |P|, |S|)},
   * and at most {@code multiBlockPreRankBound} when it has two or more blocks. Long states and
   * short patterns (where the bound is far below 1) occur often.
   */
  @Property(tries = 60)
  void preRankBoundHoldsForEveryMatch(@ForAll long seed) {
    Random random = new Random(seed);
    Zipf zipf = new Zipf(3 + random.nextInt(60));
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    for (int p = 0; p < 60; p++) {
      for (List<String> event : zipfEvents(random, zipf, 1 + random.nextInt(random.nextBoolean() ? 3 : 10))) {
        loader = node.observe(loader, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
      }
      loader = node.learn(loader).state();
    }
    SessionState query = node.updateGenes(SessionState.empty(),
        Map.of("process_predictions", false, "recall_threshold", 0.01, "max_predictions", 1000L));
    for (List<String> event : zipfEvents(random, zipf, 1 + random.nextInt(random.nextBoolean() ? 5 : 12))) {
      query = node.observe(query, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
    }
    List<String> state = Predictor.flatten(query.stm());
    if (state.size() < 2) {
      return;
    }
    for (Prediction prediction : node.predictionsByPlainScan(query).predictions()) {
      FullPrediction full = (FullPrediction) prediction;
      List<String> pattern = Predictor.flatten(full.sequence());
      int lcs = lcs(pattern, state);
      double g = full.fragmentation() == -1.0 ? 0.0 : 1.0 / (full.fragmentation() + 1);
      double preRank = (full.evidence() + full.confidence()) * full.snr() + g;
      assertThat(preRank).as("pattern %s, state %s", pattern, state)
          .isLessThanOrEqualTo(Predictor.preRankBound(lcs, pattern.size(), state.size()) + 1e-12);
      if (full.fragmentation() >= 1.0) {
        assertThat(preRank).as("pattern %s, state %s", pattern, state)
            .isLessThanOrEqualTo(Predictor.multiBlockPreRankBound(lcs, pattern.size(), state.size()) + 1e-12);
      }
    }
  }

  private static int lcs(List<String> a, List<String> b) {
    int[][] t = new int[a.size() + 1][b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        t[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
      }
    }
    return t[a.size()][b.size()];
  }

  /** Symbols {@code s0 .. s(n-1)} drawn with probability proportional to 1/rank. */
  private static final class Zipf {
    private final double[] cumulative;

    Zipf(int n) {
      cumulative = new double[n];
      double sum = 0.0;
      for (int rank = 1; rank <= n; rank++) {
        sum += 1.0 / rank;
        cumulative[rank - 1] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    String draw(Random random) {
      double u = random.nextDouble();
      int i = 0;
      while (i < cumulative.length - 1 && cumulative[i] < u) {
        i++;
      }
      return "s" + i;
    }
  }

  private static List<List<String>> zipfEvents(Random random, Zipf zipf, int events) {
    List<List<String>> out = new ArrayList<>(events);
    for (int e = 0; e < events; e++) {
      int size = 1 + random.nextInt(3);
      List<String> event = new ArrayList<>(size);
      for (int s = 0; s < size; s++) {
        event.add(zipf.draw(random));
      }
      out.add(event);
    }
    return out;
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
