package io.kato.engine;

import io.kato.engine.text.CodePointOrder;
import io.kato.engine.text.PyText;
import io.kato.engine.text.VectorText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The KATO engine for one node: observe, learn, predictions, clears and the node-scoped reads,
 * with exactly the semantics of ENGINE.md and PREDICTIONS.md.
 *
 * <p>Sessions are values ({@link SessionState}): every operation takes the session's current
 * state and returns the next one, and a rejected operation throws before changing anything, in
 * the session or in the knowledge base.
 *
 * <p>Thread-safety: any number of threads may call this class. Operations that change the node
 * (observe, learn, clear-all, finalize-training) take the node's write lock; predictions and the
 * reads take its read lock, so they run concurrently with each other and always see a
 * consistent knowledge base. Callers must still apply one session's operations in order (one
 * writer per session): the engine does not serialise sessions against themselves.
 */
public final class Processor {
  /** Neighbours a vector observation adds (ENGINE.md §2.4.3). */
  private static final int VECTOR_NEIGHBOURS = 3;

  private final NodeDefaults defaults;
  private final KnowledgeBase kb;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /**
   * Searches done for this knowledge base as it is (see {@link PredictionMemo}); every change of
   * the knowledge base, made under the write lock, empties it. 8,192 predictions are a few MB.
   */
  private final PredictionMemo memo;

  /** Predictions a node's memo holds at most. */
  public static final int DEFAULT_MEMO_CAPACITY = 8192;

  public Processor(NodeDefaults defaults, KnowledgeBase kb) {
    this(defaults, kb, DEFAULT_MEMO_CAPACITY);
  }

