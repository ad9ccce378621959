package io.kato.worker.storage;

import io.kato.engine.InMemoryKnowledgeBase;
import io.kato.engine.KnowledgeBase;
import io.kato.engine.LearnCommit;
import io.kato.engine.NamedVector;
import io.kato.engine.PatternArena;
import io.kato.engine.PatternMetrics;
import io.kato.engine.StoredPattern;
import io.kato.engine.VectorMetric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The knowledge base a worker hands the engine: an {@link InMemoryKnowledgeBase} (the working
 * set) that also records every write, so that after each engine operation the worker can {@link
 * #drainChanges()} into a {@link NodeChanges}, add its session writes and commit them.
 *
 * <p>What each write records: a learn ({@link #apply}) its pattern record as it is after the
 * learn and, when the learn carried an affinity delta, the whole affinity map of each of the
 * pattern's distinct symbols; {@link #indexDeferredVectors} the vectors it indexed, the new
 * dimension and an emptied deferred list; {@link #addDeferredVector} the deferred list; {@link
 * #storeMetrics} the updated patterns; {@link #clear} a clear-all (dropping whatever was recorded
 * before it). Later records of the same pattern, symbol or vector replace earlier ones.
 *
 * <p>Threading: reads are forwarded as they are (the engine's lock covers them). Writes happen
 * under the engine's write lock; they and {@link #drainChanges()} also synchronise on this
 * object, so a drain on the node's lane always sees whole operations.
 */
public final class ChangeRecordingKnowledgeBase implements KnowledgeBase {
  private final InMemoryKnowledgeBase delegate;

  private boolean clearAll;
  private final LinkedHashMap<String, StoredPattern> patterns = new LinkedHashMap<>();
  private final LinkedHashSet<String> affinitySymbols = new LinkedHashSet<>();
  private final LinkedHashMap<String, NamedVector> indexed = new LinkedHashMap<>();
  private final List<NamedVector> deferred = new ArrayList<>();
  private boolean deferredChanged;

  /** @param delegate the working set, empty or restored */
  public ChangeRecordingKnowledgeBase(InMemoryKnowledgeBase delegate) {
    this.delegate = delegate;
    deferred.addAll(delegate.deferredVectors());
  }

  /** An empty knowledge base. */
  public static ChangeRecordingKnowledgeBase empty() {
    return new ChangeRecordingKnowledgeBase(new InMemoryKnowledgeBase());
  }

  /** The node's knowledge base rebuilt from its durable state. */
  public static ChangeRecordingKnowledgeBase restore(NodeSnapshot snapshot) {
    return new ChangeRecordingKnowledgeBase(InMemoryKnowledgeBase.restore(snapshot.patterns(), snapshot.affinities(),
        snapshot.vectors(), snapshot.vectorDimension(), snapshot.deferredVectors()));
  }

  public InMemoryKnowledgeBase delegate() {
    return delegate;
  }

  /**
   * Everything written since the last drain, as one commit without session writes (add them
   * with {@link NodeChanges#withSessions}); {@link NodeChanges#isEmpty()} when nothing was.
   */
  public synchronized NodeChanges drainChanges() {
    Map<String, Map<String, Double>> affinities;
    if (affinitySymbols.isEmpty()) {
      affinities = Map.of();
    } else {
      LinkedHashMap<String, Map<String, Double>> out = new LinkedHashMap<>();
      for (String symbol : affinitySymbols) {
        out.put(symbol, Collections.unmodifiableMap(new LinkedHashMap<>(delegate.affinities(delegate.symbolId(symbol)))));
      }
      affinities = Collections.unmodifiableMap(out);
    }
    NodeChanges changes = new NodeChanges(clearAll, List.copyOf(patterns.values()), affinities,
        List.copyOf(indexed.values()), delegate.vectorDimension(), deferredChanged ? List.copyOf(deferred) : null,
        List.of(), List.of());
    clearAll = false;
    patterns.clear();
    affinitySymbols.clear();
    indexed.clear();
    deferredChanged = false;
    return changes;
  }

  /** True when a write happened since the last drain. */
  public synchronized boolean hasChanges() {
    return clearAll || !patterns.isEmpty() || !affinitySymbols.isEmpty() || !indexed.isEmpty() || deferredChanged;
  }

  // ---- recorded writes ------------------------------------------------------------------------

  @Override
  public synchronized void apply(LearnCommit commit) {
    delegate.apply(commit);
    StoredPattern pattern = delegate.pattern(commit.name());
    patterns.put(pattern.name(), pattern);
    if (!commit.affinityDelta().isEmpty()) {
      LinkedHashSet<String> distinct = new LinkedHashSet<>();
      for (List<String> event : pattern.events()) {
        distinct.addAll(event);
      }
      affinitySymbols.addAll(distinct);
    }
  }

  @Override
  public synchronized void storeMetrics(Map<String, PatternMetrics> metricsByName) {
    delegate.storeMetrics(metricsByName);
    for (String name : metricsByName.keySet()) {
      StoredPattern pattern = delegate.pattern(name);
      if (pattern != null) {
        patterns.put(name, pattern);
      }
    }
  }

  @Override
  public synchronized void addDeferredVector(NamedVector vector) {
    delegate.addDeferredVector(vector);
    deferred.add(vector);
    deferredChanged = true;
  }

  @Override
  public synchronized void indexDeferredVectors() {
    delegate.indexDeferredVectors();
    if (deferred.isEmpty()) {
      return;
    }
    int dimension = delegate.vectorDimension();
    for (NamedVector vector : deferred) {
      if (vector.values().length == dimension) {
        indexed.put(vector.name(), vector);
      }
    }
    deferred.clear();
    deferredChanged = true;
  }

  @Override
  public synchronized void clear() {
    delegate.clear();
    clearAll = true;
    patterns.clear();
    affinitySymbols.clear();
    indexed.clear();
    deferred.clear();
    deferredChanged = false;
  }

  // ---- forwarded reads ------------------------------------------------------------------------

  @Override
  public int symbolId(String symbol) {
    return delegate.symbolId(symbol);
  }

  @Override
  public String symbol(int id) {
    return delegate.symbol(id);
  }

  @Override
  public int symbolCount() {
    return delegate.symbolCount();
  }

  @Override
  public long symbolFrequency(int id) {
    return delegate.symbolFrequency(id);
  }

  @Override
  public long patternMemberFrequency(int id) {
    return delegate.patternMemberFrequency(id);
  }

  @Override
  public double affinity(int id, String emotive) {
    return delegate.affinity(id, emotive);
  }

  @Override
  public Map<String, Double> affinities(int id) {
    return delegate.affinities(id);
  }

  @Override
  public long totalUniquePatterns() {
    return delegate.totalUniquePatterns();
  }

  @Override
  public long totalPatternFrequencies() {
    return delegate.totalPatternFrequencies();
  }

  @Override
  public long totalSymbolsInPatternsFrequencies() {
    return delegate.totalSymbolsInPatternsFrequencies();
  }

  @Override
  public int patternCount() {
    return delegate.patternCount();
  }

  @Override
  public StoredPattern pattern(String name) {
    return delegate.pattern(name);
  }

  @Override
  public void forEachPattern(Consumer<StoredPattern> action) {
    delegate.forEachPattern(action);
  }

  @Override
  public List<StoredPattern> patternsContainingAny(int[] symbolIds) {
    return delegate.patternsContainingAny(symbolIds);
  }

  @Override
  public void addContainedWeights(int[] symbolIds, int[] weights, int[] counts) {
    delegate.addContainedWeights(symbolIds, weights, counts);
  }

  @Override
  public StoredPattern patternAt(int sequence) {
    return delegate.patternAt(sequence);
  }

  @Override
  public PatternArena patternArena() {
    return delegate.patternArena();
  }

  @Override
  public List<StoredPattern> patternsStartingWith(int symbolId) {
    return delegate.patternsStartingWith(symbolId);
  }

  @Override
  public int vectorDimension() {
    return delegate.vectorDimension();
  }

  @Override
  public List<NamedVector> deferredVectors() {
    return delegate.deferredVectors();
  }

  @Override
  public List<String> nearestVectors(double[] query, int k, VectorMetric metric) {
    return delegate.nearestVectors(query, k, metric);
  }
}
