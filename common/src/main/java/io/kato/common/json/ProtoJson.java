package io.kato.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.Anomaly;
import io.kato.proto.v1.CognitionData;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.Emotives;
import io.kato.proto.v1.Event;
import io.kato.proto.v1.FinalizeTrainingResponse;
import io.kato.proto.v1.FullPrediction;
import io.kato.proto.v1.FuturePotential;
import io.kato.proto.v1.LearnResponse;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.MetadataValues;
import io.kato.proto.v1.ObserveResponse;
import io.kato.proto.v1.ObserveSequenceResponse;
import io.kato.proto.v1.Pattern;
import io.kato.proto.v1.PerceptData;
import io.kato.proto.v1.Prediction;
import io.kato.proto.v1.PredictionsResponse;
import io.kato.proto.v1.SequenceItemResult;
import io.kato.proto.v1.SessionInfo;
import io.kato.proto.v1.SingleSymbolPrediction;
import io.kato.proto.v1.SymbolAffinity;
import io.kato.proto.v1.SymbolStats;
import io.kato.proto.v1.Vector;
import java.util.List;

/**
 * The v3 JSON bodies (API.md §2) of the worker's gRPC responses, in one place: key order as
 * upstream writes it, declared-but-unset fields as {@code null}, floats always as floats and
 * integers as integers (PREDICTIONS.md §6.4, §7; ENGINE.md §6).
 *
 * <p>Each method builds the body of one route; callers that serve a route variant (seed-003 root
 * routes, WebSocket replies) adjust the returned object.
 */
public final class ProtoJson {
  private ProtoJson() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // ---- sessions -------------------------------------------------------------------------------

  /** §2.2.1 / §2.2.3 SessionResponse. */
  public static ObjectNode session(SessionInfo s) {
    ObjectNode o = NODES.objectNode();
    o.put("session_id", s.getSessionId());
    o.put("node_id", s.getNodeId());
    o.put("created_at", s.getCreatedAt());
    o.put("expires_at", s.getExpiresAt());
    o.put("ttl_seconds", s.getTtlSeconds());
    o.set("metadata", map(s.getMetadata()));
    o.set("session_config", map(s.getSessionConfig()));
    return o;
  }

  /** §2.2.6 */
  public static ObjectNode config(String sessionId, MapValue config) {
    ObjectNode o = NODES.objectNode();
    o.put("session_id", sessionId);
    o.set("config", map(config));
    return o;
  }

  // ---- session operations ---------------------------------------------------------------------

  /** §2.3.1 ObservationResult. */
  public static ObjectNode observe(ObserveResponse r) {
    ObjectNode o = NODES.objectNode();
    o.put("status", r.getStatus());
    o.put("session_id", r.getSessionId());
    o.put("processor_id", r.getProcessorId());
    o.put("stm_length", r.getStmLength());
    o.put("time", r.getTime());
    o.put("unique_id", r.getUniqueId());
    o.set("auto_learned_pattern", r.hasAutoLearnedPattern() ? NODES.textNode(r.getAutoLearnedPattern()) : NODES.nullNode());
    return o;
  }

  /** §2.3.2 ObservationSequenceResult. */
  public static ObjectNode observeSequence(ObserveSequenceResponse r) {
    ObjectNode o = NODES.objectNode();
    o.put("status", r.getStatus());
    o.put("processor_id", r.getProcessorId());
    o.put("observations_processed", r.getObservationsProcessed());
    o.put("initial_stm_length", r.getInitialStmLength());
    o.put("final_stm_length", r.getFinalStmLength());
    ArrayNode results = o.putArray("results");
    for (SequenceItemResult item : r.getResultsList()) {
      ObjectNode i = results.addObject();
      i.put("status", item.getStatus());
      i.put("sequence_position", item.getSequencePosition());
      i.put("stm_length", item.getStmLength());
      i.put("time", item.getTime());
      i.put("unique_id", item.getUniqueId());
      i.set("auto_learned_pattern",
          item.hasAutoLearnedPattern() ? NODES.textNode(item.getAutoLearnedPattern()) : NODES.nullNode());
    }
    ArrayNode learned = o.putArray("auto_learned_patterns");
    r.getAutoLearnedPatternsList().forEach(learned::add);
    o.set("final_learned_pattern",
        r.hasFinalLearnedPattern() ? NODES.textNode(r.getFinalLearnedPattern()) : NODES.nullNode());
    o.put("isolated", r.getIsolated());
    return o;
  }