  /**
   * @param memoCapacity predictions the memo of searches holds at most; 0 turns it off (every
   *     call searches, as a benchmark of the search needs)
   */
  public Processor(NodeDefaults defaults, KnowledgeBase kb, int memoCapacity) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.kb = Objects.requireNonNull(kb, "kb");
    this.memo = new PredictionMemo(memoCapacity);
  }

  public Processor(NodeDefaults defaults) {
    this(defaults, new InMemoryKnowledgeBase());
  }

  public NodeDefaults defaults() {
    return defaults;
  }

  /** Result of {@link #observe}. */
  public record ObserveResult(SessionState state, String autoLearnedPattern, List<String> symbols) {
    public int stmLength() {
      return state.stm().size();
    }
  }

  /** Result of {@link #learn}: {@code patternName} is {@code PTRN|…} or {@code ""}. */
  public record LearnResult(SessionState state, String patternName) {}

  // ---- genes ----------------------------------------------------------------------------------

  /**
   * Applies a gene update (POST config semantics, with the use_token_matching → sort_symbols
   * auto-toggle).
   *
   * @throws GeneValidationException when any value is invalid; nothing changes then
   */
  public SessionState updateGenes(SessionState session, Map<String, ?> update) {
    return session.withConfig(Genes.apply(session.config(), update, true));
  }

  /** The effective configuration map of a session (API.md §1.11). */
  public LinkedHashMap<String, Object> effectiveConfig(SessionState session) {
    return Genes.effectiveMap(session.config(), defaults);
  }

  // ---- observe --------------------------------------------------------------------------------

  /**
   * Observes one event (ENGINE.md §2).
   *
   * @throws VectorDimensionException when vectors disagree in length with each other or with the
   *     node's dimension (D-4); nothing changes then
   */
  public ObserveResult observe(SessionState session, Observation observation) {
    // Most observes only read the knowledge base (their prediction pass); those take the read
    // lock, so the node's prediction reads are not held up by a search under the write lock.
    Lock held = changesKnowledgeBase(session, observation) ? lock.writeLock() : lock.readLock();
    held.lock();
    try {
      ObserveResult result = observeUnlocked(session, observation);
      return new ObserveResult(result.state().capped(), result.autoLearnedPattern(), result.symbols());
    } finally {
      held.unlock();
    }
  }

  /** Guards {@link #changesKnowledgeBase}: a change under the read lock would race with searches. */
  private void requireWriteLock() {
    if (!lock.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException("the knowledge base changes only under the write lock");
    }
  }

  /** Whether the observe adds a vector or auto-learns (the only ways it changes the knowledge base). */
  private boolean changesKnowledgeBase(SessionState session, Observation observation) {
    if (!observation.vectors().isEmpty()) {
      return true;
    }
    long maxPatternLength = Genes.maxPatternLength(session.config(), defaults);
    return observation.appendsEvent() && maxPatternLength > 0 && session.stm().size() + 1 >= maxPatternLength;
  }

  private ObserveResult observeUnlocked(SessionState session, Observation observation) {
    SessionConfig config = session.config();
    NamedVector percept = perceptVector(observation.vectors());
    List<String> vectorSymbols = List.of();
    if (percept != null) {
      vectorSymbols = vectorSymbols(percept);
      requireWriteLock();
      kb.addDeferredVector(percept);
      memo.clear();
    }
    List<String> stringSymbols = new ArrayList<>(observation.strings());
    if (defaults.sortSymbols()) {
      stringSymbols.sort(CodePointOrder.COMPARATOR);
    }
    List<String> event = new ArrayList<>(vectorSymbols.size() + stringSymbols.size());
    event.addAll(vectorSymbols);
    event.addAll(stringSymbols);
    List<String> symbols = Collections.unmodifiableList(event);

    List<List<String>> stm = session.stm();
    List<Prediction> predictions = List.of();
    String autoLearned = null;
    if (observation.appendsEvent()) {
      stm = JsonValues.append(stm, symbols);
      if (Genes.processPredictions(config, defaults)) {
        predictions = memoized(stm, observePassParams()).predictions();
      }
      long maxPatternLength = Genes.maxPatternLength(config, defaults);
      int n = stm.size();
      if (maxPatternLength > 0 && n >= maxPatternLength) {
        List<List<String>> learned = stm;
        if (n >= 2 && "ROLLING".equals(Genes.stmMode(config, defaults))) {
          long keepCount = maxPatternLength - 1;
          // with M == 1 nothing is "kept" by the slice, which upstream reads as the whole STM
          stm = keepCount == 0 ? stm : List.copyOf(stm.subList((int) (n - Math.min(keepCount, n)), n));
        } else {
          stm = List.of();
        }
        // learning empties the memo: this observe's own search stays valid only until here
        String name = learnStm(learned, List.of(), List.of(), Genes.persistence(config, defaults));
        autoLearned = name.isEmpty() ? null : name;
      }
    }
    List<Map<String, Double>> emotives = observation.emotives().isEmpty()
        ? session.emotivesAccumulator()
        : JsonValues.append(session.emotivesAccumulator(), observation.emotives());
    List<Map<String, Object>> metadata = observation.metadata().isEmpty()
        ? session.metadataAccumulator()
        : JsonValues.append(session.metadataAccumulator(), observation.metadata());
    List<String> perceptStrings = new ArrayList<>(observation.strings());
    perceptStrings.sort(CodePointOrder.COMPARATOR);
    PerceptData perceptData = new PerceptData(List.copyOf(perceptStrings), observation.vectors(),
        Emotives.average(emotives), observation.metadata());
    SessionState next = new SessionState(stm, emotives, metadata, session.time() + 1, perceptData,
        predictions, config);
    return new ObserveResult(next, autoLearned, symbols);
  }

  /**
   * Checks the vectors of several observations, to be observed in order, against each other and
   * the node's dimension (D-4) without changing anything, so that a batch can be rejected whole.
   *
   * @throws VectorDimensionException for the first observation that would be rejected
   */
  public void checkVectors(List<List<double[]>> observations) {
    lock.readLock().lock();
    try {
      int dimension = nodeVectorDimension();
      for (int index = 0; index < observations.size(); index++) {
        List<double[]> vectors = observations.get(index);
        if (vectors.isEmpty()) {
          continue;
        }
        int length = vectors.get(0).length;
        for (double[] vector : vectors) {
          if (vector.length != length) {
            throw new VectorDimensionException(length, vector.length, VectorText.vectorName(vector), index);
          }
        }
        if (dimension >= 0 && dimension != length) {
          throw new VectorDimensionException(dimension, length, VectorText.vectorName(sum(vectors)), index);
        }
        dimension = length;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private static double[] sum(List<double[]> vectors) {
    double[] total = vectors.get(0).clone();
    for (int v = 1; v < vectors.size(); v++) {
      for (int i = 0; i < total.length; i++) {
        total[i] = total[i] + vectors.get(v)[i];
      }
    }
    return total;
  }

  /** §2.4.1 with D-4: the element-wise sum of one observation's vectors, or null without vectors. */
  private NamedVector perceptVector(List<double[]> vectors) {
    if (vectors.isEmpty()) {
      return null;
    }
    int length = vectors.get(0).length;
    for (double[] vector : vectors) {
      if (vector.length != length) {
        throw new VectorDimensionException(length, vector.length, VectorText.vectorName(vector));
      }
    }
    double[] percept = sum(vectors);
    String name = VectorText.vectorName(percept);
    int nodeDimension = nodeVectorDimension();
    if (nodeDimension >= 0 && nodeDimension != length) {
      throw new VectorDimensionException(nodeDimension, length, name);
    }
    return new NamedVector(name, percept);
  }

  /**
   * The dimension vectors of this node must have: the index's lock, else that of the first vector
   * waiting to be indexed (so that a learn never meets two dimensions), else none (-1).
   */
  private int nodeVectorDimension() {
    if (kb.vectorDimension() >= 0) {
      return kb.vectorDimension();
    }
    List<NamedVector> deferred = kb.deferredVectors();
    return deferred.isEmpty() ? -1 : deferred.get(0).values().length;
  }

  /** §2.4.3: the own name plus up to three nearest learned vectors. */
  private List<String> vectorSymbols(NamedVector percept) {
    List<String> names = new ArrayList<>(kb.nearestVectors(percept.values(), VECTOR_NEIGHBOURS,
        defaults.similarityMetric()));
    if (!names.contains(percept.name())) {
      names.add(percept.name());
    }
    if (defaults.sortSymbols()) {
      return List.copyOf(new TreeSet<>(names)); // ASCII names: plain ordering
    }
    return List.copyOf(new LinkedHashSet<>(names)); // D-5: nearest first, own name last
  }

  private Predictor.Params observePassParams() {
    // the observe pass uses the node defaults for every prediction parameter.
    return new Predictor.Params(defaults.recallThreshold(), defaults.maxPredictions(),
        defaults.useTokenMatching(), defaults.useTokenMatching(), 0.0, null, defaults.rankSortAlgo(),
        FilterPipeline.Settings.NONE);
  }

  // ---- learn ----------------------------------------------------------------------------------

  /**
   * Learns the session's STM (ENGINE.md §4) and clears it; accumulators are kept.
   *
   * @throws EmptyStmException when the STM is empty; nothing changes then
   */
  public LearnResult learn(SessionState session) {
    if (session.stm().isEmpty()) {
      throw new EmptyStmException();
    }
    lock.writeLock().lock();
    try {
      String name = learnStm(session.stm(), session.emotivesAccumulator(), session.metadataAccumulator(),
          Genes.persistence(session.config(), defaults));
      return new LearnResult(session.withStm(List.of()).capped(), name);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Learn of §4.1/§4.4/§4.5; returns {@code PTRN|…} or {@code ""}. Caller holds the write lock. */
  private String learnStm(List<List<String>> stm, List<Map<String, Double>> emotives,
      List<Map<String, Object>> metadataAccumulator, int persistence) {
    requireWriteLock();
    memo.clear();
    kb.indexDeferredVectors();
    int symbolCount = 0;
    for (List<String> event : stm) {
      symbolCount += event.size();
    }
    if (symbolCount < 2) {
      return "";
    }
    String name = PatternNames.hash(stm);
    Map<String, List<String>> metadata = accumulateMetadata(metadataAccumulator);
    StoredPattern existing = kb.pattern(name);
    LearnCommit commit;
    if (existing == null) {
      commit = new LearnCommit(name, stm, 1, JsonValues.lastEntries(emotives, persistence), metadata,
          Emotives.average(emotives));
    } else {
      List<Map<String, Double>> window = existing.emotives();
      if (!emotives.isEmpty()) {
        List<Map<String, Double>> joined = new ArrayList<>(window);
        joined.addAll(emotives); // the whole accumulator, again
        window = List.copyOf(JsonValues.lastEntries(joined, persistence));
      }
      Map<String, List<String>> merged = metadata.isEmpty() ? existing.metadata()
          : mergeMetadata(existing.metadata(), metadata);
      commit = new LearnCommit(name, existing.events(), existing.frequency() + 1, window, merged,
          Emotives.average(emotives));
    }
    kb.apply(commit);
    return PatternNames.PREFIX + name;
  }

  /** §4.7: key → sorted distinct {@code str()} values, keys in first-appearance order. */
  private static Map<String, List<String>> accumulateMetadata(List<Map<String, Object>> maps) {
    LinkedHashMap<String, TreeSet<String>> sets = new LinkedHashMap<>();
    for (Map<String, Object> map : maps) {
      map.forEach((key, value) ->
          sets.computeIfAbsent(key, k -> new TreeSet<>(CodePointOrder.COMPARATOR)).add(PyText.str(value)));
    }
    LinkedHashMap<String, List<String>> out = new LinkedHashMap<>();
    sets.forEach((key, values) -> out.put(key, List.copyOf(values)));
    return Collections.unmodifiableMap(out);
  }

  /** §4.7 merge; key order stored-then-new. */
  private static Map<String, List<String>> mergeMetadata(Map<String, List<String>> stored,
      Map<String, List<String>> added) {
    LinkedHashMap<String, TreeSet<String>> sets = new LinkedHashMap<>();
    for (Map<String, List<String>> source : List.of(stored, added)) {
      source.forEach((key, values) ->
          sets.computeIfAbsent(key, k -> new TreeSet<>(CodePointOrder.COMPARATOR)).addAll(values));
    }
    LinkedHashMap<String, List<String>> out = new LinkedHashMap<>();
    sets.forEach((key, values) -> out.put(key, List.copyOf(values)));
    return Collections.unmodifiableMap(out);
  }

  // ---- predictions ----------------------------------------------------------------------------

  /** Predictions for the session's current STM with the session's genes (PREDICTIONS.md §1.2). */
  public PredictionResult predictions(SessionState session) {
    return predictions(session, true);
  }

  /** {@link #predictions(SessionState)} by scoring every pattern: the reference the index must equal. */
  PredictionResult predictionsByPlainScan(SessionState session) {
    return predictions(session, false);
  }

  private PredictionResult predictions(SessionState session, boolean pruneCandidates) {
    SessionConfig config = session.config();
    Predictor.Params params = new Predictor.Params(
        Genes.recallThreshold(config, defaults),
        Genes.maxPredictions(config, defaults),
        Genes.useTokenMatching(config, defaults),
        defaults.useTokenMatching(),
        Genes.fuzzyTokenThreshold(config),
        Genes.affinityEmotive(config),
        Genes.rankSortAlgo(config, defaults),
        Genes.filterSettings(config));
    lock.readLock().lock();
    try {
      // the plain scan stays a real scan: it is what the pruned search is checked against
      return pruneCandidates ? memoized(session.stm(), params) : Predictor.predict(kb, session.stm(), params, false);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The search's result from the memo, or searched and remembered. Caller holds a lock. */
  private PredictionResult memoized(List<List<String>> stm, Predictor.Params params) {
    PredictionResult result = memo.get(stm, params);
    if (result == null) {
      result = Predictor.predict(kb, stm, params);
      memo.put(stm, params, result);
    }
    return result;
  }

  /** Searches answered from the memo since this processor was made. */
  public long memoizedPredictions() {
    return memo.hits();
  }

  // ---- clears ---------------------------------------------------------------------------------

  /** Clears STM, accumulators, time, percept data and predictions; genes stay. */
  public SessionState clearStm(SessionState session) {
    return SessionState.empty(session.config());
  }

  /** Wipes the node's knowledge base (vectors included, D-3) and clears the calling session. */
  public SessionState clearAll(SessionState session) {
    lock.writeLock().lock();
    try {
      memo.clear();
      kb.clear();
    } finally {
      lock.writeLock().unlock();
    }
    return clearStm(session);
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** The pattern by name (with or without {@code PTRN|}), or null. */
  public StoredPattern pattern(String name) {
    lock.readLock().lock();
    try {
      return kb.pattern(PatternNames.bare(name));
    } finally {
      lock.readLock().unlock();
    }
  }

  public int patternCount() {
    lock.readLock().lock();
    try {
      return kb.patternCount();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Number of distinct symbols ever learned (cleared by clear-all). */
  public int symbolCount() {
    lock.readLock().lock();
    try {
      return kb.symbolCount();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** One symbol's statistics (ENGINE.md §4.8): {@code freq[s]} and {@code pmf[s]}. */
  public record SymbolStats(String name, long frequency, long patternMemberFrequency) {}

  /** Every learned symbol's statistics, in the order the symbols were first learned. */
  public List<SymbolStats> symbolStats() {
    lock.readLock().lock();
    try {
      int count = kb.symbolCount();
      List<SymbolStats> out = new ArrayList<>(count);
      for (int id = 0; id < count; id++) {
        out.add(new SymbolStats(kb.symbol(id), kb.symbolFrequency(id), kb.patternMemberFrequency(id)));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The affinity sums of every symbol that has any (symbol → emotive → sum), symbols in the
   * order they were first learned, emotives in the order they were first set. A copy: the
   * engine's sums keep changing under later learns.
   */
  public LinkedHashMap<String, Map<String, Double>> symbolAffinities() {
    lock.readLock().lock();
    try {
      LinkedHashMap<String, Map<String, Double>> out = new LinkedHashMap<>();
      for (int id = 0, count = kb.symbolCount(); id < count; id++) {
        Map<String, Double> sums = kb.affinities(id);
        if (!sums.isEmpty()) {
          out.put(kb.symbol(id), Collections.unmodifiableMap(new LinkedHashMap<>(sums)));
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** One symbol's affinity sums (emotive → sum); empty for an unknown symbol or one without. */
  public Map<String, Double> symbolAffinity(String symbol) {
    lock.readLock().lock();
    try {
      int id = kb.symbolId(symbol);
      return id < 0 ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kb.affinities(id)));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Cognition data of a session (ENGINE.md §6.5), in wire key order; {@code time} included. */
  public static LinkedHashMap<String, Object> cognitionData(SessionState session) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    out.put("predictions", session.predictions());
    List<Map<String, Double>> emotives = session.emotivesAccumulator();
    out.put("emotives", emotives.isEmpty() ? Map.of() : emotives.get(emotives.size() - 1));
    out.put("symbols", Predictor.flatten(session.stm()));
    out.put("command", "");
    out.put("metadata", Map.of());
    out.put("path", List.of());
    out.put("strings", List.of());
    out.put("vectors", List.of());
    out.put("short_term_memory", session.stm());
    out.put("time", session.time());
    return out;
  }

  // ---- finalize-training ----------------------------------------------------------------------

  /** Result of {@link #finalizeTraining()}. */
  public record FinalizeResult(int patternsProcessed, double elapsedMillis) {}

  /** Computes and stores the per-pattern metrics of ENGINE.md §4.11 for every pattern. */
  public FinalizeResult finalizeTraining() {
    long start = System.nanoTime();
    lock.writeLock().lock();
    try {
      memo.clear(); // the stored metrics are part of every prediction
      int symbolTableSize = kb.symbolCount();
      long uniquePatterns = kb.totalUniquePatterns();
      double lnSymbols = Math.log(symbolTableSize);
      Map<String, PatternMetrics> metrics = new LinkedHashMap<>();
      kb.forEachPattern(pattern -> {
        int[] symbols = pattern.symbols();
        int length = symbols.length;
        if (length == 0) {
          return;
        }
        LinkedHashMap<Integer, Integer> counts = new LinkedHashMap<>();
        for (int id : symbols) {
          counts.merge(id, 1, Integer::sum);
        }
        double entropy = 0.0;
        double normalized = 0.0;
        double global = 0.0;
        for (int count : counts.values()) {
          double p = (double) count / length;
          entropy -= p * EngineMath.log2(p);
        }
        if (symbolTableSize > 1) {
          for (int count : counts.values()) {
            double p = (double) count / length;
            normalized -= p * (Math.log(p) / lnSymbols);
          }
          for (int id : counts.keySet()) {
            double q = uniquePatterns == 0 ? 0.0 : (double) kb.patternMemberFrequency(id) / uniquePatterns;
            if (q > 0) {
              global -= q * (Math.log(q) / lnSymbols);
            }
          }
        }
        LinkedHashMap<String, Double> tf = new LinkedHashMap<>();
        counts.forEach((id, count) -> tf.put(kb.symbol(id), (double) count / length));
        metrics.put(pattern.name(), new PatternMetrics(entropy, normalized, global,
            Collections.unmodifiableMap(tf)));
      });
      kb.storeMetrics(metrics);
      return new FinalizeResult(metrics.size(), (System.nanoTime() - start) / 1e6);
    } finally {
      lock.writeLock().unlock();
    }
  }
}
