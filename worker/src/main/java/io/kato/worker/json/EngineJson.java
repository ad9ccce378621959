package io.kato.worker.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.json.JsonValues;
import io.kato.engine.Anomaly;
import io.kato.engine.FullPrediction;
import io.kato.engine.FuturePotential;
import io.kato.engine.PatternNames;
import io.kato.engine.PerceptData;
import io.kato.engine.Prediction;
import io.kato.engine.SingleSymbolPrediction;
import io.kato.engine.StoredPattern;
import java.util.List;
import java.util.Map;

/**
 * JSON shapes of engine results, exactly as the v3 API shows them: key order, and floats always
 * written as floats (PREDICTIONS.md §6.4, §7; ENGINE.md §6).
 */
public final class EngineJson {
  private EngineJson() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public static ArrayNode predictions(List<? extends Prediction> predictions) {
    ArrayNode array = NODES.arrayNode();
    for (Prediction prediction : predictions) {
      array.add(prediction(prediction));
    }
    return array;
  }

  public static ObjectNode prediction(Prediction prediction) {
    if (prediction instanceof FullPrediction) {
      return full((FullPrediction) prediction);
    }
    return single((SingleSymbolPrediction) prediction);
  }

  private static ObjectNode full(FullPrediction p) {
    ObjectNode o = NODES.objectNode();
    o.put("type", FullPrediction.TYPE);
    o.put("name", p.name());
    o.put("frequency", p.frequency());
    o.set("emotives", JsonValues.toJson(p.emotives()));
    o.set("matches", JsonValues.toJson(p.matches()));
    o.set("past", JsonValues.toJson(p.past()));
    o.set("present", JsonValues.toJson(p.present()));
    o.set("missing", JsonValues.toJson(p.missing()));
    o.set("extras", JsonValues.toJson(p.extras()));
    o.set("anomalies", anomalies(p.anomalies()));
    o.put("potential", p.potential());
    o.put("evidence", p.evidence());
    o.put("similarity", p.similarity());
    o.put("fragmentation", p.fragmentation());
    o.put("snr", p.snr());
    o.put("confluence", p.confluence());
    o.put("predictive_information", p.predictiveInformation());
    o.set("sequence", JsonValues.toJson(p.sequence()));
    o.set("future", JsonValues.toJson(p.future()));
    o.put("confidence", p.confidence());
    o.set("weighted_similarity", JsonValues.toJson(p.weightedSimilarity()));
    o.set("weighted_evidence", JsonValues.toJson(p.weightedEvidence()));
    o.set("weighted_confidence", JsonValues.toJson(p.weightedConfidence()));
    o.set("weighted_snr", JsonValues.toJson(p.weightedSnr()));
    if (p.prePotential() != null) {
      o.put("_pre_potential", p.prePotential());
    }
    o.put("entropy", p.entropy());
    o.put("normalized_entropy", p.normalizedEntropy());
    o.put("global_normalized_entropy", p.globalNormalizedEntropy());
    o.put("itfdf_similarity", p.itfdfSimilarity());
    o.put("tfidf_score", p.tfidfScore());
    o.put("pattern_probability", p.patternProbability());
    o.put("weighted_strength", p.weightedStrength());
    o.put("bayesian_posterior", p.bayesianPosterior());
    o.put("bayesian_prior", p.bayesianPrior());
    o.put("bayesian_likelihood", p.bayesianLikelihood());
    return o;
  }

  private static ObjectNode single(SingleSymbolPrediction p) {
    ObjectNode o = NODES.objectNode();
    o.put("name", p.name());
    o.set("pattern_data", JsonValues.toJson(p.patternData()));
    o.put("length", p.length());
    o.put("frequency", p.frequency());
    o.set("emotives", JsonValues.toJson(p.emotives()));
    o.set("matches", JsonValues.toJson(p.matches()));
    o.set("missing", JsonValues.toJson(p.missing()));
    o.set("present", JsonValues.toJson(p.present()));
    o.set("past", JsonValues.toJson(p.past()));
    o.set("future", JsonValues.toJson(p.future()));
    o.set("extras", JsonValues.toJson(p.extras()));
    o.put("similarity", p.similarity());
    o.put("evidence", p.evidence());
    o.put("confidence", p.confidence());
    o.put("snr", p.snr());
    o.put("fragmentation", p.fragmentation());
    o.set("anomalies", anomalies(p.anomalies()));
    o.set("weighted_similarity", JsonValues.toJson(p.weightedSimilarity()));
    o.set("weighted_evidence", JsonValues.toJson(p.weightedEvidence()));
    o.set("weighted_confidence", JsonValues.toJson(p.weightedConfidence()));
    o.set("weighted_snr", JsonValues.toJson(p.weightedSnr()));
    o.put("potential", p.potential());
    return o;
  }

  private static ArrayNode anomalies(List<Anomaly> anomalies) {
    ArrayNode array = NODES.arrayNode();
    for (Anomaly a : anomalies) {
      ObjectNode o = array.addObject();
      o.put("observed", a.observed());
      o.put("expected", a.expected());
      o.put("similarity", a.similarity());
    }
    return array;
  }

  public static ArrayNode futurePotentials(List<FuturePotential> futurePotentials) {
    ArrayNode array = NODES.arrayNode();
    for (FuturePotential f : futurePotentials) {
      ObjectNode o = array.addObject();
      o.set("future", JsonValues.toJson(f.future()));
      o.put("aggregate_potential", f.aggregatePotential());
      o.put("supporting_patterns", f.supportingPatterns());
      o.put("total_weighted_frequency", f.totalWeightedFrequency());
    }
    return array;
  }

  /** A pattern as {@code GET /pattern} shows it (ENGINE.md §6.3). */
  public static ObjectNode pattern(StoredPattern pattern) {
    ObjectNode o = NODES.objectNode();
    o.put("name", PatternNames.PREFIX + pattern.name());
    o.set("pattern_data", JsonValues.toJson(pattern.events()));
    o.put("length", pattern.length());
    o.put("frequency", pattern.frequency());
    o.set("emotives", JsonValues.toJson(pattern.emotives()));
    o.set("metadata", JsonValues.toJson(pattern.metadata()));
    return o;
  }

  /** Percept data (ENGINE.md §6.4); {@code {}} when the session has none. */
  public static ObjectNode perceptData(PerceptData percept) {
    ObjectNode o = NODES.objectNode();
    if (percept == null) {
      return o;
    }
    o.set("strings", JsonValues.toJson(percept.strings()));
    o.set("vectors", JsonValues.toJson(percept.vectors()));
    o.set("emotives", JsonValues.toJson(percept.emotives()));
    o.set("path", NODES.arrayNode());
    o.set("metadata", JsonValues.toJson(percept.metadata()));
    return o;
  }

  /** Cognition data (ENGINE.md §6.5) from the engine's ordered map. */
  public static ObjectNode cognitionData(Map<String, Object> cognition) {
    ObjectNode o = NODES.objectNode();
    cognition.forEach((key, value) -> {
      JsonNode node = "predictions".equals(key)
          ? predictions(castList(value))
          : JsonValues.toJson(value);
      o.set(key, node);
    });
    return o;
  }

  @SuppressWarnings("unchecked")
  private static List<? extends Prediction> castList(Object value) {
    return (List<? extends Prediction>) value;
  }
}
