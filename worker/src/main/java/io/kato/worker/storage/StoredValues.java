package io.kato.worker.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.json.JsonValues;
import io.kato.engine.Anomaly;
import io.kato.engine.FullPrediction;
import io.kato.engine.GeneValidationException;
import io.kato.engine.Genes;
import io.kato.engine.NamedVector;
import io.kato.engine.PatternMetrics;
import io.kato.engine.PerceptData;
import io.kato.engine.Prediction;
import io.kato.engine.SessionConfig;
import io.kato.engine.SessionState;
import io.kato.engine.SingleSymbolPrediction;
import io.kato.engine.StoredPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one codec of the durable records: patterns, affinity maps, vectors and sessions to and
 * from bytes, shared by every store.
 *
 * <p>Format: one version byte ({@value #FORMAT}) followed by UTF-8 JSON in which every record is
 * a positional array (no field names, so a record costs little more than its data). JSON keeps
 * the number kinds the engine depends on: typed fields are written as floats or integers as
 * their Java type says, and free-form values (metadata, gene overrides) go through {@link
 * JsonValues}, so an integer stays an integer (as {@code Long}, or {@code BigInteger} beyond 64
 * bits) and a float a {@code Double}. Doubles are written in Java's shortest round-trip form,
 * so they come back bit-identical, {@code -0.0} included; {@code NaN} and the infinities are
 * written as bare tokens (NaN payloads are not kept). Strings survive exactly, lone surrogates
 * included (Jackson escapes surrogates). Map key order is the order of the JSON object.
 *
 * <p>A pattern is stored without its {@code symbols} array, which is specific to the knowledge
 * base that interned it: {@link #decodePattern} returns an array of the right length filled with
 * -1 (the "unknown symbol" id), so {@link StoredPattern#length()} stays right.
 */
public final class StoredValues {
  private StoredValues() {}

  /** The leading format byte; a future format gets another value. */
  static final byte FORMAT = 1;

  private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          // Schubfach writing and fast parsing: still the shortest round-trip form, so every
          // double comes back bit-identical; FloatingDecimal.dtoa alone was 3% of a loaded worker
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(10_000).maxStringLength(Integer.MAX_VALUE).build())
          .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(10_000).build())
          .build())
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private static final String FULL = "f";
  private static final String SINGLE = "s";

  // ---- patterns -------------------------------------------------------------------------------

  /** {@code [name, sequence, events, frequency, emotives, metadata, metrics|null]}. */
  public static byte[] encodePattern(StoredPattern pattern) {
    return write(g -> {
      g.writeStartArray();
      g.writeString(pattern.name());
      g.writeNumber(pattern.sequence());
      writeEvents(g, pattern.events());
      g.writeNumber(pattern.frequency());
      g.writeStartArray();
      for (Map<String, Double> emotives : pattern.emotives()) {
        writeDoubleMap(g, emotives);
      }
      g.writeEndArray();
      g.writeStartObject();
      for (Map.Entry<String, List<String>> entry : pattern.metadata().entrySet()) {
        g.writeFieldName(entry.getKey());
        writeStrings(g, entry.getValue());
      }
      g.writeEndObject();
      PatternMetrics metrics = pattern.metrics();
      if (metrics == null) {
        g.writeNull();
      } else {
        g.writeStartArray();
        g.writeNumber(metrics.entropy());
        g.writeNumber(metrics.normalizedEntropy());
        g.writeNumber(metrics.globalNormalizedEntropy());
        writeDoubleMap(g, metrics.tfVector());
        g.writeEndArray();
      }
      g.writeEndArray();
    });
  }

  public static StoredPattern decodePattern(byte[] bytes) {
    Fields f = read(bytes);
    String name = f.string();
    int sequence = f.intValue();
    List<List<String>> events = events(f.next());
    int frequency = f.intValue();
    List<Map<String, Double>> emotives = list(f.next(), StoredValues::doubleMap);
    Map<String, List<String>> metadata = map(f.next(), StoredValues::strings);
    JsonNode metricsNode = f.next();
    PatternMetrics metrics = null;
    if (!metricsNode.isNull()) {
      Fields m = new Fields(metricsNode);
      metrics = new PatternMetrics(m.doubleValue(), m.doubleValue(), m.doubleValue(), doubleMap(m.next()));
    }
    int length = 0;
    for (List<String> event : events) {
      length += event.size();
    }
    int[] unknownSymbols = new int[length];
    Arrays.fill(unknownSymbols, -1);
    return new StoredPattern(name, sequence, events, unknownSymbols, frequency, emotives, metadata, metrics);
  }

  // ---- affinities -----------------------------------------------------------------------------

  /** {@code {emotive: sum, ...}} in the map's order. */
  public static byte[] encodeAffinities(Map<String, Double> sums) {
    return write(g -> writeDoubleMap(g, sums));
  }

  public static Map<String, Double> decodeAffinities(byte[] bytes) {
    return doubleMap(tree(bytes));
  }

  // ---- vectors --------------------------------------------------------------------------------

  /** {@code [name, [values...]]}. */
  public static byte[] encodeVector(NamedVector vector) {
    return write(g -> {
      g.writeStartArray();
      g.writeString(vector.name());
      writeDoubles(g, vector.values());
      g.writeEndArray();
    });
  }

  public static NamedVector decodeVector(byte[] bytes) {
    Fields f = read(bytes);
    return new NamedVector(f.string(), doubles(f.next()));
  }

  // ---- sessions -------------------------------------------------------------------------------

  /**
   * {@code [sessionId, nodeId, kbId, createdAt, expiresAt, ttlSeconds, metadata, accessCount,
   * state]}; instants as ISO-8601 strings (exact to the nanosecond); state is {@code [stm,
   * emotivesAccumulator, metadataAccumulator, time, perceptData|null, predictions, overrides]}.
   */
  public static byte[] encodeSession(SessionRecord session) {
    return write(g -> {
      g.writeStartArray();
      g.writeString(session.sessionId());
      g.writeString(session.nodeId());
      g.writeString(session.kbId());
      g.writeString(session.createdAt().toString());
      g.writeString(session.expiresAt().toString());
      g.writeNumber(session.ttlSeconds());
      writeJson(g, session.metadata());
      g.writeNumber(session.accessCount());
      writeState(g, session.state());
      g.writeEndArray();
    });
  }

  public static SessionRecord decodeSession(byte[] bytes) {
    Fields f = read(bytes);
    return new SessionRecord(f.string(), f.string(), f.string(), Instant.parse(f.string()),
        Instant.parse(f.string()), f.longValue(), jsonMap(f.next()), f.longValue(), state(f.next()));
  }

  private static void writeState(JsonGenerator g, SessionState state) throws IOException {
    g.writeStartArray();
    writeEvents(g, state.stm());
    g.writeStartArray();
    for (Map<String, Double> emotives : state.emotivesAccumulator()) {
      writeDoubleMap(g, emotives);
    }
    g.writeEndArray();
    writeJson(g, state.metadataAccumulator());
    g.writeNumber(state.time());
    PerceptData percept = state.perceptData();
    if (percept == null) {
      g.writeNull();
    } else {
      g.writeStartArray();
      writeStrings(g, percept.strings());
      g.writeStartArray();
      for (double[] vector : percept.vectors()) {
        writeDoubles(g, vector);
      }
      g.writeEndArray();
      writeDoubleMap(g, percept.emotives());
      writeJson(g, percept.metadata());
      g.writeEndArray();
    }
    g.writeStartArray();
    for (Prediction prediction : state.predictions()) {
      if (prediction instanceof FullPrediction) {
        writeFull(g, (FullPrediction) prediction);
      } else {
        writeSingle(g, (SingleSymbolPrediction) prediction);
      }
    }
    g.writeEndArray();
    writeJson(g, state.config().overrides());
    g.writeEndArray();
  }

  private static SessionState state(JsonNode node) {
    Fields f = new Fields(node);
    List<List<String>> stm = events(f.next());
    List<Map<String, Double>> emotives = list(f.next(), StoredValues::doubleMap);
    List<Map<String, Object>> metadata = list(f.next(), StoredValues::jsonMap);
    long time = f.longValue();
    JsonNode perceptNode = f.next();
    PerceptData percept = null;
    if (!perceptNode.isNull()) {
      Fields p = new Fields(perceptNode);
      percept = new PerceptData(strings(p.next()), list(p.next(), StoredValues::doubles), doubleMap(p.next()),
          jsonMap(p.next()));
    }
    List<Prediction> predictions = list(f.next(), StoredValues::prediction);
    Map<String, Object> overrides = jsonMap(f.next());
    SessionConfig config;
    try {
      config = overrides.isEmpty() ? SessionConfig.EMPTY : Genes.apply(SessionConfig.EMPTY, overrides, false);
    } catch (GeneValidationException e) {
      throw new IllegalArgumentException("stored gene overrides are invalid: " + overrides, e);
    }
    return new SessionState(stm, emotives, metadata, time, percept, predictions, config);
  }

  // ---- predictions ----------------------------------------------------------------------------

  private static void writeFull(JsonGenerator g, FullPrediction p) throws IOException {
    g.writeStartArray();
    g.writeString(FULL);
    g.writeString(p.name());
    g.writeNumber(p.frequency());
    writeDoubleMap(g, p.emotives());
    writeStrings(g, p.matches());
    writeEvents(g, p.past());
    writeEvents(g, p.present());
    writeEvents(g, p.missing());
    writeEvents(g, p.extras());
    writeAnomalies(g, p.anomalies());
    g.writeNumber(p.potential());
    g.writeNumber(p.evidence());
    g.writeNumber(p.similarity());
    g.writeNumber(p.fragmentation());
    g.writeNumber(p.snr());
    g.writeNumber(p.confluence());
    g.writeNumber(p.predictiveInformation());
    writeEvents(g, p.sequence());
    writeEvents(g, p.future());
    g.writeNumber(p.confidence());
    writeNullableDouble(g, p.weightedSimilarity());
    writeNullableDouble(g, p.weightedEvidence());
    writeNullableDouble(g, p.weightedConfidence());
    writeNullableDouble(g, p.weightedSnr());
    writeNullableDouble(g, p.prePotential());
    g.writeNumber(p.entropy());
    g.writeNumber(p.normalizedEntropy());
    g.writeNumber(p.globalNormalizedEntropy());
    g.writeNumber(p.itfdfSimilarity());
    g.writeNumber(p.tfidfScore());
    g.writeNumber(p.patternProbability());
    g.writeNumber(p.weightedStrength());
    g.writeNumber(p.bayesianPosterior());
    g.writeNumber(p.bayesianPrior());
    g.writeNumber(p.bayesianLikelihood());
    g.writeEndArray();
  }

  private static void writeSingle(JsonGenerator g, SingleSymbolPrediction p) throws IOException {
    g.writeStartArray();
    g.writeString(SINGLE);
    g.writeString(p.name());
    writeEvents(g, p.patternData());
    g.writeNumber(p.length());
    g.writeNumber(p.frequency());
    writeDoubleMap(g, p.emotives());
    writeStrings(g, p.matches());
    writeStrings(g, p.missing());
    writeStrings(g, p.present());
    writeStrings(g, p.past());
    writeStrings(g, p.future());
    writeStrings(g, p.extras());
    g.writeNumber(p.similarity());
    g.writeNumber(p.evidence());
    g.writeNumber(p.confidence());
    g.writeNumber(p.snr());
    g.writeNumber(p.fragmentation());
    writeAnomalies(g, p.anomalies());
    writeNullableDouble(g, p.weightedSimilarity());
    writeNullableDouble(g, p.weightedEvidence());
    writeNullableDouble(g, p.weightedConfidence());
    writeNullableDouble(g, p.weightedSnr());
    g.writeNumber(p.potential());
    g.writeEndArray();
  }

  private static Prediction prediction(JsonNode node) {
    Fields f = new Fields(node);
    String shape = f.string();
    if (FULL.equals(shape)) {
      return new FullPrediction(f.string(), f.intValue(), doubleMap(f.next()), strings(f.next()),
          events(f.next()), events(f.next()), events(f.next()), events(f.next()), anomalies(f.next()),
          f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(),
          f.doubleValue(), events(f.next()), events(f.next()), f.doubleValue(), f.nullableDouble(),
          f.nullableDouble(), f.nullableDouble(), f.nullableDouble(), f.nullableDouble(), f.doubleValue(),
          f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(),
          f.doubleValue(), f.doubleValue(), f.doubleValue());
    }
    if (SINGLE.equals(shape)) {
      return new SingleSymbolPrediction(f.string(), events(f.next()), f.intValue(), f.intValue(),
          doubleMap(f.next()), strings(f.next()), strings(f.next()), strings(f.next()), strings(f.next()),
          strings(f.next()), strings(f.next()), f.doubleValue(), f.doubleValue(), f.doubleValue(), f.doubleValue(),
          f.intValue(), anomalies(f.next()), f.nullableDouble(), f.nullableDouble(), f.nullableDouble(),
          f.nullableDouble(), f.doubleValue());
    }
    throw new IllegalArgumentException("unknown prediction shape " + shape);
  }

  private static void writeAnomalies(JsonGenerator g, List<Anomaly> anomalies) throws IOException {
    g.writeStartArray();
    for (Anomaly anomaly : anomalies) {
      g.writeStartArray();
      g.writeString(anomaly.observed());
      g.writeString(anomaly.expected());
      g.writeNumber(anomaly.similarity());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private static List<Anomaly> anomalies(JsonNode node) {
    return list(node, item -> {
      Fields f = new Fields(item);
      return new Anomaly(f.string(), f.string(), f.doubleValue());
    });
  }

  // ---- building blocks ------------------------------------------------------------------------

  @FunctionalInterface
  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Writer writer) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
      out.write(FORMAT);
      try (JsonGenerator g = MAPPER.createGenerator(out)) {
        writer.write(g);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a stored value", e);
    }
  }

  private static JsonNode tree(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("not a stored value of format " + FORMAT
          + (bytes.length == 0 ? " (empty)" : " (format byte " + bytes[0] + ")"));
    }
    try {
      return MAPPER.readTree(bytes, 1, bytes.length - 1);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt stored value", e);
    }
  }

  private static Fields read(byte[] bytes) {
    return new Fields(tree(bytes));
  }

  private static void writeJson(JsonGenerator g, Object value) throws IOException {
    MAPPER.writeTree(g, JsonValues.toJson(value));
  }

  private static Map<String, Object> jsonMap(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected an object, got " + node.getNodeType());
    }
    return JsonValues.toJavaMap((ObjectNode) node);
  }

  private static void writeStrings(JsonGenerator g, List<String> strings) throws IOException {
    g.writeStartArray();
    for (String s : strings) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  private static List<String> strings(JsonNode node) {
    return list(node, StoredValues::text);
  }

  private static void writeEvents(JsonGenerator g, List<List<String>> events) throws IOException {
    g.writeStartArray();
    for (List<String> event : events) {
      writeStrings(g, event);
    }
    g.writeEndArray();
  }

  private static List<List<String>> events(JsonNode node) {
    return list(node, StoredValues::strings);
  }

  private static void writeDoubles(JsonGenerator g, double[] values) throws IOException {
    g.writeStartArray();
    for (double value : values) {
      g.writeNumber(value);
    }
    g.writeEndArray();
  }

  private static double[] doubles(JsonNode node) {
    double[] values = new double[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = number(node.get(i));
    }
    return values;
  }

  private static void writeDoubleMap(JsonGenerator g, Map<String, Double> map) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Double> entry : map.entrySet()) {
      g.writeFieldName(entry.getKey());
      writeNullableDouble(g, entry.getValue());
    }
    g.writeEndObject();
  }

  private static Map<String, Double> doubleMap(JsonNode node) {
    return map(node, value -> value.isNull() ? null : number(value));
  }

  private static void writeNullableDouble(JsonGenerator g, Double value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else {
      g.writeNumber(value.doubleValue());
    }
  }

  private static <T> List<T> list(JsonNode node, java.util.function.Function<JsonNode, T> item) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected an array, got " + node.getNodeType());
    }
    if (node.isEmpty()) {
      return List.of();
    }
    List<T> out = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      out.add(item.apply(element));
    }
    return Collections.unmodifiableList(out);
  }

  private static <V> Map<String, V> map(JsonNode node, java.util.function.Function<JsonNode, V> value) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected an object, got " + node.getNodeType());
    }
    if (node.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, V> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.put(field.getKey(), value.apply(field.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static String text(JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("expected a string, got " + node.getNodeType());
    }
    return node.textValue();
  }

  private static double number(JsonNode node) {
    if (!node.isNumber()) {
      throw new IllegalArgumentException("expected a number, got " + node.getNodeType());
    }
    return node.doubleValue();
  }

  /** Positional reader of one record array. */
  private static final class Fields {
    private final JsonNode array;
    private int index;

    Fields(JsonNode array) {
      if (!array.isArray()) {
        throw new IllegalArgumentException("expected a record array, got " + array.getNodeType());
      }
      this.array = array;
    }

    JsonNode next() {
      if (index >= array.size()) {
        throw new IllegalArgumentException("record has " + array.size() + " fields, field " + index + " wanted");
      }
      return array.get(index++);
    }

    String string() {
      return text(next());
    }

    int intValue() {
      JsonNode node = next();
      if (!node.canConvertToInt() || !node.isIntegralNumber()) {
        throw new IllegalArgumentException("expected an int, got " + node);
      }
      return node.intValue();
    }

    long longValue() {
      JsonNode node = next();
      if (!node.canConvertToLong() || !node.isIntegralNumber()) {
        throw new IllegalArgumentException("expected a long, got " + node);
      }
      return node.longValue();
    }

    double doubleValue() {
      return number(next());
    }

    Double nullableDouble() {
      JsonNode node = next();
      return node.isNull() ? null : number(node);
    }
  }
}
