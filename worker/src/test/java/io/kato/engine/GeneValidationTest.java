package io.kato.engine;

import static io.kato.engine.EngineFixture.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gene (session configuration) validation and application: API.md §1.11, ENGINE.md §5.2, Q-37.
 * Every expected message is written out literally so that a changed message fails here.
 */
class GeneValidationTest {

  private static final String NON_NEGATIVE = "Must be a non-negative integer";
  private static final String PERSISTENCE = "Must be an integer between 1 and 100";
  private static final String UNIT = "Must be a number between 0.0 and 1.0";
  private static final String INDEXER = "Must be one of: VI, LSH, ANNOY, FAISS";
  private static final String MAX_PREDICTIONS = "Must be an integer between 1 and 10000";
  private static final String BOOLEAN = "Must be a boolean (true/false)";
  private static final String STRING = "Must be a string";
  private static final String RANK = "Must be one of: potential, similarity, evidence, confidence, snr, "
      + "fragmentation, frequency, normalized_entropy, global_normalized_entropy, itfdf_similarity, "
      + "confluence, predictive_information, bayesian_posterior, bayesian_prior, bayesian_likelihood, "
      + "tfidf_score, weighted_similarity, weighted_evidence, weighted_confidence, weighted_snr";
  private static final String PIPELINE = "Must be a list of: minhash, length, jaccard, bloom, rapidfuzz";
  private static final String AT_LEAST_ONE_FLOAT = "Must be a number >= 1.0";
  private static final String AT_LEAST_ONE_INT = "Must be an integer >= 1";
  private static final String BANDS = "Must be an integer between 1 and 100";
  private static final String ROWS = "Must be an integer between 1 and 20";
  private static final String HASHES = "Must be an integer between 10 and 256";
  private static final String BLOOM = "Must be a number between 0.0001 and 0.1";
  private static final String AT_LEAST_100 = "Must be an integer >= 100";

  /** The 22 keys present without any session value, in API.md §1.11 order, with their defaults. */
  private static final List<Map.Entry<String, Object>> DEFAULTS = List.of(
      entry("max_pattern_length", 0L),
      entry("persistence", 5L),
      entry("recall_threshold", 0.1),
      entry("indexer_type", "VI"),
      entry("max_predictions", 100L),
      entry("sort_symbols", true),
      entry("process_predictions", true),
      entry("use_token_matching", true),
      entry("stm_mode", "CLEAR"),
      entry("rank_sort_algo", "potential"),
      entry("filter_pipeline", List.of()),
      entry("length_min_ratio", 0.5),
      entry("length_max_ratio", 2.0),
      entry("jaccard_threshold", 0.3),
      entry("jaccard_min_overlap", 2L),
      entry("minhash_threshold", 0.7),
      entry("minhash_bands", 20L),
      entry("minhash_rows", 5L),
      entry("minhash_num_hashes", 100L),
      entry("bloom_false_positive_rate", 0.01),
      entry("max_candidates_per_stage", 100000L),
      entry("enable_filter_metrics", true));

  private static final List<String> ALL_24_KEYS = List.of(
      "max_pattern_length", "persistence", "recall_threshold", "indexer_type", "max_predictions",
      "sort_symbols", "process_predictions", "use_token_matching", "fuzzy_token_threshold", "stm_mode",
      "rank_sort_algo", "affinity_emotive", "filter_pipeline", "length_min_ratio", "length_max_ratio",
      "jaccard_threshold", "jaccard_min_overlap", "minhash_threshold", "minhash_bands", "minhash_rows",
      "minhash_num_hashes", "bloom_false_positive_rate", "max_candidates_per_stage",
      "enable_filter_metrics");

  /** The nine keys upstream checks, for which null is an error (API.md §1.11). */
  private static final List<String> NULL_IS_ERROR = List.of(
      "max_pattern_length", "persistence", "recall_threshold", "max_predictions", "indexer_type",
      "stm_mode", "rank_sort_algo", "process_predictions", "use_token_matching");

  private final Processor processor = new Processor(NodeDefaults.STANDARD);

  /** A session that already carries a few overrides, so that "nothing changed" is meaningful. */
  private SessionState configuredSession() {
    return processor.updateGenes(SessionState.empty(),
        map("recall_threshold", 0.25, "max_predictions", 7L, "stm_mode", "ROLLING", "affinity_emotive", "joy"));
  }