  /** §2.3.3 LearnResult; {@code processorId} null on session routes. */
  public static ObjectNode learn(LearnResponse r, String processorId) {
    ObjectNode o = NODES.objectNode();
    o.put("status", r.getStatus());
    o.put("pattern_name", r.getPatternName());
    o.put("session_id", r.getSessionId());
    o.set("processor_id", processorId == null ? NODES.nullNode() : NODES.textNode(processorId));
    o.put("message", r.getMessage());
    return o;
  }

  /** §2.3.4 STMResponse. */
  public static ObjectNode stm(List<Event> stm, String sessionId) {
    ObjectNode o = NODES.objectNode();
    o.set("stm", events(stm));
    o.put("session_id", sessionId);
    o.put("length", stm.size());
    return o;
  }

  /** §2.3.5 PredictionsResponse; {@code processorId} null on session routes. */
  public static ObjectNode predictions(PredictionsResponse r, String processorId) {
    return predictionsBody(predictionList(r.getPredictionsList()), futurePotentials(r.getFuturePotentialsList()),
        r.getSessionId(), r.getCount(), processorId);
  }

  /** §2.3.5 PredictionsResponse around arrays already mapped (or rendered raw by a worker). */
  public static ObjectNode predictionsBody(JsonNode predictions, JsonNode futurePotentials, String sessionId,
      long count, String processorId) {
    ObjectNode o = NODES.objectNode();
    o.set("predictions", predictions);
    o.set("future_potentials", futurePotentials);
    o.put("session_id", sessionId);
    o.set("processor_id", processorId == null ? NODES.nullNode() : NODES.textNode(processorId));
    o.put("count", count);
    o.putNull("time");
    o.putNull("unique_id");
    return o;
  }

  /** §2.3.8 percept_data: {@code {}} when there is none. */
  public static ObjectNode perceptData(PerceptData p, boolean present) {
    ObjectNode o = NODES.objectNode();
    if (!present) {
      return o;
    }
    ArrayNode strings = o.putArray("strings");
    p.getStringsList().forEach(strings::add);
    o.set("vectors", vectors(p.getVectorsList()));
    o.set("emotives", emotives(p.getEmotives()));
    o.putArray("path");
    o.set("metadata", map(p.getMetadata()));
    return o;
  }

  /** §2.3.9 cognition_data. */
  public static ObjectNode cognitionData(CognitionData c) {
    ObjectNode o = NODES.objectNode();
    o.set("predictions", predictionList(c.getPredictionsList()));
    o.set("emotives", emotives(c.getEmotives()));
    ArrayNode symbols = o.putArray("symbols");
    c.getSymbolsList().forEach(symbols::add);
    o.put("command", "");
    o.putObject("metadata");
    o.putArray("path");
    o.putArray("strings");
    o.putArray("vectors");
    o.set("short_term_memory", events(c.getShortTermMemoryList()));
    o.put("time", c.getTime());
    return o;
  }

  /** §2.3.10 */
  public static ObjectNode finalizeTraining(FinalizeTrainingResponse r) {
    ObjectNode o = NODES.objectNode();
    o.put("status", r.getStatus());
    o.put("patterns_processed", r.getPatternsProcessed());
    o.put("time_ms", r.getTimeMs());
    o.put("session_id", r.getSessionId());
    o.put("node_id", r.getNodeId());
    o.put("message", r.getMessage());
    return o;
  }

