package io.kato.engine;

import java.util.List;
import java.util.Map;

/**
 * A prediction for an STM of exactly one symbol (PREDICTIONS.md §7): flat symbol lists instead of
 * events, an integer {@code fragmentation}, no ensemble metrics. Components in wire order.
 */
public record SingleSymbolPrediction(
    String name,
    List<List<String>> patternData,
    int length,
    int frequency,
    Map<String, Double> emotives,
    List<String> matches,
    List<String> missing,
    List<String> present,
    List<String> past,
    List<String> future,
    List<String> extras,
    double similarity,
    double evidence,
    double confidence,
    double snr,
    int fragmentation,
    List<Anomaly> anomalies,
    Double weightedSimilarity,
    Double weightedEvidence,
    Double weightedConfidence,
    Double weightedSnr,
    double potential)
    implements Prediction {}