  // ---- valid values -----------------------------------------------------------------------------

  static Stream<Arguments> validValues() {
    return Stream.of(
        Arguments.of("max_pattern_length", 0L, 0L),
        Arguments.of("max_pattern_length", 3L, 3L),
        Arguments.of("max_pattern_length", new BigInteger("123456789012345678901234567890"),
            new BigInteger("123456789012345678901234567890")),
        Arguments.of("persistence", 1L, 1L),
        Arguments.of("persistence", 100L, 100L),
        Arguments.of("recall_threshold", 0.0, 0.0),
        Arguments.of("recall_threshold", 0.5, 0.5),
        Arguments.of("recall_threshold", 1.0, 1.0),
        Arguments.of("recall_threshold", 1L, 1L), // an integer stays an integer
        Arguments.of("recall_threshold", 0L, 0L),
        Arguments.of("indexer_type", "VI", "VI"),
        Arguments.of("indexer_type", "LSH", "LSH"),
        Arguments.of("indexer_type", "ANNOY", "ANNOY"),
        Arguments.of("indexer_type", "FAISS", "FAISS"),
        Arguments.of("max_predictions", 1L, 1L),
        Arguments.of("max_predictions", 10000L, 10000L),
        Arguments.of("sort_symbols", false, false),
        Arguments.of("process_predictions", false, false),
        Arguments.of("use_token_matching", false, false),
        Arguments.of("fuzzy_token_threshold", 0.7, 0.7),
        Arguments.of("fuzzy_token_threshold", 1L, 1L),
        Arguments.of("fuzzy_token_threshold", 0.0, 0.0),
        Arguments.of("stm_mode", "ROLLING", "ROLLING"),
        Arguments.of("stm_mode", "CLEAR", "CLEAR"),
        Arguments.of("stm_mode", "sliding", "CLEAR"),
        Arguments.of("stm_mode", "rolling", "CLEAR"),
        Arguments.of("stm_mode", "", "CLEAR"),
        Arguments.of("rank_sort_algo", "similarity", "similarity"),
        Arguments.of("rank_sort_algo", "weighted_snr", "weighted_snr"),
        Arguments.of("affinity_emotive", "joy", "joy"),
        Arguments.of("filter_pipeline", List.of("length", "jaccard"), List.of("length", "jaccard")),
        Arguments.of("filter_pipeline", List.of(), List.of()),
        Arguments.of("filter_pipeline", List.of("minhash", "length", "jaccard", "bloom", "rapidfuzz"),
            List.of("minhash", "length", "jaccard", "bloom", "rapidfuzz")),
        Arguments.of("length_min_ratio", 0.0, 0.0),
        Arguments.of("length_min_ratio", 1L, 1L),
        Arguments.of("length_max_ratio", 1.0, 1.0),
        Arguments.of("length_max_ratio", 5L, 5L),
        Arguments.of("length_max_ratio", 1e9, 1e9),
        Arguments.of("jaccard_threshold", 0.0, 0.0),
        Arguments.of("jaccard_threshold", 1.0, 1.0),
        Arguments.of("jaccard_min_overlap", 1L, 1L),
        Arguments.of("jaccard_min_overlap", 50L, 50L),
        Arguments.of("minhash_threshold", 0.9, 0.9),
        Arguments.of("minhash_bands", 1L, 1L),
        Arguments.of("minhash_bands", 100L, 100L),
        Arguments.of("minhash_rows", 1L, 1L),
        Arguments.of("minhash_rows", 20L, 20L),
        Arguments.of("minhash_num_hashes", 10L, 10L),
        Arguments.of("minhash_num_hashes", 256L, 256L),
        Arguments.of("bloom_false_positive_rate", 0.0001, 0.0001),
        Arguments.of("bloom_false_positive_rate", 0.1, 0.1),
        Arguments.of("max_candidates_per_stage", 100L, 100L),
        Arguments.of("max_candidates_per_stage", 1_000_000_000_000L, 1_000_000_000_000L),
        Arguments.of("enable_filter_metrics", false, false));
  }

  @ParameterizedTest(name = "{0} = {1} is applied and echoed as {2}")
  @MethodSource("validValues")
  void validValueIsAppliedAndEchoedWithItsJsonType(String key, Object value, Object echoed) {
    SessionState next = processor.updateGenes(SessionState.empty(), map(key, value));
    Object actual = processor.effectiveConfig(next).get(key);
    assertThat(actual).isEqualTo(echoed);
    assertThat(actual).hasSameClassAs(echoed);
    assertThat(next.config().get(key)).isEqualTo(echoed);
  }

