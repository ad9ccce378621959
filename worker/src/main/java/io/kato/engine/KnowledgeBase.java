package io.kato.engine;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A node's knowledge base (ENGINE.md §1.2): patterns, symbol statistics, global counters, the
 * vector index and the node's deferred vectors. The engine reads it through this interface and
 * changes it only through {@link #apply(LearnCommit)}, {@link #indexDeferredVectors()}, {@link
 * #addDeferredVector}, {@link #storeMetrics} and {@link #clear()}, so a durable or indexed
 * implementation can sit behind it without changing any result.
 *
 * <p>Threading: implementations need not be thread-safe; {@link Processor} guarantees one writer
 * at a time and no reader while a writer runs.
 */
public interface KnowledgeBase {

  // ---- symbols --------------------------------------------------------------------------------

  /** The symbol's id, or -1 when no learned pattern contains it. */
  int symbolId(String symbol);

  String symbol(int id);

  /** {@code N}: number of distinct symbols ever learned (size of the symbol table). */
  int symbolCount();

  /** {@code freq[s]}: total occurrences over all learns. */
  long symbolFrequency(int id);

  /** {@code pmf[s]}: number of distinct patterns containing the symbol when first learned. */
  long patternMemberFrequency(int id);

  /** {@code aff[s][e]}, 0.0 when never set. */
  double affinity(int id, String emotive);

  /** Every affinity sum of a symbol (emotive → sum, first-set order); empty when none. */
  Map<String, Double> affinities(int id);

  // ---- counters -------------------------------------------------------------------------------

  /** {@code U}. */
  long totalUniquePatterns();

  /** {@code F}; equals {@code U}. */
  long totalPatternFrequencies();

  long totalSymbolsInPatternsFrequencies();

  // ---- patterns -------------------------------------------------------------------------------

  int patternCount();

  /** The pattern with this bare hash, or null. */
  StoredPattern pattern(String name);

  /** Every pattern in learn sequence order. */
  void forEachPattern(Consumer<StoredPattern> action);

  /**
   * Patterns containing at least one of the symbols, in learn sequence order. Unknown ids
   * (negative) are ignored.
   */
  List<StoredPattern> patternsContainingAny(int[] symbolIds);

  /**
   * Posting-list overlap counts, for the prediction search's safe bounds (PREDICTIONS.md §9.3):
   * for every {@code k} and every pattern containing {@code symbolIds[k]}, adds {@code
   * weights[k]} to {@code counts[sequence]}. The ids must be distinct and known (non-negative);
   * {@code counts} has at least {@link #patternCount()} entries. Learn sequences are dense:
   * {@code 0 .. patternCount() - 1}.
   *
   * <p>The default goes through {@link #patternsContainingAny}; implementations with posting
   * lists should override it.
   */
  default void addContainedWeights(int[] symbolIds, int[] weights, int[] counts) {
    for (int k = 0; k < symbolIds.length; k++) {
      for (StoredPattern pattern : patternsContainingAny(new int[] {symbolIds[k]})) {
        counts[pattern.sequence()] += weights[k];
      }
    }
  }

  /**
   * The pattern with this learn sequence ({@code 0 .. patternCount() - 1}). The default scans
   * every pattern; implementations should override it.
   */
  default StoredPattern patternAt(int sequence) {
    StoredPattern[] found = new StoredPattern[1];
    forEachPattern(pattern -> {
      if (pattern.sequence() == sequence) {
        found[0] = pattern;
      }
    });
    if (found[0] == null) {
      throw new IndexOutOfBoundsException("no pattern with learn sequence " + sequence);
    }
    return found[0];
  }

  /**
   * Every pattern's symbols in one array, for the prediction search's scan; read-only and valid
   * until the next write. The default builds it from {@link #forEachPattern} on every call;
   * implementations should keep one.
   */
  default PatternArena patternArena() {
    return PatternArena.of(this);
  }

  /** Patterns whose first stored symbol is this one, in learn sequence order. */
  List<StoredPattern> patternsStartingWith(int symbolId);

  /** Applies one learn atomically: pattern row, frequency, window, metadata, statistics. */
  void apply(LearnCommit commit);

  /** Replaces the precomputed metrics of the named patterns. */
  void storeMetrics(Map<String, PatternMetrics> metricsByName);

  // ---- vectors --------------------------------------------------------------------------------

  /** The locked dimension of the vector index, or -1 when nothing was indexed yet. */
  int vectorDimension();

  /** Vectors observed since the last learn, waiting to be indexed (node-wide). */
  List<NamedVector> deferredVectors();

  void addDeferredVector(NamedVector vector);

  /**
   * Indexes every deferred vector in order (upsert by name) and empties the list. The first
   * indexed vector locks the dimension; a vector of another length is not indexed.
   */
  void indexDeferredVectors();

  /**
   * Names of the {@code k} indexed vectors nearest to {@code query}, nearest first, ties by
   * ascending name; empty when the index is empty or its dimension differs.
   */
  List<String> nearestVectors(double[] query, int k, VectorMetric metric);

  // ---- clear-all ------------------------------------------------------------------------------

  /** Wipes everything, including the vector index and its dimension lock (D-3). */
  void clear();
}
