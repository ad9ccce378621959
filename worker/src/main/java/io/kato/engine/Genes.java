package io.kato.engine;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session configuration keys ("genes"): their order, defaults, strict validation and the
 * effective values an operation reads (API.md §1.11, ENGINE.md §5).
 *
 * <p>Validation is strict and collects every error before anything is applied: a JSON integer
 * has no fraction, booleans are not numbers, {@code null} is an error for the nine keys upstream
 * checks and resets every other key. Unknown keys are ignored.
 */
public final class Genes {
  private Genes() {}

  public static final String MAX_PATTERN_LENGTH = "max_pattern_length";
  public static final String PERSISTENCE = "persistence";
  public static final String RECALL_THRESHOLD = "recall_threshold";
  public static final String INDEXER_TYPE = "indexer_type";
  public static final String MAX_PREDICTIONS = "max_predictions";
  public static final String SORT_SYMBOLS = "sort_symbols";
  public static final String PROCESS_PREDICTIONS = "process_predictions";
  public static final String USE_TOKEN_MATCHING = "use_token_matching";
  public static final String FUZZY_TOKEN_THRESHOLD = "fuzzy_token_threshold";
  public static final String STM_MODE = "stm_mode";
  public static final String RANK_SORT_ALGO = "rank_sort_algo";
  public static final String AFFINITY_EMOTIVE = "affinity_emotive";
  public static final String FILTER_PIPELINE = "filter_pipeline";
  public static final String SORT_ALIAS = "sort";

  /** Ranking keys accepted for {@code rank_sort_algo}, in the order of the error message. */
  public static final List<String> RANK_SORT_ALGOS = List.of(
      "potential", "similarity", "evidence", "confidence", "snr", "fragmentation", "frequency",
      "normalized_entropy", "global_normalized_entropy", "itfdf_similarity", "confluence",
      "predictive_information", "bayesian_posterior", "bayesian_prior", "bayesian_likelihood",
      "tfidf_score", "weighted_similarity", "weighted_evidence", "weighted_confidence",
      "weighted_snr");

  static final List<String> INDEXER_TYPES = List.of("VI", "LSH", "ANNOY", "FAISS");
  static final List<String> FILTER_STAGES = List.of("minhash", "length", "jaccard", "bloom", "rapidfuzz");

  /** Keys for which {@code null} is an error rather than "reset to default". */
  private static final Set<String> NULL_IS_ERROR = Set.of(
      MAX_PATTERN_LENGTH, PERSISTENCE, RECALL_THRESHOLD, MAX_PREDICTIONS, INDEXER_TYPE, STM_MODE,
      RANK_SORT_ALGO, PROCESS_PREDICTIONS, USE_TOKEN_MATCHING);

  private static final String MSG_BOOLEAN = "Must be a boolean (true/false)";
  private static final String MSG_UNIT_INTERVAL = "Must be a number between 0.0 and 1.0";

  /** One gene: its name, the check on update, and its fixed default (null = from the node). */
  private record Gene(String name, Check check, String message, Object fixedDefault) {}

  @FunctionalInterface
  private interface Check {
    boolean accepts(Object value);
  }

  /** Every key of the effective configuration, in its documented order. */
  private static final List<Gene> GENES = List.of(
      new Gene(MAX_PATTERN_LENGTH, v -> isInteger(v) && sign(v) >= 0, "Must be a non-negative integer", null),
      new Gene(PERSISTENCE, v -> integerIn(v, 1, 100), "Must be an integer between 1 and 100", null),
      new Gene(RECALL_THRESHOLD, v -> numberIn(v, 0.0, 1.0), MSG_UNIT_INTERVAL, null),
      new Gene(INDEXER_TYPE, INDEXER_TYPES::contains, "Must be one of: VI, LSH, ANNOY, FAISS", null),
      new Gene(MAX_PREDICTIONS, v -> integerIn(v, 1, 10000), "Must be an integer between 1 and 10000", null),
      new Gene(SORT_SYMBOLS, Boolean.class::isInstance, MSG_BOOLEAN, null),
      new Gene(PROCESS_PREDICTIONS, Boolean.class::isInstance, MSG_BOOLEAN, null),
      new Gene(USE_TOKEN_MATCHING, Boolean.class::isInstance, MSG_BOOLEAN, null),
      new Gene(FUZZY_TOKEN_THRESHOLD, v -> numberIn(v, 0.0, 1.0), MSG_UNIT_INTERVAL, null),
      new Gene(STM_MODE, String.class::isInstance, "Must be a string", null),
      new Gene(RANK_SORT_ALGO, RANK_SORT_ALGOS::contains,
          "Must be one of: " + String.join(", ", RANK_SORT_ALGOS), null),
      new Gene(AFFINITY_EMOTIVE, String.class::isInstance, "Must be a string", null),
      new Gene(FILTER_PIPELINE, Genes::isStageList,
          "Must be a list of: " + String.join(", ", FILTER_STAGES), List.of()),
      new Gene("length_min_ratio", v -> numberIn(v, 0.0, 1.0), MSG_UNIT_INTERVAL, 0.5),
      new Gene("length_max_ratio", v -> isNumber(v) && toDouble(v) >= 1.0, "Must be a number >= 1.0", 2.0),
      new Gene("jaccard_threshold", v -> numberIn(v, 0.0, 1.0), MSG_UNIT_INTERVAL, 0.3),
      new Gene("jaccard_min_overlap", v -> isInteger(v) && compare(v, 1) >= 0, "Must be an integer >= 1", 2L),
      new Gene("minhash_threshold", v -> numberIn(v, 0.0, 1.0), MSG_UNIT_INTERVAL, 0.7),
      new Gene("minhash_bands", v -> integerIn(v, 1, 100), "Must be an integer between 1 and 100", 20L),
      new Gene("minhash_rows", v -> integerIn(v, 1, 20), "Must be an integer between 1 and 20", 5L),
      new Gene("minhash_num_hashes", v -> integerIn(v, 10, 256), "Must be an integer between 10 and 256", 100L),
      new Gene("bloom_false_positive_rate", v -> numberIn(v, 0.0001, 0.1),
          "Must be a number between 0.0001 and 0.1", 0.01),
      new Gene("max_candidates_per_stage", v -> isInteger(v) && compare(v, 100) >= 0,
          "Must be an integer >= 100", 100000L),
      new Gene("enable_filter_metrics", Boolean.class::isInstance, MSG_BOOLEAN, true));