  @Test
  void everyRankSortAlgoOfTheListIsAccepted() {
    for (String algo : List.of("potential", "similarity", "evidence", "confidence", "snr", "fragmentation",
        "frequency", "normalized_entropy", "global_normalized_entropy", "itfdf_similarity", "confluence",
        "predictive_information", "bayesian_posterior", "bayesian_prior", "bayesian_likelihood",
        "tfidf_score", "weighted_similarity", "weighted_evidence", "weighted_confidence", "weighted_snr")) {
      SessionState next = processor.updateGenes(SessionState.empty(), map("rank_sort_algo", algo));
      assertThat(processor.effectiveConfig(next)).containsEntry("rank_sort_algo", algo);
    }
  }

  @Test
  void everyGeneOfApi111IsCoveredByTheValidCases() {
    List<String> covered = new ArrayList<>();
    validValues().forEach(a -> covered.add((String) a.get()[0]));
    assertThat(covered).containsAll(ALL_24_KEYS);
    assertThat(ALL_24_KEYS).allMatch(Genes::isKnown);
  }

  // ---- invalid values ---------------------------------------------------------------------------

  static Stream<Arguments> invalidValues() {
    List<Arguments> cases = new ArrayList<>();
    // integer keys: float token, string, boolean, below / above range
    addAll(cases, "max_pattern_length", NON_NEGATIVE, -1L, 5.0, 0.0, "5", true, false,
        new BigInteger("-123456789012345678901234567890"), List.of(1L));
    addAll(cases, "persistence", PERSISTENCE, 0L, 101L, -5L, 5.0, "5", true,
        new BigInteger("123456789012345678901234567890"));
    addAll(cases, "max_predictions", MAX_PREDICTIONS, 0L, 10001L, 5.0, "5", true);
    addAll(cases, "jaccard_min_overlap", AT_LEAST_ONE_INT, 0L, -1L, 2.0, "2", true);
    addAll(cases, "minhash_bands", BANDS, 0L, 101L, 20.0, "20", true);
    addAll(cases, "minhash_rows", ROWS, 0L, 21L, 5.0, "5", true);
    addAll(cases, "minhash_num_hashes", HASHES, 9L, 257L, 100.0, "100", true);
    addAll(cases, "max_candidates_per_stage", AT_LEAST_100, 99L, 0L, 100.0, "100", true);
    // number keys: string, boolean, below / above range (float and integer tokens)
    addAll(cases, "recall_threshold", UNIT, -0.1, 1.1, 1.0000000000000002, -1L, 2L, "0.5", true, false,
        List.of(0.5));
    addAll(cases, "fuzzy_token_threshold", UNIT, -0.1, 1.5, 2L, "0.5", true);
    addAll(cases, "length_min_ratio", UNIT, -0.1, 1.1, 2L, "0.5", true);
    addAll(cases, "length_max_ratio", AT_LEAST_ONE_FLOAT, 0.99, 0L, -1.0, "2", true);
    addAll(cases, "jaccard_threshold", UNIT, -0.01, 1.01, 3L, "0.3", true);
    addAll(cases, "minhash_threshold", UNIT, -0.01, 1.01, 3L, "0.7", true);
    addAll(cases, "bloom_false_positive_rate", BLOOM, 0.00009, 0.11, 0L, 1L, "0.01", true);
    // string keys
    addAll(cases, "indexer_type", INDEXER, "vi", "XYZ", "", 1L, true, List.of("VI"));
    addAll(cases, "stm_mode", STRING, 1L, 1.5, true, List.of("CLEAR"), map("mode", "CLEAR"));
    addAll(cases, "rank_sort_algo", RANK, "Potential", "entropy", "pattern_probability", "", 1L, true);
    addAll(cases, "affinity_emotive", STRING, 1L, 0.5, true, List.of("joy"));
    addAll(cases, "filter_pipeline", PIPELINE, "length", List.of("foo"), List.of(1L),
        List.of("Length"), true, map("length", true));
    // a list holding null: see filterPipelineWithANullItemIsAValidationError (engine bug)
    // boolean keys
    for (String key : List.of("sort_symbols", "process_predictions", "use_token_matching",
        "enable_filter_metrics", "sort")) {
      addAll(cases, key, BOOLEAN, "true", 1L, 0L, 1.0, List.of(true));
    }
    // null for the nine checked keys
    Map<String, String> messages = Map.of("max_pattern_length", NON_NEGATIVE, "persistence", PERSISTENCE,
        "recall_threshold", UNIT, "max_predictions", MAX_PREDICTIONS, "indexer_type", INDEXER,
        "stm_mode", STRING, "rank_sort_algo", RANK, "process_predictions", BOOLEAN,
        "use_token_matching", BOOLEAN);
    for (String key : NULL_IS_ERROR) {
      cases.add(Arguments.of(key, null, messages.get(key)));
    }
    return cases.stream();
  }

