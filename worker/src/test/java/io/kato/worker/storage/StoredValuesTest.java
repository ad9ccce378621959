package io.kato.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kato.engine.Anomaly;
import io.kato.engine.FullPrediction;
import io.kato.engine.Genes;
import io.kato.engine.NamedVector;
import io.kato.engine.PatternMetrics;
import io.kato.engine.PerceptData;
import io.kato.engine.Prediction;
import io.kato.engine.SessionConfig;
import io.kato.engine.SessionState;
import io.kato.engine.SingleSymbolPrediction;
import io.kato.engine.StoredPattern;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Round trips of {@link StoredValues}: every value comes back bit-identical, in order. */
public class StoredValuesTest {

  // ---- properties -----------------------------------------------------------------------------

  @Property(tries = 300)
  void patternsRoundTrip(@ForAll("patterns") StoredPattern pattern) {
    StoredPattern back = StoredValues.decodePattern(StoredValues.encodePattern(pattern));
    assertThat(Canonical.of(back)).isEqualTo(Canonical.of(pattern));
    assertThat(back.symbols()).hasSize(pattern.length());
    assertThat(java.util.stream.IntStream.of(back.symbols()).allMatch(id -> id == -1)).isTrue();
  }

  @Property(tries = 300)
  void affinitiesRoundTrip(@ForAll("doubleMaps") Map<String, Double> sums) {
    assertThat(Canonical.of(StoredValues.decodeAffinities(StoredValues.encodeAffinities(sums))))
        .isEqualTo(Canonical.of(sums));
  }

  @Property(tries = 300)
  void vectorsRoundTrip(@ForAll("vectors") NamedVector vector) {
    assertThat(Canonical.of(StoredValues.decodeVector(StoredValues.encodeVector(vector))))
        .isEqualTo(Canonical.of(vector));
  }

  @Property(tries = 200)
  void sessionsRoundTrip(@ForAll("sessions") SessionRecord session) {
    SessionRecord back = StoredValues.decodeSession(StoredValues.encodeSession(session));
    assertThat(Canonical.of(back)).isEqualTo(Canonical.of(session));
    assertThat(back.state().config()).isEqualTo(session.state().config());
  }

  // ---- examples -------------------------------------------------------------------------------

