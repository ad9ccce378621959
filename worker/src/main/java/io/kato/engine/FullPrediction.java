package io.kato.engine;

import java.util.List;
import java.util.Map;

/**
 * A prediction for an STM of two or more symbols (PREDICTIONS.md §5, §6.4). Components are in
 * the wire order; {@code type} is always {@code "prototypical"}. The {@code weighted*} values are
 * null unless affinity weighting was active; {@code prePotential} is null unless the ensemble was
 * pruned (then the field appears on the wire).
 */
public record FullPrediction(
    String name,
    int frequency,
    Map<String, Double> emotives,
    List<String> matches,
    List<List<String>> past,
    List<List<String>> present,
    List<List<String>> missing,
    List<List<String>> extras,
    List<Anomaly> anomalies,
    double potential,
    double evidence,
    double similarity,
    double fragmentation,
    double snr,
    double confluence,
    double predictiveInformation,
    List<List<String>> sequence,
    List<List<String>> future,
    double confidence,
    Double weightedSimilarity,
    Double weightedEvidence,
    Double weightedConfidence,
    Double weightedSnr,
    Double prePotential,
    double entropy,
    double normalizedEntropy,
    double globalNormalizedEntropy,
    double itfdfSimilarity,
    double tfidfScore,
    double patternProbability,
    double weightedStrength,
    double bayesianPosterior,
    double bayesianPrior,
    double bayesianLikelihood)
    implements Prediction {

  public static final String TYPE = "prototypical";

  /** The value a ranking key selects; null for a weighted field without weighting. */
  Double rankValue(String key) {
    switch (key) {
      case "potential": return potential;
      case "similarity": return similarity;
      case "evidence": return evidence;
      case "confidence": return confidence;
      case "snr": return snr;
      case "fragmentation": return fragmentation;
      case "frequency": return (double) frequency;
      case "normalized_entropy": return normalizedEntropy;
      case "global_normalized_entropy": return globalNormalizedEntropy;
      case "itfdf_similarity": return itfdfSimilarity;
      case "confluence": return confluence;
      case "predictive_information": return predictiveInformation;
      case "bayesian_posterior": return bayesianPosterior;
      case "bayesian_prior": return bayesianPrior;
      case "bayesian_likelihood": return bayesianLikelihood;
      case "tfidf_score": return tfidfScore;
      case "weighted_similarity": return weightedSimilarity;
      case "weighted_evidence": return weightedEvidence;
      case "weighted_confidence": return weightedConfidence;
      case "weighted_snr": return weightedSnr;
      case "entropy": return entropy;
      case "pattern_probability": return patternProbability;
      case "weighted_strength": return weightedStrength;
      default: throw new IllegalArgumentException("unknown ranking key " + key);
    }
  }
}