  private static void addAll(List<Arguments> cases, String key, String message, Object... values) {
    for (Object value : values) {
      cases.add(Arguments.of(key, value, message));
    }
  }

  @ParameterizedTest(name = "{0} = {1} is rejected with \"{2}\"")
  @MethodSource("invalidValues")
  void invalidValueIsRejectedWithTheExactMessageAndChangesNothing(String key, Object value, String message) {
    SessionState before = configuredSession();
    LinkedHashMap<String, Object> configBefore = processor.effectiveConfig(before);
    Map<String, Object> update = new HashMap<>();
    update.put(key, value);

    GeneValidationException e = catchThrowableOfType(() -> processor.updateGenes(before, update),
        GeneValidationException.class);

    assertThat(e).as("rejected").isNotNull();
    assertThat(e.getMessage()).isEqualTo("Configuration validation failed");
    assertThat(e.validationErrors()).containsExactly(entry(key, message));
    assertThat(Genes.validate(update)).containsExactly(entry(key, message));
    assertThat(processor.effectiveConfig(before)).isEqualTo(configBefore);
    assertThat(before.config()).isEqualTo(configuredSession().config());
  }

  @Test
  void filterPipelineWithANullItemIsAValidationError() {
    Map<String, Object> update = map("filter_pipeline", Arrays.asList("length", null));
    GeneValidationException e = catchThrowableOfType(
        () -> processor.updateGenes(SessionState.empty(), update), GeneValidationException.class);
    assertThat(e).isNotNull();
    assertThat(e.validationErrors()).containsExactly(entry("filter_pipeline", PIPELINE));
  }

  @Test
  void allErrorsOfOneUpdateAreCollectedInUpdateOrder() {
    LinkedHashMap<String, Object> update = new LinkedHashMap<>();
    update.put("recall_threshold", 2L);
    update.put("max_pattern_length", 3L); // valid: must not be applied either
    update.put("persistence", 0L);
    update.put("unknown_key", "whatever");
    update.put("sort", "yes");
    update.put("max_predictions", true);
    update.put("rank_sort_algo", "best");

    GeneValidationException e = catchThrowableOfType(
        () -> processor.updateGenes(SessionState.empty(), update), GeneValidationException.class);

    assertThat(e.validationErrors()).containsExactly(
        entry("recall_threshold", UNIT),
        entry("persistence", PERSISTENCE),
        entry("sort", BOOLEAN),
        entry("max_predictions", MAX_PREDICTIONS),
        entry("rank_sort_algo", RANK));
  }

  @Test
  void rejectedUpdateAppliesNoneOfItsValidKeys() {
    EngineFixture node = EngineFixture.create();
    SessionState before = node.session;
    assertThatThrownBy(() -> node.genes("max_pattern_length", 2L, "process_predictions", false,
        "persistence", 0L)).isInstanceOf(GeneValidationException.class);
    assertThat(node.session).isSameAs(before);
    assertThat(node.session.config().overrides()).isEmpty();
    // behaviour, not just the map: max_pattern_length 2 was not applied, so nothing is auto-learned
    node.observe("a");
    Processor.ObserveResult second = node.observe("b");
    assertThat(second.autoLearnedPattern()).isNull();
    assertThat(second.stmLength()).isEqualTo(2);
    assertThat(node.session.predictions()).isEmpty(); // no patterns; process_predictions irrelevant
    assertThat(node.processor.patternCount()).isZero();
  }

  // ---- null, unknown and ignored keys -----------------------------------------------------------