  @Test
  void doublesComeBackBitIdentical() {
    double[] specials = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2, 1e-310, 123456789.125e300};
    NamedVector back = StoredValues.decodeVector(StoredValues.encodeVector(new NamedVector("VCTR|x", specials)));
    for (int i = 0; i < specials.length; i++) {
      assertThat(Double.doubleToLongBits(back.values()[i])).as("value %d", i)
          .isEqualTo(Double.doubleToLongBits(specials[i]));
    }
  }

  @Test
  void jsonValueKindsAndOrderSurvive() {
    LinkedHashMap<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("z", 1L);
    metadata.put("a", 1.0);
    metadata.put("big", BigInteger.TWO.pow(70));
    metadata.put("negbig", BigInteger.TWO.pow(64).negate());
    metadata.put("min", Long.MIN_VALUE);
    metadata.put("int", 7);
    metadata.put("none", null);
    metadata.put("nested", Arrays.asList(Map.of("k", -0.0), List.of(), true, "\ud800x\u0000"));
    SessionRecord session = session(metadata, Genes.apply(SessionConfig.EMPTY,
        orderedMap("recall_threshold", 1L, "persistence", 3L, "fuzzy_token_threshold", 0.5), false));
    SessionRecord back = StoredValues.decodeSession(StoredValues.encodeSession(session));

    assertThat(Canonical.of(back.metadata())).isEqualTo(Canonical.of(metadata));
    assertThat(back.metadata().get("big")).isEqualTo(BigInteger.TWO.pow(70));
    assertThat(back.metadata().get("a")).isInstanceOf(Double.class);
    assertThat(back.metadata().get("z")).isInstanceOf(Long.class);
    assertThat(back.metadata().keySet()).containsExactlyElementsOf(metadata.keySet());
    assertThat(back.state().config().get("recall_threshold")).isEqualTo(1L);
    assertThat(back.state().config().overrides().keySet())
        .containsExactly("recall_threshold", "persistence", "fuzzy_token_threshold");
  }

  @Test
  void rejectsForeignBytes() {
    assertThatThrownBy(() -> StoredValues.decodeVector(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredValues.decodeVector("[\"x\",[]]".getBytes()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format");
    byte[] truncated = StoredValues.encodeVector(new NamedVector("VCTR|x", new double[] {1.0}));
    assertThatThrownBy(() -> StoredValues.decodePattern(truncated)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wtf8IsExactForAnyString() {
    for (String s : List.of("", "abc", "é", "\u20ac", "\ud83d\ude00", "\ud800", "\udc00", "\udc00\ud800", "a\u0000b",
        "\ud83d\ude00\ud800")) {
      assertThat(Wtf8.decode(Wtf8.encode(s))).isEqualTo(s);
    }
    assertThat(Wtf8.encode("\ud800")).isNotEqualTo(Wtf8.encode("\udbff"));
    assertThat(Wtf8.encode("h\u00e9\ud83d\ude00")).isEqualTo("h\u00e9\ud83d\ude00".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  // ---- generators -----------------------------------------------------------------------------

  static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().ofMaxLength(6),
        Arbitraries.strings().all().ofMaxLength(4),
        Arbitraries.of("", "VCTR|abc", "\ud800", "\udc00a", "\u0000", "\ud83d\ude00", "|", "%7C"));
  }

  static Arbitrary<Double> doubles() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.longs().map(Double::longBitsToDouble)
            .map(d -> Double.isNaN(d) ? Double.NaN : d)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(-0.0, 0.0, 1.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE)),
        net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(-10, 10)));
  }

  static Arbitrary<Double> nullableDoubles() {
    return doubles().injectNull(0.3);
  }

  static Arbitrary<List<String>> stringLists() {
    return strings().list().ofMaxSize(4);
  }

  static Arbitrary<List<List<String>>> events() {
    return strings().list().ofMinSize(1).ofMaxSize(3).list().ofMaxSize(4);
  }

  @Provide
  static Arbitrary<Map<String, Double>> doubleMaps() {
    return Arbitraries.maps(strings(), doubles()).ofMaxSize(4).map(LinkedHashMap::new);
  }

  /** Any JSON value as the engine holds it. */
  static Arbitrary<Object> jsonValues(int depth) {
    List<Arbitrary<? extends Object>> leaves = List.of(
        strings(), Arbitraries.of(true, false), Arbitraries.longs(), Arbitraries.integers(),
        Arbitraries.bigIntegers().between(BigInteger.TWO.pow(63), BigInteger.TWO.pow(90)),
        Arbitraries.bigIntegers().between(BigInteger.TWO.pow(90).negate(), BigInteger.TWO.pow(63).negate()
            .subtract(BigInteger.ONE)),
        doubles().filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)), Arbitraries.just(null));
    Arbitrary<Object> leaf = Arbitraries.oneOf(leaves).map(v -> (Object) v);
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> list = jsonValues(depth - 1).list().ofMaxSize(3).map(v -> (Object) v);
    Arbitrary<Object> map = jsonMaps(depth - 1).map(v -> (Object) v);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, leaf), net.jqwik.api.Tuple.of(1, list),
        net.jqwik.api.Tuple.of(1, map));
  }

  static Arbitrary<Map<String, Object>> jsonMaps(int depth) {
    return Arbitraries.maps(strings(), jsonValues(depth)).ofMaxSize(3).map(LinkedHashMap::new);
  }

  @Provide
  static Arbitrary<NamedVector> vectors() {
    return Combinators.combine(strings(), doubles().array(double[].class).ofMaxSize(5)).as(NamedVector::new);
  }

  @Provide
  static Arbitrary<StoredPattern> patterns() {
    Arbitrary<PatternMetrics> metrics = Combinators.combine(doubles(), doubles(), doubles(), doubleMaps())
        .as(PatternMetrics::new).injectNull(0.4);
    Arbitrary<Map<String, List<String>>> metadata =
        Arbitraries.maps(strings(), stringLists()).ofMaxSize(3).map(LinkedHashMap::new);
    return Combinators.combine(strings(), Arbitraries.integers().between(0, Integer.MAX_VALUE), events(),
            Arbitraries.integers().between(1, 1000), doubleMaps().list().ofMaxSize(3), metadata, metrics)
        .as((name, seq, events, frequency, emotives, meta, m) -> new StoredPattern(name, seq, events,
            new int[events.stream().mapToInt(List::size).sum()], frequency, emotives, meta, m));
  }

  static Arbitrary<List<Anomaly>> anomalies() {
    return Combinators.combine(strings(), strings(), doubles()).as(Anomaly::new).list().ofMaxSize(2);
  }

  public static Arbitrary<Prediction> predictions() {
    Arbitrary<Prediction> full = Combinators.combine(strings(), Arbitraries.integers(), doubleMaps(),
            stringLists(), events().list().ofSize(6), anomalies(), doubles().list().ofSize(23),
            nullableDoubles().list().ofSize(5))
        .as((name, frequency, emotives, matches, ev, anomalies, d, w) -> new FullPrediction(name, frequency,
            emotives, matches, ev.get(0), ev.get(1), ev.get(2), ev.get(3), anomalies, d.get(0), d.get(1), d.get(2),
            d.get(3), d.get(4), d.get(5), d.get(6), ev.get(4), ev.get(5), d.get(7), w.get(0), w.get(1), w.get(2),
            w.get(3), w.get(4), d.get(8), d.get(9), d.get(10), d.get(11), d.get(12), d.get(13), d.get(14), d.get(15),
            d.get(16), d.get(17)));
    Arbitrary<Prediction> single = Combinators.combine(strings(), events(), Arbitraries.integers().list().ofSize(3),
            doubleMaps(), stringLists().list().ofSize(7), doubles().list().ofSize(5), anomalies(),
            nullableDoubles().list().ofSize(4))
        .as((name, data, ints, emotives, s, d, anomalies, w) -> new SingleSymbolPrediction(name, data, ints.get(0),
            ints.get(1), emotives, s.get(0), s.get(1), s.get(2), s.get(3), s.get(4), s.get(5), d.get(0), d.get(1),
            d.get(2), d.get(3), ints.get(2), anomalies, w.get(0), w.get(1), w.get(2), w.get(3), d.get(4)));
    return Arbitraries.oneOf(full, single);
  }

  static Arbitrary<SessionConfig> configs() {
    Arbitrary<Map<String, Object>> overrides = Combinators.combine(
            Arbitraries.of(1L, 0L, 0.25, 0.1, 1.0), Arbitraries.longs().between(1, 100),
            Arbitraries.of("ROLLING", "CLEAR"), Arbitraries.of(Genes.RANK_SORT_ALGOS),
            Arbitraries.of(List.of(), List.of("length", "jaccard")), strings(), Arbitraries.integers().between(0, 6))
        .as((recall, persistence, mode, rank, pipeline, emotive, keep) -> {
          LinkedHashMap<String, Object> all = new LinkedHashMap<>();
          all.put(Genes.RECALL_THRESHOLD, recall);
          all.put(Genes.PERSISTENCE, persistence);
          all.put(Genes.STM_MODE, mode);
          all.put(Genes.RANK_SORT_ALGO, rank);
          all.put(Genes.FILTER_PIPELINE, pipeline);
          all.put(Genes.AFFINITY_EMOTIVE, emotive);
          LinkedHashMap<String, Object> some = new LinkedHashMap<>();
          all.entrySet().stream().limit(keep).forEach(e -> some.put(e.getKey(), e.getValue()));
          return some;
        });
    return overrides.map(o -> Genes.apply(SessionConfig.EMPTY, o, false));
  }

  static Arbitrary<SessionState> states() {
    Arbitrary<PerceptData> percept = Combinators.combine(stringLists(),
            doubles().array(double[].class).ofMaxSize(3).list().ofMaxSize(2), doubleMaps(), jsonMaps(2))
        .as(PerceptData::new).injectNull(0.3);
    return Combinators.combine(events(), doubleMaps().list().ofMaxSize(3), jsonMaps(2).list().ofMaxSize(3),
            Arbitraries.longs().greaterOrEqual(0), percept, predictions().list().ofMaxSize(3), configs())
        .as(SessionState::new);
  }

  static Arbitrary<Instant> instants() {
    return Combinators.combine(Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L),
        Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
  }

  @Provide
  static Arbitrary<SessionRecord> sessions() {
    return Combinators.combine(strings(), strings(), strings(), instants(), instants(), Arbitraries.longs(),
            jsonMaps(3), Combinators.combine(Arbitraries.longs(), states()).as(List::of))
        .as((id, node, kb, created, expires, ttl, metadata, rest) -> new SessionRecord(id, node, kb, created, expires,
            ttl, metadata, (Long) rest.get(0), (SessionState) rest.get(1)));
  }

  static SessionRecord session(Map<String, Object> metadata, SessionConfig config) {
    return new SessionRecord("session-1", "node", "kb", Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
        Instant.ofEpochSecond(1_700_003_600L), 3600, metadata, 3, SessionState.empty(config));
  }

  static Map<String, Object> orderedMap(Object... keysAndValues) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }
}
