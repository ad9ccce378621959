package io.kato.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.Anomaly;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.Emotives;
import io.kato.proto.v1.Event;
import io.kato.proto.v1.FullPrediction;
import io.kato.proto.v1.FuturePotential;
import io.kato.proto.v1.LearnResponse;
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
import io.kato.proto.v1.Vector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The v3 JSON text of worker responses (API.md §1.3, §2; PREDICTIONS.md §6.4, §7). */
class ProtoJsonTest {

  private static String write(JsonNode node) {
    try {
      return JsonValues.mapper().writeValueAsString(node);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode read(String text) {
    try {
      return JsonValues.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Event event(String... symbols) {
    return Event.newBuilder().addAllSymbols(List.of(symbols)).build();
  }

  private static Emotives emotives(String name, double value) {
    return Emotives.newBuilder().addEntries(Emotive.newBuilder().setName(name).setValue(value)).build();
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(keys::add);
    return keys;
  }

  // ---- observe --------------------------------------------------------------------------------

  @Test
  void observeWithoutAutoLearnedPatternWritesNull() {
    ObserveResponse r = ObserveResponse.newBuilder().setStatus("okay").setSessionId("session-1")
        .setProcessorId("user-123").setStmLength(2).setTime(2).setUniqueId("obs-5f1c").build();
    assertThat(write(ProtoJson.observe(r))).isEqualTo("{\"status\":\"okay\",\"session_id\":\"session-1\","
        + "\"processor_id\":\"user-123\",\"stm_length\":2,\"time\":2,\"unique_id\":\"obs-5f1c\","
        + "\"auto_learned_pattern\":null}");
  }

  @Test
  void observeWithAutoLearnedPattern() {
    ObserveResponse r = ObserveResponse.newBuilder().setStatus("okay").setSessionId("s").setProcessorId("")
        .setStmLength(0).setTime(7).setUniqueId("obs-1").setAutoLearnedPattern("PTRN|7729f0ed").build();
    assertThat(write(ProtoJson.observe(r))).isEqualTo("{\"status\":\"okay\",\"session_id\":\"s\","
        + "\"processor_id\":\"\",\"stm_length\":0,\"time\":7,\"unique_id\":\"obs-1\","
        + "\"auto_learned_pattern\":\"PTRN|7729f0ed\"}");
  }

  @Test
  void observeSequence() {
    ObserveSequenceResponse r = ObserveSequenceResponse.newBuilder().setStatus("completed").setProcessorId("n")
        .setObservationsProcessed(2).setInitialStmLength(0).setFinalStmLength(0)
        .addResults(SequenceItemResult.newBuilder().setStatus("okay").setSequencePosition(0).setStmLength(1)
            .setTime(1).setUniqueId("custom-1"))
        .addResults(SequenceItemResult.newBuilder().setStatus("okay").setSequencePosition(1).setStmLength(0)
            .setTime(2).setUniqueId("seq-obs-1").setAutoLearnedPattern("PTRN|ab"))
        .addAutoLearnedPatterns("PTRN|ab").addAutoLearnedPatterns("").build();
    assertThat(write(ProtoJson.observeSequence(r))).isEqualTo("{\"status\":\"completed\",\"processor_id\":\"n\","
        + "\"observations_processed\":2,\"initial_stm_length\":0,\"final_stm_length\":0,\"results\":["
        + "{\"status\":\"okay\",\"sequence_position\":0,\"stm_length\":1,\"time\":1,\"unique_id\":\"custom-1\","
        + "\"auto_learned_pattern\":null},"
        + "{\"status\":\"okay\",\"sequence_position\":1,\"stm_length\":0,\"time\":2,\"unique_id\":\"seq-obs-1\","
        + "\"auto_learned_pattern\":\"PTRN|ab\"}],"
        + "\"auto_learned_patterns\":[\"PTRN|ab\",\"\"],\"final_learned_pattern\":null,\"isolated\":false}");
  }

  @Test
  void learnOnASessionRouteHasNullProcessorId() {
    LearnResponse r = LearnResponse.newBuilder().setStatus("learned").setPatternName("PTRN|77").setSessionId("s")
        .setMessage("Learned pattern PTRN|77 from 0 events").build();
    assertThat(write(ProtoJson.learn(r, null))).isEqualTo("{\"status\":\"learned\",\"pattern_name\":\"PTRN|77\","
        + "\"session_id\":\"s\",\"processor_id\":null,\"message\":\"Learned pattern PTRN|77 from 0 events\"}");
    assertThat(ProtoJson.learn(r, "p1").get("processor_id").textValue()).isEqualTo("p1");
  }

  // ---- predictions ----------------------------------------------------------------------------

  private static FullPrediction.Builder full() {
    return FullPrediction.newBuilder().setType("prototypical").setName("7729f0ed").setFrequency(2)
        .setEmotives(emotives("joy", 10)).addMatches("a").addMatches("b")
        .addPresent(event("a", "b")).addMissing(event()).addExtras(event()).addExtras(event())
        .addAnomalies(Anomaly.newBuilder().setObserved("x").setExpected("y").setSimilarity(0.5))
        .setPotential(10).setEvidence(0.5).setSimilarity(1).setFragmentation(-1).setSnr(1).setConfluence(0.25)
        .setPredictiveInformation(0).addSequence(event("a", "b")).addSequence(event("c")).addFuture(event("c"))
        .setConfidence(1).setEntropy(0).setNormalizedEntropy(0.5).setGlobalNormalizedEntropy(0.75)
        .setItfdfSimilarity(0.125).setTfidfScore(2).setPatternProbability(1).setWeightedStrength(4)
        .setBayesianPosterior(1).setBayesianPrior(0.5).setBayesianLikelihood(0.5);
  }

  private static final String FULL_JSON = "{\"type\":\"prototypical\",\"name\":\"7729f0ed\",\"frequency\":2,"
      + "\"emotives\":{\"joy\":10.0},\"matches\":[\"a\",\"b\"],\"past\":[],\"present\":[[\"a\",\"b\"]],"
      + "\"missing\":[[]],\"extras\":[[],[]],"
      + "\"anomalies\":[{\"observed\":\"x\",\"expected\":\"y\",\"similarity\":0.5}],"
      + "\"potential\":10.0,\"evidence\":0.5,\"similarity\":1.0,\"fragmentation\":-1.0,\"snr\":1.0,"
      + "\"confluence\":0.25,\"predictive_information\":0.0,\"sequence\":[[\"a\",\"b\"],[\"c\"]],"
      + "\"future\":[[\"c\"]],\"confidence\":1.0,\"weighted_similarity\":null,\"weighted_evidence\":null,"
      + "\"weighted_confidence\":null,\"weighted_snr\":null,\"_pre_potential\":3.5,\"entropy\":0.0,"
      + "\"normalized_entropy\":0.5,\"global_normalized_entropy\":0.75,\"itfdf_similarity\":0.125,"
      + "\"tfidf_score\":2.0,\"pattern_probability\":1.0,\"weighted_strength\":4.0,\"bayesian_posterior\":1.0,"
      + "\"bayesian_prior\":0.5,\"bayesian_likelihood\":0.5}";

  @Test
  void predictionsWithOneFullPrediction() {
    PredictionsResponse r = PredictionsResponse.newBuilder()
        .addPredictions(Prediction.newBuilder().setFull(full().setPrePotential(3.5)))
        .addFuturePotentials(FuturePotential.newBuilder().addFuture(event("c")).setAggregatePotential(0.83)
            .setSupportingPatterns(1).setTotalWeightedFrequency(1))
        .setSessionId("session-1").setCount(1).build();
    assertThat(write(ProtoJson.predictions(r, null))).isEqualTo("{\"predictions\":[" + FULL_JSON + "],"
        + "\"future_potentials\":[{\"future\":[[\"c\"]],\"aggregate_potential\":0.83,\"supporting_patterns\":1,"
        + "\"total_weighted_frequency\":1.0}],"
        + "\"session_id\":\"session-1\",\"processor_id\":null,\"count\":1,\"time\":null,\"unique_id\":null}");
  }

  @Test
  void fullPredictionKeyOrderWithWeightsAndWithoutPrePotential() {
    FullPrediction p = full().setWeightedSimilarity(0.5).setWeightedEvidence(0.25).setWeightedConfidence(1)
        .setWeightedSnr(2).build();
    JsonNode o = ProtoJson.predictionList(List.of(Prediction.newBuilder().setFull(p).build())).get(0);
    assertThat(keys(o)).containsExactly("type", "name", "frequency", "emotives", "matches", "past", "present",
        "missing", "extras", "anomalies", "potential", "evidence", "similarity", "fragmentation", "snr",
        "confluence", "predictive_information", "sequence", "future", "confidence", "weighted_similarity",
        "weighted_evidence", "weighted_confidence", "weighted_snr", "entropy", "normalized_entropy",
        "global_normalized_entropy", "itfdf_similarity", "tfidf_score", "pattern_probability", "weighted_strength",
        "bayesian_posterior", "bayesian_prior", "bayesian_likelihood");
    String text = write(o);
    assertThat(text).contains("\"weighted_similarity\":0.5,\"weighted_evidence\":0.25,"
        + "\"weighted_confidence\":1.0,\"weighted_snr\":2.0,\"entropy\":0.0");
  }

  @Test
  void singleSymbolPredictionMatchesTheUpstreamExample() {
    // PREDICTIONS.md §7 example, first object
    SingleSymbolPrediction p = SingleSymbolPrediction.newBuilder().setName("b98534b32c1d7489d4ce1a48724aa65aeecbdba9")
        .addPatternData(event("a")).addPatternData(event("b")).addPatternData(event("c")).setLength(3)
        .setFrequency(1).setEmotives(Emotives.getDefaultInstance()).addMatches("a").addPresent("a")
        .addFuture("b").addFuture("c").setSimilarity(0.5).setEvidence(1.0 / 3).setConfidence(1).setSnr(1)
        .setFragmentation(0).setPotential(Double.parseDouble("2.333333333333333")).build();
    String text = write(ProtoJson.predictionList(List.of(Prediction.newBuilder().setSingleSymbol(p).build())));
    assertThat(text).isEqualTo("[{\"name\":\"b98534b32c1d7489d4ce1a48724aa65aeecbdba9\","
        + "\"pattern_data\":[[\"a\"],[\"b\"],[\"c\"]],\"length\":3,\"frequency\":1,"
        + "\"emotives\":{},\"matches\":[\"a\"],\"missing\":[],\"present\":[\"a\"],\"past\":[],\"future\":[\"b\",\"c\"],"
        + "\"extras\":[],\"similarity\":0.5,\"evidence\":0.3333333333333333,\"confidence\":1.0,\"snr\":1.0,"
        + "\"fragmentation\":0,\"anomalies\":[],"
        + "\"weighted_similarity\":null,\"weighted_evidence\":null,\"weighted_confidence\":null,\"weighted_snr\":null,"
        + "\"potential\":2.333333333333333}]");
  }

  @Test
  void emptyPredictions() {
    PredictionsResponse r = PredictionsResponse.newBuilder().setSessionId("s").build();
    assertThat(write(ProtoJson.predictions(r, "p"))).isEqualTo("{\"predictions\":[],\"future_potentials\":[],"
        + "\"session_id\":\"s\",\"processor_id\":\"p\",\"count\":0,\"time\":null,\"unique_id\":null}");
  }

  @Test
  void tinyAndHugeFloatsStayFloats() {
    JsonNode o = ProtoJson.predictionList(List.of(Prediction.newBuilder()
        .setFull(full().setNormalizedEntropy(1e-7).setTfidfScore(1e22)).build())).get(0);
    JsonNode reread = read(write(o));
    assertThat(reread.get("normalized_entropy").isFloatingPointNumber()).isTrue();
    assertThat(reread.get("normalized_entropy").doubleValue()).isEqualTo(1e-7);
    assertThat(reread.get("tfidf_score").isFloatingPointNumber()).isTrue();
    assertThat(reread.get("tfidf_score").doubleValue()).isEqualTo(1e22);
    assertThat(reread.get("frequency").isIntegralNumber()).isTrue();
  }

  // ---- node data ------------------------------------------------------------------------------

  @Test
  void patternMatchesTheSpecExample() {
    Pattern p = Pattern.newBuilder().setName("PTRN|7729f0ed").addPatternData(event("hello"))
        .addPatternData(event("world")).addPatternData(event("test")).setLength(3).setFrequency(1)
        .addEmotives(emotives("joy", 0.8))
        .addMetadata(MetadataValues.newBuilder().setKey("book").addValues("Alice in Wonderland")).build();
    assertThat(write(ProtoJson.pattern(p))).isEqualTo("{\"name\":\"PTRN|7729f0ed\","
        + "\"pattern_data\":[[\"hello\"],[\"world\"],[\"test\"]],\"length\":3,\"frequency\":1,"
        + "\"emotives\":[{\"joy\":0.8}],\"metadata\":{\"book\":[\"Alice in Wonderland\"]}}");
  }

  @Test
  void patternEmotivesAreFloatsEvenWhenIntegral() {
    Pattern p = Pattern.newBuilder().setName("PTRN|x").setLength(0).setFrequency(3)
        .addEmotives(emotives("energy", 10)).addEmotives(emotives("energy", 0)).build();
    assertThat(write(ProtoJson.pattern(p))).isEqualTo("{\"name\":\"PTRN|x\",\"pattern_data\":[],\"length\":0,"
        + "\"frequency\":3,\"emotives\":[{\"energy\":10.0},{\"energy\":0.0}],\"metadata\":{}}");
  }

  // ---- sessions -------------------------------------------------------------------------------

  @Test
  void sessionKeepsIntAndFloatConfigValues() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("max_pattern_length", 0L);
    config.put("persistence", 5L);
    config.put("recall_threshold", 0.1);
    config.put("sort_symbols", true);
    config.put("length_max_ratio", 2.0);
    config.put("filter_pipeline", List.of());
    config.put("max_candidates_per_stage", 100000L);
    SessionInfo s = SessionInfo.newBuilder().setSessionId("session-3f2a-1764000000000").setNodeId("user-123")
        .setCreatedAt("2026-11-24T13:31:32.971849Z").setExpiresAt("2026-11-24T14:31:32.971849Z").setTtlSeconds(3600)
        .setMetadata(ProtoValues.toProtoMap(Map.of("app_version", "2.0")))
        .setSessionConfig(ProtoValues.toProtoMap(config)).setKbId("user_123_kato").build();
    assertThat(write(ProtoJson.session(s))).isEqualTo("{\"session_id\":\"session-3f2a-1764000000000\","
        + "\"node_id\":\"user-123\",\"created_at\":\"2026-11-24T13:31:32.971849Z\","
        + "\"expires_at\":\"2026-11-24T14:31:32.971849Z\",\"ttl_seconds\":3600,\"metadata\":{\"app_version\":\"2.0\"},"
        + "\"session_config\":{\"max_pattern_length\":0,\"persistence\":5,\"recall_threshold\":0.1,"
        + "\"sort_symbols\":true,\"length_max_ratio\":2.0,\"filter_pipeline\":[],\"max_candidates_per_stage\":100000}}");
  }

  @Test
  void configBody() {
    ObjectNode o = ProtoJson.config("s", ProtoValues.toProtoMap(Map.of("persistence", 5L)));
    assertThat(write(o)).isEqualTo("{\"session_id\":\"s\",\"config\":{\"persistence\":5}}");
  }

  @Test
  void nonAsciiIsWrittenRaw() {
    SessionInfo s = SessionInfo.newBuilder().setSessionId("s").setNodeId("n\u00f6de-\u2603").build();
    assertThat(write(ProtoJson.session(s))).contains("\"node_id\":\"n\u00f6de-\u2603\"");
  }

  @Test
  void perceptData() {
    assertThat(write(ProtoJson.perceptData(PerceptData.getDefaultInstance(), false))).isEqualTo("{}");
    PerceptData p = PerceptData.newBuilder().addStrings("bar").addStrings("foo")
        .addVectors(Vector.newBuilder().addValues(1).addValues(0.5)).setEmotives(emotives("anger", 0.6)).build();
    assertThat(write(ProtoJson.perceptData(p, true))).isEqualTo("{\"strings\":[\"bar\",\"foo\"],"
        + "\"vectors\":[[1.0,0.5]],\"emotives\":{\"anger\":0.6},\"path\":[],\"metadata\":{}}");
  }
}