  static Stream<Arguments> resettableKeys() {
    return Stream.of(
        Arguments.of("sort_symbols", false, true),
        Arguments.of("fuzzy_token_threshold", 0.5, null),
        Arguments.of("affinity_emotive", "joy", null),
        Arguments.of("filter_pipeline", List.of("length"), List.of()),
        Arguments.of("length_min_ratio", 0.9, 0.5),
        Arguments.of("length_max_ratio", 3.0, 2.0),
        Arguments.of("jaccard_threshold", 0.9, 0.3),
        Arguments.of("jaccard_min_overlap", 5L, 2L),
        Arguments.of("minhash_threshold", 0.1, 0.7),
        Arguments.of("minhash_bands", 10L, 20L),
        Arguments.of("minhash_rows", 2L, 5L),
        Arguments.of("minhash_num_hashes", 50L, 100L),
        Arguments.of("bloom_false_positive_rate", 0.05, 0.01),
        Arguments.of("max_candidates_per_stage", 500L, 100000L),
        Arguments.of("enable_filter_metrics", false, true));
  }

  @ParameterizedTest(name = "{0}: null resets to the default")
  @MethodSource("resettableKeys")
  void nullResetsAnUncheckedKeyToItsDefault(String key, Object set, Object defaultValue) {
    SessionState configured = processor.updateGenes(SessionState.empty(), map(key, set));
    assertThat(processor.effectiveConfig(configured)).containsEntry(key, set);

    Map<String, Object> reset = new HashMap<>();
    reset.put(key, null);
    SessionState cleared = processor.updateGenes(configured, reset);

    assertThat(cleared.config().isSet(key)).isFalse();
    if (defaultValue == null) {
      assertThat(processor.effectiveConfig(cleared)).doesNotContainKey(key);
    } else {
      assertThat(processor.effectiveConfig(cleared)).containsEntry(key, defaultValue);
    }
    assertThat(processor.effectiveConfig(cleared)).isEqualTo(processor.effectiveConfig(SessionState.empty()));
  }

  @Test
  void the15UncheckedKeysAndTheNineCheckedKeysPartitionThe24() {
    List<String> unchecked = new ArrayList<>();
    resettableKeys().forEach(a -> unchecked.add((String) a.get()[0]));
    List<String> all = new ArrayList<>(unchecked);
    all.addAll(NULL_IS_ERROR);
    assertThat(all).containsExactlyInAnyOrderElementsOf(ALL_24_KEYS);
  }

  @Test
  void unknownAndIdentityKeysAreIgnored() {
    SessionState before = configuredSession();
    LinkedHashMap<String, Object> update = new LinkedHashMap<>();
    update.put("session_id", 123L);
    update.put("node_id", List.of("x"));
    update.put("created_at", true);
    update.put("updated_at", null);
    update.put("version", "v9");
    update.put("no_such_gene", 5.0);
    update.put("Recall_Threshold", 0.9); // keys are case-sensitive

    assertThat(Genes.validate(update)).isEmpty();
    SessionState after = processor.updateGenes(before, update);

    assertThat(after.config()).isEqualTo(before.config());
    assertThat(processor.effectiveConfig(after)).isEqualTo(processor.effectiveConfig(before));
    assertThat(processor.effectiveConfig(after)).doesNotContainKeys("session_id", "node_id", "created_at",
        "updated_at", "version", "no_such_gene", "Recall_Threshold");
  }

  @Test
  void sortAliasIsValidatedButNeverStored() {
    SessionState after = processor.updateGenes(SessionState.empty(), map("sort", false));
    assertThat(after.config().overrides()).isEmpty();
    assertThat(processor.effectiveConfig(after)).doesNotContainKey("sort").containsEntry("sort_symbols", true);
  }

  @Test
  void stmModeSlidingIsStoredAsClearAndBehavesAsClear() {
    EngineFixture node = EngineFixture.create();
    node.genes("stm_mode", "sliding", "max_pattern_length", 2L);
    assertThat(node.processor.effectiveConfig(node.session)).containsEntry("stm_mode", "CLEAR");
    node.observe("a");
    Processor.ObserveResult r = node.observe("b");
    assertThat(r.autoLearnedPattern()).isNotNull();
    assertThat(r.stmLength()).isZero(); // CLEAR: emptied after the auto-learn (ROLLING would keep 1)
  }

  // ---- auto-toggle ------------------------------------------------------------------------------

