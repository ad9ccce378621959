package io.kato.engine;

import java.util.Objects;

/**
 * Deployment-wide defaults of a node: the values upstream reads from its environment at process
 * start ({@code MAX_PATTERN_LENGTH}, {@code PERSISTENCE}, ...). A session value, when set,
 * overrides them where ENGINE.md says it does; everywhere else these values are used.
 *
 * <p>Immutable; build with {@link #builder()}, which validates every value at {@link
 * Builder#build()} exactly like upstream's start-up validation.
 */
public record NodeDefaults(
    long maxPatternLength,
    int persistence,
    double recallThreshold,
    String stmMode,
    String indexerType,
    int maxPredictions,
    boolean sortSymbols,
    boolean processPredictions,
    boolean useTokenMatching,
    String rankSortAlgo,
    double fuzzyTokenThreshold,
    VectorMetric similarityMetric) {

  public static final NodeDefaults STANDARD = builder().build();

  public NodeDefaults {
    Objects.requireNonNull(stmMode, "stmMode");
    Objects.requireNonNull(indexerType, "indexerType");
    Objects.requireNonNull(rankSortAlgo, "rankSortAlgo");
    Objects.requireNonNull(similarityMetric, "similarityMetric");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .maxPatternLength(maxPatternLength)
        .persistence(persistence)
        .recallThreshold(recallThreshold)
        .stmMode(stmMode)
        .indexerType(indexerType)
        .maxPredictions(maxPredictions)
        .sortSymbols(sortSymbols)
        .processPredictions(processPredictions)
        .useTokenMatching(useTokenMatching)
        .rankSortAlgo(rankSortAlgo)
        .fuzzyTokenThreshold(fuzzyTokenThreshold)
        .similarityMetric(similarityMetric);
  }

  /** Builder with upstream's defaults; {@link #build()} rejects values upstream refuses at start. */
  public static final class Builder {
    private long maxPatternLength = 0;
    private int persistence = 5;
    private double recallThreshold = 0.1;
    private String stmMode = "CLEAR";
    private String indexerType = "VI";
    private int maxPredictions = 100;
    private boolean sortSymbols = true;
    private boolean processPredictions = true;
    private boolean useTokenMatching = true;
    private String rankSortAlgo = "potential";
    private double fuzzyTokenThreshold = 0.0;
    private VectorMetric similarityMetric = VectorMetric.EUCLIDEAN;

    public Builder maxPatternLength(long v) { this.maxPatternLength = v; return this; }
    public Builder persistence(int v) { this.persistence = v; return this; }
    public Builder recallThreshold(double v) { this.recallThreshold = v; return this; }
    public Builder stmMode(String v) { this.stmMode = v; return this; }
    public Builder indexerType(String v) { this.indexerType = v; return this; }
    public Builder maxPredictions(int v) { this.maxPredictions = v; return this; }
    public Builder sortSymbols(boolean v) { this.sortSymbols = v; return this; }
    public Builder processPredictions(boolean v) { this.processPredictions = v; return this; }
    public Builder useTokenMatching(boolean v) { this.useTokenMatching = v; return this; }
    public Builder rankSortAlgo(String v) { this.rankSortAlgo = v; return this; }
    public Builder fuzzyTokenThreshold(double v) { this.fuzzyTokenThreshold = v; return this; }
    public Builder similarityMetric(VectorMetric v) { this.similarityMetric = v; return this; }

    /**
     * @throws IllegalArgumentException naming the setting and the allowed range, as upstream's
     *     start-up validation would (ENGINE.md §5.1)
     */
    public NodeDefaults build() {
      require(maxPatternLength >= 0, "MAX_PATTERN_LENGTH must be >= 0, got " + maxPatternLength);
      require(persistence >= 1 && persistence <= 100,
          "PERSISTENCE must be between 1 and 100, got " + persistence);
      require(recallThreshold >= 0.0 && recallThreshold <= 1.0,
          "RECALL_THRESHOLD must be between 0.0 and 1.0, got " + recallThreshold);
      require("CLEAR".equals(stmMode) || "ROLLING".equals(stmMode),
          "STM_MODE must be CLEAR or ROLLING, got " + stmMode);
      require(maxPredictions >= 1 && maxPredictions <= 10000,
          "MAX_PREDICTIONS must be between 1 and 10000, got " + maxPredictions);
      // an unknown ranking key would fail every prediction call later; refuse it now.
      require(Genes.RANK_SORT_ALGOS.contains(rankSortAlgo),
          "RANK_SORT_ALGO must be one of " + String.join(", ", Genes.RANK_SORT_ALGOS)
              + ", got " + rankSortAlgo);
      return new NodeDefaults(maxPatternLength, persistence, recallThreshold, stmMode, indexerType,
          maxPredictions, sortSymbols, processPredictions, useTokenMatching, rankSortAlgo,
          fuzzyTokenThreshold, similarityMetric);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