  // ---- node data ------------------------------------------------------------------------------

  /** §2.4.1 pattern object. */
  public static ObjectNode pattern(Pattern p) {
    ObjectNode o = NODES.objectNode();
    o.put("name", p.getName());
    o.set("pattern_data", events(p.getPatternDataList()));
    o.put("length", p.getLength());
    o.put("frequency", p.getFrequency());
    ArrayNode emotives = o.putArray("emotives");
    p.getEmotivesList().forEach(e -> emotives.add(emotives(e)));
    ObjectNode metadata = o.putObject("metadata");
    for (MetadataValues m : p.getMetadataList()) {
      ArrayNode values = metadata.putArray(m.getKey());
      m.getValuesList().forEach(values::add);
    }
    return o;
  }

  /** §2.4.5 the {@code symbols} map. */
  public static ObjectNode symbolStats(List<SymbolStats> stats) {
    ObjectNode o = NODES.objectNode();
    for (SymbolStats s : stats) {
      ObjectNode entry = o.putObject(s.getName());
      entry.put("name", s.getName());
      entry.put("frequency", s.getFrequency());
      entry.put("pattern_member_frequency", s.getPatternMemberFrequency());
    }
    return o;
  }

  /** §2.4.4 the {@code affinities} map. */
  public static ObjectNode affinities(List<SymbolAffinity> affinities) {
    ObjectNode o = NODES.objectNode();
    for (SymbolAffinity a : affinities) {
      o.set(a.getSymbol(), emotives(a.getAffinity()));
    }
    return o;
  }

  // ---- predictions ----------------------------------------------------------------------------

  public static ArrayNode predictionList(List<Prediction> predictions) {
    ArrayNode array = NODES.arrayNode();
    for (Prediction p : predictions) {
      array.add(p.hasFull() ? full(p.getFull()) : single(p.getSingleSymbol()));
    }
    return array;
  }

  private static ObjectNode full(FullPrediction p) {
    ObjectNode o = NODES.objectNode();
    o.put("type", p.getType());
    o.put("name", p.getName());
    o.put("frequency", p.getFrequency());
    o.set("emotives", emotives(p.getEmotives()));
    o.set("matches", strings(p.getMatchesList()));
    o.set("past", events(p.getPastList()));
    o.set("present", events(p.getPresentList()));
    o.set("missing", events(p.getMissingList()));
    o.set("extras", events(p.getExtrasList()));
    o.set("anomalies", anomalies(p.getAnomaliesList()));
    o.put("potential", p.getPotential());
    o.put("evidence", p.getEvidence());
    o.put("similarity", p.getSimilarity());
    o.put("fragmentation", p.getFragmentation());
    o.put("snr", p.getSnr());
    o.put("confluence", p.getConfluence());
    o.put("predictive_information", p.getPredictiveInformation());
    o.set("sequence", events(p.getSequenceList()));
    o.set("future", events(p.getFutureList()));
    o.put("confidence", p.getConfidence());
    o.set("weighted_similarity", optional(p.hasWeightedSimilarity(), p.getWeightedSimilarity()));
    o.set("weighted_evidence", optional(p.hasWeightedEvidence(), p.getWeightedEvidence()));
    o.set("weighted_confidence", optional(p.hasWeightedConfidence(), p.getWeightedConfidence()));
    o.set("weighted_snr", optional(p.hasWeightedSnr(), p.getWeightedSnr()));
    if (p.hasPrePotential()) {
      o.put("_pre_potential", p.getPrePotential());
    }
    o.put("entropy", p.getEntropy());
    o.put("normalized_entropy", p.getNormalizedEntropy());
    o.put("global_normalized_entropy", p.getGlobalNormalizedEntropy());
    o.put("itfdf_similarity", p.getItfdfSimilarity());
    o.put("tfidf_score", p.getTfidfScore());
    o.put("pattern_probability", p.getPatternProbability());
    o.put("weighted_strength", p.getWeightedStrength());
    o.put("bayesian_posterior", p.getBayesianPosterior());
    o.put("bayesian_prior", p.getBayesianPrior());
    o.put("bayesian_likelihood", p.getBayesianLikelihood());
    return o;
  }