  @Test
  void useTokenMatchingCopiesToSortSymbolsOnUpdateGenes() {
    SessionState off = processor.updateGenes(SessionState.empty(), map("use_token_matching", false));
    assertThat(processor.effectiveConfig(off))
        .containsEntry("use_token_matching", false)
        .containsEntry("sort_symbols", false);
    assertThat(off.config().overrides()).containsEntry("sort_symbols", false);

    SessionState on = processor.updateGenes(off, map("use_token_matching", true));
    assertThat(processor.effectiveConfig(on)).containsEntry("sort_symbols", true);
  }

  @Test
  void autoToggleDoesNotOverrideAnExplicitSortSymbols() {
    SessionState both = processor.updateGenes(SessionState.empty(),
        map("use_token_matching", false, "sort_symbols", true));
    assertThat(processor.effectiveConfig(both))
        .containsEntry("use_token_matching", false)
        .containsEntry("sort_symbols", true);
  }

  @Test
  void autoToggleOnlyWithUpdateGenesNotAtCreation() {
    SessionConfig created = Genes.apply(SessionConfig.EMPTY, map("use_token_matching", false), false);
    assertThat(created.isSet("sort_symbols")).isFalse();
    assertThat(Genes.effectiveMap(created, NodeDefaults.STANDARD)).containsEntry("sort_symbols", true);

    SessionConfig posted = Genes.apply(SessionConfig.EMPTY, map("use_token_matching", false), true);
    assertThat(posted.get("sort_symbols")).isEqualTo(false);
  }

  @Test
  void updateWithoutUseTokenMatchingLeavesSortSymbolsAlone() {
    SessionState s = processor.updateGenes(SessionState.empty(), map("sort_symbols", false));
    s = processor.updateGenes(s, map("recall_threshold", 0.3));
    assertThat(processor.effectiveConfig(s)).containsEntry("sort_symbols", false);
    assertThat(processor.effectiveConfig(s)).containsEntry("use_token_matching", true);
  }

  // ---- the effective map ------------------------------------------------------------------------

  @Test
  void effectiveMapWithoutOverridesHasThe22DefaultedKeysInOrder() {
    LinkedHashMap<String, Object> config = processor.effectiveConfig(SessionState.empty());
    assertThat(new ArrayList<>(config.entrySet())).containsExactlyElementsOf(DEFAULTS);
    config.forEach((key, value) -> assertThat(value).as(key)
        .hasSameClassAs(DEFAULTS.stream().filter(e -> e.getKey().equals(key)).findFirst().get().getValue()));
  }

  @Test
  void fuzzyTokenThresholdAndAffinityEmotiveAppearOnlyWhenSetAndInTheirPlace() {
    // set in an order that differs from the documented one
    SessionState s = processor.updateGenes(SessionState.empty(),
        map("enable_filter_metrics", false, "affinity_emotive", "joy", "fuzzy_token_threshold", 0.6,
            "max_pattern_length", 4L));
    assertThat(new ArrayList<>(processor.effectiveConfig(s).keySet())).containsExactlyElementsOf(ALL_24_KEYS);
    assertThat(processor.effectiveConfig(s))
        .containsEntry("fuzzy_token_threshold", 0.6)
        .containsEntry("affinity_emotive", "joy")
        .containsEntry("enable_filter_metrics", false)
        .containsEntry("max_pattern_length", 4L);

    SessionState onlyFuzzy = processor.updateGenes(SessionState.empty(), map("fuzzy_token_threshold", 0.6));
    List<String> expected = new ArrayList<>(ALL_24_KEYS);
    expected.remove("affinity_emotive");
    assertThat(new ArrayList<>(processor.effectiveConfig(onlyFuzzy).keySet())).containsExactlyElementsOf(expected);
  }

  @Test
  void effectiveMapReportsTheNodeDefaultsWhereTheSessionSetsNothing() {
    NodeDefaults node = NodeDefaults.builder().maxPatternLength(3).persistence(7).recallThreshold(0.3)
        .stmMode("ROLLING").indexerType("LSH").maxPredictions(9).sortSymbols(false).processPredictions(false)
        .useTokenMatching(false).rankSortAlgo("similarity").build();
    LinkedHashMap<String, Object> config = new Processor(node).effectiveConfig(SessionState.empty());
    assertThat(config)
        .containsEntry("max_pattern_length", 3L)
        .containsEntry("persistence", 7L)
        .containsEntry("recall_threshold", 0.3)
        .containsEntry("indexer_type", "LSH")
        .containsEntry("max_predictions", 9L)
        .containsEntry("sort_symbols", false)
        .containsEntry("process_predictions", false)
        .containsEntry("use_token_matching", false)
        .containsEntry("stm_mode", "ROLLING")
        .containsEntry("rank_sort_algo", "similarity")
        .containsEntry("length_min_ratio", 0.5) // fixed defaults are not node-level
        .doesNotContainKeys("fuzzy_token_threshold", "affinity_emotive");
    assertThat(config).hasSize(22);
  }

