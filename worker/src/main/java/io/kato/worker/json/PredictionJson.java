package io.kato.worker.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.kato.common.json.JsonValues;
import io.kato.engine.Anomaly;
import io.kato.engine.FullPrediction;
import io.kato.engine.FuturePotential;
import io.kato.engine.Prediction;
import io.kato.engine.SingleSymbolPrediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Engine predictions streamed straight to the JSON text of the REST API (PREDICTIONS.md field
 * order, API.md §2.3.5), with the response writer the gateway uses for its own bodies. The
 * worker renders them once and the gateway passes the bytes on: building typed messages, then a
 * JSON tree, then text cost more per request than the prediction search itself.
 *
 * <p>The shape is the one {@link io.kato.common.json.ProtoJson} gives the typed messages;
 * {@code PredictionJsonTest} holds the two to the same text.
 */
public final class PredictionJson {
  private PredictionJson() {}

  /** The {@code predictions} array as UTF-8 JSON. */
  public static byte[] predictions(List<? extends Prediction> predictions) {
    return render(g -> {
      g.writeStartArray();
      for (Prediction p : predictions) {
        if (p instanceof FullPrediction) {
          writeFull(g, (FullPrediction) p);
        } else {
          writeSingle(g, (SingleSymbolPrediction) p);
        }
      }
      g.writeEndArray();
    });
  }

  /** The {@code future_potentials} array as UTF-8 JSON. */
  public static byte[] futurePotentials(List<FuturePotential> futurePotentials) {
    return render(g -> {
      g.writeStartArray();
      for (FuturePotential f : futurePotentials) {
        g.writeStartObject();
        g.writeFieldName("future");
        writeEvents(g, f.future());
        g.writeNumberField("aggregate_potential", f.aggregatePotential());
        g.writeNumberField("supporting_patterns", f.supportingPatterns());
        g.writeNumberField("total_weighted_frequency", f.totalWeightedFrequency());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] render(Body body) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(16 * 1024)) {
      try (JsonGenerator g = JsonValues.responseWriter().createGenerator(out)) {
        body.write(g);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing predictions as JSON", e); // in-memory output: not expected
    }
  }

  private static void writeFull(JsonGenerator g, FullPrediction p) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", FullPrediction.TYPE);
    g.writeStringField("name", p.name());
    g.writeNumberField("frequency", p.frequency());
    g.writeFieldName("emotives");
    writeDoubleMap(g, p.emotives());
    g.writeFieldName("matches");
    writeStrings(g, p.matches());
    g.writeFieldName("past");
    writeEvents(g, p.past());
    g.writeFieldName("present");
    writeEvents(g, p.present());
    g.writeFieldName("missing");
    writeEvents(g, p.missing());
    g.writeFieldName("extras");
    writeEvents(g, p.extras());
    g.writeFieldName("anomalies");
    writeAnomalies(g, p.anomalies());
    g.writeNumberField("potential", p.potential());
    g.writeNumberField("evidence", p.evidence());
    g.writeNumberField("similarity", p.similarity());
    g.writeNumberField("fragmentation", p.fragmentation());
    g.writeNumberField("snr", p.snr());
    g.writeNumberField("confluence", p.confluence());
    g.writeNumberField("predictive_information", p.predictiveInformation());
    g.writeFieldName("sequence");
    writeEvents(g, p.sequence());
    g.writeFieldName("future");
    writeEvents(g, p.future());
    g.writeNumberField("confidence", p.confidence());
    writeNullable(g, "weighted_similarity", p.weightedSimilarity());
    writeNullable(g, "weighted_evidence", p.weightedEvidence());
    writeNullable(g, "weighted_confidence", p.weightedConfidence());
    writeNullable(g, "weighted_snr", p.weightedSnr());
    if (p.prePotential() != null) {
      g.writeNumberField("_pre_potential", p.prePotential());
    }
    g.writeNumberField("entropy", p.entropy());
    g.writeNumberField("normalized_entropy", p.normalizedEntropy());
    g.writeNumberField("global_normalized_entropy", p.globalNormalizedEntropy());
    g.writeNumberField("itfdf_similarity", p.itfdfSimilarity());
    g.writeNumberField("tfidf_score", p.tfidfScore());
    g.writeNumberField("pattern_probability", p.patternProbability());
    g.writeNumberField("weighted_strength", p.weightedStrength());
    g.writeNumberField("bayesian_posterior", p.bayesianPosterior());
    g.writeNumberField("bayesian_prior", p.bayesianPrior());
    g.writeNumberField("bayesian_likelihood", p.bayesianLikelihood());
    g.writeEndObject();
  }

  private static void writeSingle(JsonGenerator g, SingleSymbolPrediction p) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", p.name());
    g.writeFieldName("pattern_data");
    writeEvents(g, p.patternData());
    g.writeNumberField("length", p.length());
    g.writeNumberField("frequency", p.frequency());
    g.writeFieldName("emotives");
    writeDoubleMap(g, p.emotives());
    g.writeFieldName("matches");
    writeStrings(g, p.matches());
    g.writeFieldName("missing");
    writeStrings(g, p.missing());
    g.writeFieldName("present");
    writeStrings(g, p.present());
    g.writeFieldName("past");
    writeStrings(g, p.past());
    g.writeFieldName("future");
    writeStrings(g, p.future());
    g.writeFieldName("extras");
    writeStrings(g, p.extras());
    g.writeNumberField("similarity", p.similarity());
    g.writeNumberField("evidence", p.evidence());
    g.writeNumberField("confidence", p.confidence());
    g.writeNumberField("snr", p.snr());
    g.writeNumberField("fragmentation", p.fragmentation());
    g.writeFieldName("anomalies");
    writeAnomalies(g, p.anomalies());
    writeNullable(g, "weighted_similarity", p.weightedSimilarity());
    writeNullable(g, "weighted_evidence", p.weightedEvidence());
    writeNullable(g, "weighted_confidence", p.weightedConfidence());
    writeNullable(g, "weighted_snr", p.weightedSnr());
    g.writeNumberField("potential", p.potential());
    g.writeEndObject();
  }

  private static void writeNullable(JsonGenerator g, String field, Double value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value);
    }
  }

  private static void writeEvents(JsonGenerator g, List<List<String>> events) throws IOException {
    g.writeStartArray();
    for (List<String> event : events) {
      writeStrings(g, event);
    }
    g.writeEndArray();
  }

  private static void writeStrings(JsonGenerator g, List<String> strings) throws IOException {
    g.writeStartArray();
    for (String s : strings) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  private static void writeDoubleMap(JsonGenerator g, Map<String, Double> map) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Double> e : map.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeAnomalies(JsonGenerator g, List<Anomaly> anomalies) throws IOException {
    g.writeStartArray();
    for (Anomaly a : anomalies) {
      g.writeStartObject();
      g.writeStringField("observed", a.observed());
      g.writeStringField("expected", a.expected());
      g.writeNumberField("similarity", a.similarity());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
