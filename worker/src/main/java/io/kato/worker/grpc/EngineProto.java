package io.kato.worker.grpc;

import io.kato.common.proto.ProtoValues;
import io.kato.engine.FullPrediction;
import io.kato.engine.FuturePotential;
import io.kato.engine.PatternNames;
import io.kato.engine.PerceptData;
import io.kato.engine.Prediction;
import io.kato.engine.SingleSymbolPrediction;
import io.kato.engine.StoredPattern;
import io.kato.proto.v1.Anomaly;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.Emotives;
import io.kato.proto.v1.Event;
import io.kato.proto.v1.MetadataValues;
import io.kato.proto.v1.Pattern;
import io.kato.proto.v1.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * Engine results as {@code kato.v1} messages: one mapping, field for field. Their JSON is {@code
 * ProtoJson}'s, for the gRPC path and the worker's own JSON answers alike.
 */
public final class EngineProto {
  private EngineProto() {}

  public static List<Event> events(List<List<String>> events) {
    List<Event> out = new ArrayList<>(events.size());
    for (List<String> event : events) {
      out.add(Event.newBuilder().addAllSymbols(event).build());
    }
    return out;
  }

  public static Emotives emotives(Map<String, Double> emotives) {
    Emotives.Builder out = Emotives.newBuilder();
    emotives.forEach((name, value) -> out.addEntries(Emotive.newBuilder().setName(name).setValue(value)));
    return out.build();
  }

  public static List<Vector> vectors(List<double[]> vectors) {
    List<Vector> out = new ArrayList<>(vectors.size());
    for (double[] vector : vectors) {
      Vector.Builder v = Vector.newBuilder();
      for (double d : vector) {
        v.addValues(d);
      }
      out.add(v.build());
    }
    return out;
  }

  public static List<io.kato.proto.v1.Anomaly> anomalies(List<io.kato.engine.Anomaly> anomalies) {
    List<Anomaly> out = new ArrayList<>(anomalies.size());
    for (io.kato.engine.Anomaly a : anomalies) {
      out.add(Anomaly.newBuilder().setObserved(a.observed()).setExpected(a.expected())
          .setSimilarity(a.similarity()).build());
    }
    return out;
  }

  public static io.kato.proto.v1.Prediction prediction(Prediction prediction) {
    io.kato.proto.v1.Prediction.Builder out = io.kato.proto.v1.Prediction.newBuilder();
    if (prediction instanceof FullPrediction) {
      return out.setFull(full((FullPrediction) prediction)).build();
    }
    return out.setSingleSymbol(single((SingleSymbolPrediction) prediction)).build();
  }

  public static List<io.kato.proto.v1.Prediction> predictions(List<? extends Prediction> predictions) {
    List<io.kato.proto.v1.Prediction> out = new ArrayList<>(predictions.size());
    for (Prediction p : predictions) {
      out.add(prediction(p));
    }
    return out;
  }

  private static io.kato.proto.v1.FullPrediction full(FullPrediction p) {
    io.kato.proto.v1.FullPrediction.Builder b = io.kato.proto.v1.FullPrediction.newBuilder()
        .setType(FullPrediction.TYPE).setName(p.name()).setFrequency(p.frequency())
        .setEmotives(emotives(p.emotives())).addAllMatches(p.matches())
        .addAllPast(events(p.past())).addAllPresent(events(p.present())).addAllMissing(events(p.missing()))
        .addAllExtras(events(p.extras())).addAllAnomalies(anomalies(p.anomalies()))
        .setPotential(p.potential()).setEvidence(p.evidence()).setSimilarity(p.similarity())
        .setFragmentation(p.fragmentation()).setSnr(p.snr()).setConfluence(p.confluence())
        .setPredictiveInformation(p.predictiveInformation()).addAllSequence(events(p.sequence()))
        .addAllFuture(events(p.future())).setConfidence(p.confidence())
        .setEntropy(p.entropy()).setNormalizedEntropy(p.normalizedEntropy())
        .setGlobalNormalizedEntropy(p.globalNormalizedEntropy()).setItfdfSimilarity(p.itfdfSimilarity())
        .setTfidfScore(p.tfidfScore()).setPatternProbability(p.patternProbability())
        .setWeightedStrength(p.weightedStrength()).setBayesianPosterior(p.bayesianPosterior())
        .setBayesianPrior(p.bayesianPrior()).setBayesianLikelihood(p.bayesianLikelihood());
    setIfPresent(p.weightedSimilarity(), b::setWeightedSimilarity);
    setIfPresent(p.weightedEvidence(), b::setWeightedEvidence);
    setIfPresent(p.weightedConfidence(), b::setWeightedConfidence);
    setIfPresent(p.weightedSnr(), b::setWeightedSnr);
    setIfPresent(p.prePotential(), b::setPrePotential);
    return b.build();
  }

  private static io.kato.proto.v1.SingleSymbolPrediction single(SingleSymbolPrediction p) {
    io.kato.proto.v1.SingleSymbolPrediction.Builder b = io.kato.proto.v1.SingleSymbolPrediction.newBuilder()
        .setName(p.name()).addAllPatternData(events(p.patternData())).setLength(p.length())
        .setFrequency(p.frequency()).setEmotives(emotives(p.emotives())).addAllMatches(p.matches())
        .addAllMissing(p.missing()).addAllPresent(p.present()).addAllPast(p.past()).addAllFuture(p.future())
        .addAllExtras(p.extras()).setSimilarity(p.similarity()).setEvidence(p.evidence())
        .setConfidence(p.confidence()).setSnr(p.snr()).setFragmentation(p.fragmentation())
        .addAllAnomalies(anomalies(p.anomalies())).setPotential(p.potential());
    setIfPresent(p.weightedSimilarity(), b::setWeightedSimilarity);
    setIfPresent(p.weightedEvidence(), b::setWeightedEvidence);
    setIfPresent(p.weightedConfidence(), b::setWeightedConfidence);
    setIfPresent(p.weightedSnr(), b::setWeightedSnr);
    return b.build();
  }

  /** proto3 {@code optional}: an unset field is the JSON null of the engine's value. */
  private static void setIfPresent(Double value, DoubleConsumer setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  public static List<io.kato.proto.v1.FuturePotential> futurePotentials(List<FuturePotential> futures) {
    List<io.kato.proto.v1.FuturePotential> out = new ArrayList<>(futures.size());
    for (FuturePotential f : futures) {
      out.add(io.kato.proto.v1.FuturePotential.newBuilder().addAllFuture(events(f.future()))
          .setAggregatePotential(f.aggregatePotential()).setSupportingPatterns(f.supportingPatterns())
          .setTotalWeightedFrequency(f.totalWeightedFrequency()).build());
    }
    return out;
  }

  public static Pattern pattern(StoredPattern p) {
    Pattern.Builder b = Pattern.newBuilder().setName(PatternNames.PREFIX + p.name())
        .addAllPatternData(events(p.events())).setLength(p.length()).setFrequency(p.frequency());
    for (Map<String, Double> window : p.emotives()) {
      b.addEmotives(emotives(window));
    }
    p.metadata().forEach((key, values) -> b.addMetadata(MetadataValues.newBuilder().setKey(key).addAllValues(values)));
    return b.build();
  }

  public static io.kato.proto.v1.PerceptData perceptData(PerceptData p) {
    return io.kato.proto.v1.PerceptData.newBuilder().addAllStrings(p.strings()).addAllVectors(vectors(p.vectors()))
        .setEmotives(emotives(p.emotives())).setMetadata(ProtoValues.toProtoMap(p.metadata())).build();
  }
}