  @Test
  void sessionValueWinsOverNodeDefaultInTheEffectiveMap() {
    NodeDefaults node = NodeDefaults.builder().persistence(7).build();
    Processor p = new Processor(node);
    SessionState s = p.updateGenes(SessionState.empty(), map("persistence", 2L));
    assertThat(p.effectiveConfig(s)).containsEntry("persistence", 2L);
  }

  // ---- node defaults ----------------------------------------------------------------------------

  static Stream<Arguments> invalidNodeDefaults() {
    return Stream.of(
        Arguments.of("MAX_PATTERN_LENGTH", (UnaryOperator<NodeDefaults.Builder>) b -> b.maxPatternLength(-1)),
        Arguments.of("PERSISTENCE", (UnaryOperator<NodeDefaults.Builder>) b -> b.persistence(0)),
        Arguments.of("PERSISTENCE", (UnaryOperator<NodeDefaults.Builder>) b -> b.persistence(101)),
        Arguments.of("RECALL_THRESHOLD", (UnaryOperator<NodeDefaults.Builder>) b -> b.recallThreshold(-0.01)),
        Arguments.of("RECALL_THRESHOLD", (UnaryOperator<NodeDefaults.Builder>) b -> b.recallThreshold(1.01)),
        Arguments.of("RECALL_THRESHOLD", (UnaryOperator<NodeDefaults.Builder>) b -> b.recallThreshold(Double.NaN)),
        Arguments.of("STM_MODE", (UnaryOperator<NodeDefaults.Builder>) b -> b.stmMode("sliding")),
        Arguments.of("STM_MODE", (UnaryOperator<NodeDefaults.Builder>) b -> b.stmMode("rolling")),
        Arguments.of("MAX_PREDICTIONS", (UnaryOperator<NodeDefaults.Builder>) b -> b.maxPredictions(0)),
        Arguments.of("MAX_PREDICTIONS", (UnaryOperator<NodeDefaults.Builder>) b -> b.maxPredictions(10001)),
        Arguments.of("RANK_SORT_ALGO", (UnaryOperator<NodeDefaults.Builder>) b -> b.rankSortAlgo("best")));
  }

  @ParameterizedTest(name = "{0} out of range is refused at build()")
  @MethodSource("invalidNodeDefaults")
  void nodeDefaultsBuilderRejectsOutOfRangeValues(String variable, UnaryOperator<NodeDefaults.Builder> change) {
    assertThatThrownBy(() -> change.apply(NodeDefaults.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable);
  }

  @Test
  void nodeDefaultsBuilderAcceptsTheBoundaries() {
    assertThatCode(() -> NodeDefaults.builder().maxPatternLength(0).persistence(1).recallThreshold(0.0)
        .maxPredictions(1).stmMode("CLEAR").build()).doesNotThrowAnyException();
    assertThatCode(() -> NodeDefaults.builder().maxPatternLength(Long.MAX_VALUE).persistence(100)
        .recallThreshold(1.0).maxPredictions(10000).stmMode("ROLLING").rankSortAlgo("weighted_snr").build())
        .doesNotThrowAnyException();
    NodeDefaults standard = NodeDefaults.builder().build();
    assertThat(standard).isEqualTo(NodeDefaults.STANDARD);
    assertThat(standard.persistence()).isEqualTo(5);
    assertThat(standard.recallThreshold()).isEqualTo(0.1);
    assertThat(standard.maxPredictions()).isEqualTo(100);
    assertThat(standard.rankSortAlgo()).isEqualTo("potential");
    assertThat(standard.stmMode()).isEqualTo("CLEAR");
    assertThat(standard.indexerType()).isEqualTo("VI");
    assertThat(standard.sortSymbols()).isTrue();
    assertThat(standard.processPredictions()).isTrue();
    assertThat(standard.useTokenMatching()).isTrue();
    assertThat(standard.maxPatternLength()).isZero();
  }
}