  private static final Map<String, Gene> BY_NAME = new LinkedHashMap<>();

  static {
    for (Gene gene : GENES) {
      BY_NAME.put(gene.name(), gene);
    }
  }

  /** True for the keys that appear in the effective configuration. */
  public static boolean isKnown(String key) {
    return BY_NAME.containsKey(key);
  }

  /**
   * Validates an update without applying it.
   *
   * @return key → upstream message for every invalid value, in the update's key order; empty
   *     when the update may be applied
   */
  public static LinkedHashMap<String, String> validate(Map<String, ?> update) {
    LinkedHashMap<String, String> errors = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : update.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (SORT_ALIAS.equals(key)) {
        if (!(value instanceof Boolean)) {
          errors.put(key, MSG_BOOLEAN);
        }
        continue;
      }
      Gene gene = BY_NAME.get(key);
      if (gene == null) {
        continue; // unknown keys (and session_id, node_id, ...) are ignored
      }
      boolean ok = value == null ? !NULL_IS_ERROR.contains(key) : gene.check().accepts(value);
      if (!ok) {
        errors.put(key, gene.message());
      }
    }
    return errors;
  }

  /**
   * Validates and applies an update.
   *
   * @param autoToggle true for POST config (not at creation): an update with {@code
   *     use_token_matching} but without {@code sort_symbols} sets both
   * @throws GeneValidationException when any value is invalid; nothing is applied then
   */
  public static SessionConfig apply(SessionConfig current, Map<String, ?> update, boolean autoToggle) {
    LinkedHashMap<String, String> errors = validate(update);
    if (!errors.isEmpty()) {
      throw new GeneValidationException(errors);
    }
    LinkedHashMap<String, Object> next = new LinkedHashMap<>(current.overrides());
    for (Map.Entry<String, ?> entry : update.entrySet()) {
      String key = entry.getKey();
      if (!BY_NAME.containsKey(key)) {
        continue;
      }
      Object value = entry.getValue();
      if (value == null) {
        next.remove(key);
      } else if (STM_MODE.equals(key) && !"ROLLING".equals(value)) {
        next.put(key, "CLEAR"); // any other string is silently stored as CLEAR
      } else {
        next.put(key, value);
      }
    }
    if (autoToggle && update.containsKey(USE_TOKEN_MATCHING) && !update.containsKey(SORT_SYMBOLS)) {
      next.put(SORT_SYMBOLS, update.get(USE_TOKEN_MATCHING));
    }
    return SessionConfig.of(next);
  }

  /**
   * The effective configuration map (session value, else node default, else fixed default), in
   * the documented key order; {@code fuzzy_token_threshold} and {@code affinity_emotive} only
   * when set.
   */
  public static LinkedHashMap<String, Object> effectiveMap(SessionConfig config, NodeDefaults node) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (Gene gene : GENES) {
      String key = gene.name();
      if (config.isSet(key)) {
        out.put(key, config.get(key));
      } else if (gene.fixedDefault() != null) {
        out.put(key, gene.fixedDefault());
      } else if (!FUZZY_TOKEN_THRESHOLD.equals(key) && !AFFINITY_EMOTIVE.equals(key)) {
        out.put(key, nodeDefault(key, node));
      }
    }
    return out;
  }

  private static Object nodeDefault(String key, NodeDefaults node) {
    switch (key) {
      case MAX_PATTERN_LENGTH: return node.maxPatternLength();
      case PERSISTENCE: return (long) node.persistence();
      case RECALL_THRESHOLD: return node.recallThreshold();
      case INDEXER_TYPE: return node.indexerType();
      case MAX_PREDICTIONS: return (long) node.maxPredictions();
      case SORT_SYMBOLS: return node.sortSymbols();
      case PROCESS_PREDICTIONS: return node.processPredictions();
      case USE_TOKEN_MATCHING: return node.useTokenMatching();
      case STM_MODE: return node.stmMode();
      case RANK_SORT_ALGO: return node.rankSortAlgo();
      default: throw new IllegalArgumentException(key);
    }
  }

  // ---- typed reads of the effective values --------------------------------------------------

  static long maxPatternLength(SessionConfig c, NodeDefaults n) {
    Object v = c.get(MAX_PATTERN_LENGTH);
    return v == null ? n.maxPatternLength() : saturatedLong(v);
  }

  static int persistence(SessionConfig c, NodeDefaults n) {
    Object v = c.get(PERSISTENCE); // D-2: the session value wins
    return v == null ? n.persistence() : (int) saturatedLong(v);
  }

  static double recallThreshold(SessionConfig c, NodeDefaults n) {
    Object v = c.get(RECALL_THRESHOLD);
    return v == null ? n.recallThreshold() : toDouble(v);
  }

  static String stmMode(SessionConfig c, NodeDefaults n) {
    Object v = c.get(STM_MODE);
    return v == null ? n.stmMode() : (String) v;
  }

  static int maxPredictions(SessionConfig c, NodeDefaults n) {
    Object v = c.get(MAX_PREDICTIONS);
    return v == null ? n.maxPredictions() : (int) saturatedLong(v);
  }

  static boolean processPredictions(SessionConfig c, NodeDefaults n) {
    Object v = c.get(PROCESS_PREDICTIONS);
    return v == null ? n.processPredictions() : (Boolean) v;
  }

  static boolean useTokenMatching(SessionConfig c, NodeDefaults n) {
    Object v = c.get(USE_TOKEN_MATCHING);
    return v == null ? n.useTokenMatching() : (Boolean) v;
  }

  static double fuzzyTokenThreshold(SessionConfig c) {
    Object v = c.get(FUZZY_TOKEN_THRESHOLD);
    return v == null ? 0.0 : toDouble(v);
  }

  static String rankSortAlgo(SessionConfig c, NodeDefaults n) {
    Object v = c.get(RANK_SORT_ALGO); // D-1: the session value wins on GET predictions
    return v == null ? n.rankSortAlgo() : (String) v;
  }

  static String affinityEmotive(SessionConfig c) {
    return (String) c.get(AFFINITY_EMOTIVE);
  }

  /** The filter pipeline and its stage parameters; unset parameters read as 0 (= default, Q-38). */
  static FilterPipeline.Settings filterSettings(SessionConfig c) {
    Object stages = c.get(FILTER_PIPELINE);
    if (!(stages instanceof List) || ((List<?>) stages).isEmpty()) {
      return FilterPipeline.Settings.NONE;
    }
    List<String> names = new java.util.ArrayList<>();
    for (Object stage : (List<?>) stages) {
      names.add((String) stage);
    }
    return new FilterPipeline.Settings(List.copyOf(names), number(c, "length_min_ratio"),
        number(c, "length_max_ratio"), number(c, "jaccard_threshold"),
        (long) number(c, "jaccard_min_overlap"), number(c, "minhash_threshold"));
  }

  private static double number(SessionConfig c, String key) {
    Object v = c.get(key);
    return v == null ? 0.0 : toDouble(v);
  }

  // ---- JSON value helpers ---------------------------------------------------------------------

  static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger
        || v instanceof Short || v instanceof Byte;
  }

  static boolean isNumber(Object v) {
    return isInteger(v) || ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue()));
  }

  private static boolean integerIn(Object v, long lo, long hi) {
    return isInteger(v) && compare(v, lo) >= 0 && compare(v, hi) <= 0;
  }

  private static boolean numberIn(Object v, double lo, double hi) {
    if (!isNumber(v)) {
      return false;
    }
    double d = toDouble(v);
    return d >= lo && d <= hi;
  }

  private static boolean isStageList(Object v) {
    if (!(v instanceof List)) {
      return false;
    }
    for (Object item : (List<?>) v) {
      if (!(item instanceof String) || !FILTER_STAGES.contains(item)) {
        return false;
      }
    }
    return true;
  }

  private static int sign(Object integer) {
    return integer instanceof BigInteger ? ((BigInteger) integer).signum()
        : Long.signum(((Number) integer).longValue());
  }

  private static int compare(Object integer, long bound) {
    return integer instanceof BigInteger ? ((BigInteger) integer).compareTo(BigInteger.valueOf(bound))
        : Long.compare(((Number) integer).longValue(), bound);
  }

  private static long saturatedLong(Object integer) {
    if (integer instanceof BigInteger) {
      BigInteger big = (BigInteger) integer;
      return big.bitLength() < 64 ? big.longValue() : (big.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
    }
    return ((Number) integer).longValue();
  }

  static double toDouble(Object number) {
    return ((Number) number).doubleValue();
  }
}