  private static ObjectNode single(SingleSymbolPrediction p) {
    ObjectNode o = NODES.objectNode();
    o.put("name", p.getName());
    o.set("pattern_data", events(p.getPatternDataList()));
    o.put("length", p.getLength());
    o.put("frequency", p.getFrequency());
    o.set("emotives", emotives(p.getEmotives()));
    o.set("matches", strings(p.getMatchesList()));
    o.set("missing", strings(p.getMissingList()));
    o.set("present", strings(p.getPresentList()));
    o.set("past", strings(p.getPastList()));
    o.set("future", strings(p.getFutureList()));
    o.set("extras", strings(p.getExtrasList()));
    o.put("similarity", p.getSimilarity());
    o.put("evidence", p.getEvidence());
    o.put("confidence", p.getConfidence());
    o.put("snr", p.getSnr());
    o.put("fragmentation", p.getFragmentation());
    o.set("anomalies", anomalies(p.getAnomaliesList()));
    o.set("weighted_similarity", optional(p.hasWeightedSimilarity(), p.getWeightedSimilarity()));
    o.set("weighted_evidence", optional(p.hasWeightedEvidence(), p.getWeightedEvidence()));
    o.set("weighted_confidence", optional(p.hasWeightedConfidence(), p.getWeightedConfidence()));
    o.set("weighted_snr", optional(p.hasWeightedSnr(), p.getWeightedSnr()));
    o.put("potential", p.getPotential());
    return o;
  }

  public static ArrayNode futurePotentials(List<FuturePotential> list) {
    ArrayNode array = NODES.arrayNode();
    for (FuturePotential f : list) {
      ObjectNode o = array.addObject();
      o.set("future", events(f.getFutureList()));
      o.put("aggregate_potential", f.getAggregatePotential());
      o.put("supporting_patterns", f.getSupportingPatterns());
      o.put("total_weighted_frequency", f.getTotalWeightedFrequency());
    }
    return array;
  }

  // ---- values ---------------------------------------------------------------------------------

  public static ArrayNode events(List<Event> events) {
    ArrayNode array = NODES.arrayNode();
    for (Event e : events) {
      array.add(strings(e.getSymbolsList()));
    }
    return array;
  }

  public static ObjectNode emotives(Emotives emotives) {
    ObjectNode o = NODES.objectNode();
    for (Emotive e : emotives.getEntriesList()) {
      o.put(e.getName(), e.getValue());
    }
    return o;
  }

  /** A kind-preserving proto map as JSON (integers stay integers). */
  public static ObjectNode map(MapValue map) {
    return (ObjectNode) JsonValues.toJson(ProtoValues.toJavaMap(map));
  }

  private static ArrayNode vectors(List<Vector> vectors) {
    ArrayNode array = NODES.arrayNode();
    for (Vector v : vectors) {
      ArrayNode values = array.addArray();
      v.getValuesList().forEach(values::add);
    }
    return array;
  }

  private static ArrayNode strings(List<String> strings) {
    ArrayNode array = NODES.arrayNode();
    strings.forEach(array::add);
    return array;
  }

  private static ArrayNode anomalies(List<Anomaly> anomalies) {
    ArrayNode array = NODES.arrayNode();
    for (Anomaly a : anomalies) {
      ObjectNode o = array.addObject();
      o.put("observed", a.getObserved());
      o.put("expected", a.getExpected());
      o.put("similarity", a.getSimilarity());
    }
    return array;
  }

  private static JsonNode optional(boolean present, double value) {
    return present ? NODES.numberNode(value) : NODES.nullNode();
  }
}
