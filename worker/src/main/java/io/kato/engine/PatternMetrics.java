package io.kato.engine;

import java.util.Map;

/**
 * Metrics finalize-training stores per pattern (ENGINE.md §4.11); predictions use them as stored
 * until the next finalize-training (PREDICTIONS.md Q14).
 *
 * @param tfVector symbol → count/length, in first-occurrence order
 */
public record PatternMetrics(
    double entropy, double normalizedEntropy, double globalNormalizedEntropy, Map<String, Double> tfVector) {}
