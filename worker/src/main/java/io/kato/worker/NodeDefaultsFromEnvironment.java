package io.kato.worker;

import io.kato.engine.NodeDefaults;
import io.kato.engine.VectorMetric;
import java.util.Locale;
import java.util.Map;

/**
 * The node defaults from upstream's environment variables (ENGINE.md §5.1): {@code
 * MAX_PATTERN_LENGTH}, {@code PERSISTENCE}, {@code RECALL_THRESHOLD}, {@code STM_MODE}, {@code
 * INDEXER_TYPE}, {@code MAX_PREDICTIONS}, {@code SORT_SYMBOLS} (alias {@code SORT}), {@code
 * PROCESS_PREDICTIONS}, {@code USE_TOKEN_MATCHING} (alias {@code KATO_USE_TOKEN_MATCHING}),
 * {@code RANK_SORT_ALGO}, {@code FUZZY_TOKEN_THRESHOLD}, {@code KATO_SIMILARITY_METRIC}. Names are
 * case-insensitive; an invalid value stops start-up with a message naming it.
 */
final class NodeDefaultsFromEnvironment {
  private NodeDefaultsFromEnvironment() {}

  static NodeDefaults read(Map<String, String> environment) {
    Map<String, String> env = new java.util.HashMap<>();
    environment.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT), v));
    NodeDefaults.Builder b = NodeDefaults.builder();
    try {
      ifSet(env, "MAX_PATTERN_LENGTH", v -> b.maxPatternLength(Long.parseLong(v.trim())));
      ifSet(env, "PERSISTENCE", v -> b.persistence(Integer.parseInt(v.trim())));
      ifSet(env, "RECALL_THRESHOLD", v -> b.recallThreshold(Double.parseDouble(v.trim())));
      ifSet(env, "STM_MODE", v -> b.stmMode(v.trim()));
      ifSet(env, "INDEXER_TYPE", v -> b.indexerType(v.trim()));
      ifSet(env, "MAX_PREDICTIONS", v -> b.maxPredictions(Integer.parseInt(v.trim())));
      ifSet(env, "SORT", v -> b.sortSymbols(bool("SORT", v)));
      ifSet(env, "SORT_SYMBOLS", v -> b.sortSymbols(bool("SORT_SYMBOLS", v)));
      ifSet(env, "PROCESS_PREDICTIONS", v -> b.processPredictions(bool("PROCESS_PREDICTIONS", v)));
      ifSet(env, "KATO_USE_TOKEN_MATCHING", v -> b.useTokenMatching(bool("KATO_USE_TOKEN_MATCHING", v)));
      ifSet(env, "USE_TOKEN_MATCHING", v -> b.useTokenMatching(bool("USE_TOKEN_MATCHING", v)));
      ifSet(env, "RANK_SORT_ALGO", v -> b.rankSortAlgo(v.trim()));
      ifSet(env, "FUZZY_TOKEN_THRESHOLD", v -> b.fuzzyTokenThreshold(Double.parseDouble(v.trim())));
      ifSet(env, "KATO_SIMILARITY_METRIC", v -> b.similarityMetric(VectorMetric.parse(v)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid number in the node settings: " + e.getMessage(), e);
    }
    return b.build();
  }

  private static void ifSet(Map<String, String> env, String name, java.util.function.Consumer<String> apply) {
    String value = env.get(name);
    if (value != null && !value.isBlank()) {
      apply.accept(value);
    }
  }

  private static boolean bool(String name, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "yes": case "on": return true;
      case "false": case "0": case "no": case "off": return false;
      default: throw new IllegalArgumentException(name + " must be a boolean, got " + value);
    }
  }
}
