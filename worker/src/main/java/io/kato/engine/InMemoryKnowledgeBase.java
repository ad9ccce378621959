package io.kato.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The knowledge base held in memory: the engine's reference implementation of {@link
 * KnowledgeBase}, and the working set that durable stores load into and write through.
 *
 * <p>Design: symbols are interned to dense ids; each pattern keeps its flattened symbols as an
 * {@code int[]}; a posting list per symbol (pattern sequences, ascending) lets predictions visit
 * only the patterns that share a symbol with the state, and a second one indexes patterns by
 * their first symbol for the one-symbol path. Patterns are stored by learn sequence, which is
 * also the canonical tie order (PREDICTIONS.md §0.3).
 *
 * <p>Not thread-safe (see {@link KnowledgeBase}).
 */
public final class InMemoryKnowledgeBase implements KnowledgeBase {
  private final Map<String, Integer> symbolIds = new HashMap<>();
  private final List<String> symbols = new ArrayList<>();
  private long[] symbolFrequency = new long[64];
  private long[] patternMemberFrequency = new long[64];
  private final List<Map<String, Double>> affinity = new ArrayList<>();
  private final List<IntList> postings = new ArrayList<>();
  private final List<IntList> firstSymbolPostings = new ArrayList<>();

  private final List<StoredPattern> patternsBySequence = new ArrayList<>();
  /** The patterns' symbols in one array (see {@link PatternArena}): what the prediction search scans. */
  private int[] arenaSymbols = new int[1024];
  private int[] arenaStarts = new int[65];
  private final Map<String, Integer> sequenceByName = new HashMap<>();
  private long totalSymbolsInPatternsFrequencies;

  private final LinkedHashMap<String, double[]> vectors = new LinkedHashMap<>();
  private int vectorDimension = -1;
  private final List<NamedVector> deferredVectors = new ArrayList<>();

  /**
   * Rebuilds a knowledge base from durable records. Symbol statistics are derived: every learn of
   * a pattern adds its symbol counts once ({@code freq}, and the total symbol count) and its first
   * learn adds 1 to {@code pmf}, so {@code frequency} learns of each stored pattern reproduce them
   * exactly. Affinities are not derivable (they sum untrimmed accumulators) and are restored as
   * stored.
   *
   * @param patterns every pattern in learn sequence order (their {@code symbols} are re-interned)
   */
  public static InMemoryKnowledgeBase restore(List<StoredPattern> patterns,
      Map<String, Map<String, Double>> affinities, List<NamedVector> vectors, int vectorDimension,
      List<NamedVector> deferredVectors) {
    InMemoryKnowledgeBase kb = new InMemoryKnowledgeBase();
    for (StoredPattern stored : patterns) {
      kb.apply(new LearnCommit(stored.name(), stored.events(), 1, stored.emotives(), stored.metadata(), Map.of()));
      StoredPattern created = kb.pattern(stored.name());
      for (int learn = 1; learn < stored.frequency(); learn++) {
        kb.apply(new LearnCommit(stored.name(), stored.events(), learn + 1, stored.emotives(), stored.metadata(),
            Map.of()));
      }
      if (stored.metrics() != null) {
        kb.storeMetrics(Map.of(created.name(), stored.metrics()));
      }
    }
    affinities.forEach((symbol, sums) -> {
      int id = kb.symbolId(symbol);
      if (id >= 0) {
        kb.affinity.get(id).putAll(sums);
      }
    });
    for (NamedVector vector : vectors) {
      kb.vectors.put(vector.name(), vector.values());
    }
    kb.vectorDimension = vectorDimension;
    kb.deferredVectors.addAll(deferredVectors);
    return kb;
  }

  @Override
  public int symbolId(String symbol) {
    Integer id = symbolIds.get(symbol);
    return id == null ? -1 : id;
  }

  @Override
  public String symbol(int id) {
    return symbols.get(id);
  }

  @Override
  public int symbolCount() {
    return symbols.size();
  }

  @Override
  public long symbolFrequency(int id) {
    return id < 0 ? 0 : symbolFrequency[id];
  }

  @Override
  public long patternMemberFrequency(int id) {
    return id < 0 ? 0 : patternMemberFrequency[id];
  }

  @Override
  public double affinity(int id, String emotive) {
    if (id < 0) {
      return 0.0;
    }
    Double value = affinity.get(id).get(emotive);
    return value == null ? 0.0 : value;
  }

  @Override
  public Map<String, Double> affinities(int id) {
    return id < 0 ? Map.of() : Collections.unmodifiableMap(affinity.get(id));
  }

  @Override
  public long totalUniquePatterns() {
    return patternsBySequence.size();
  }

  @Override
  public long totalPatternFrequencies() {
    return patternsBySequence.size();
  }

  @Override
  public long totalSymbolsInPatternsFrequencies() {
    return totalSymbolsInPatternsFrequencies;
  }

  @Override
  public int patternCount() {
    return patternsBySequence.size();
  }

  @Override
  public StoredPattern pattern(String name) {
    Integer sequence = sequenceByName.get(name);
    return sequence == null ? null : patternsBySequence.get(sequence);
  }

  @Override
  public void forEachPattern(Consumer<StoredPattern> action) {
    patternsBySequence.forEach(action);
  }

  @Override
  public List<StoredPattern> patternsContainingAny(int[] ids) {
    IntList sequences = new IntList();
    for (int id : ids) {
      if (id >= 0) {
        sequences.addAll(postings.get(id));
      }
    }
    int[] sorted = sequences.toSortedDistinctArray();
    List<StoredPattern> out = new ArrayList<>(sorted.length);
    for (int sequence : sorted) {
      out.add(patternsBySequence.get(sequence));
    }
    return out;
  }

  @Override
  public void addContainedWeights(int[] ids, int[] weights, int[] counts) {
    for (int k = 0; k < ids.length; k++) {
      postings.get(ids[k]).addWeightTo(counts, weights[k]);
    }
  }

  @Override
  public StoredPattern patternAt(int sequence) {
    return patternsBySequence.get(sequence);
  }

  @Override
  public PatternArena patternArena() {
    return new PatternArena(arenaSymbols, arenaStarts, patternsBySequence.size());
  }

  @Override
  public List<StoredPattern> patternsStartingWith(int id) {
    if (id < 0) {
      return List.of();
    }
    IntList sequences = firstSymbolPostings.get(id);
    List<StoredPattern> out = new ArrayList<>(sequences.size());
    for (int i = 0; i < sequences.size(); i++) {
      out.add(patternsBySequence.get(sequences.get(i)));
    }
    return out;
  }

  @Override
  public void apply(LearnCommit commit) {
    Integer existing = sequenceByName.get(commit.name());
    StoredPattern pattern;
    boolean created = existing == null;
    if (created) {
      int sequence = patternsBySequence.size();
      int[] flat = intern(commit.events());
      pattern = new StoredPattern(commit.name(), sequence, canonicalEvents(commit.events(), flat),
          flat, commit.frequency(), commit.emotives(), commit.metadata(), null);
      patternsBySequence.add(pattern);
      if (sequence + 2 > arenaStarts.length) {
        arenaStarts = Arrays.copyOf(arenaStarts, arenaStarts.length * 2);
      }
      int at = arenaStarts[sequence];
      if (at + flat.length > arenaSymbols.length) {
        arenaSymbols = Arrays.copyOf(arenaSymbols, Math.max(arenaSymbols.length + (arenaSymbols.length >> 1), at + flat.length));
      }
      arenaStarts[sequence + 1] = PatternArena.append(arenaSymbols, at, commit.events(), flat);
      sequenceByName.put(commit.name(), sequence);
      for (int id : distinctInOrder(flat)) {
        postings.get(id).add(sequence);
      }
      firstSymbolPostings.get(flat[0]).add(sequence);
    } else {
      StoredPattern old = patternsBySequence.get(existing);
      pattern = old.relearned(commit.frequency(), commit.emotives(), commit.metadata());
      patternsBySequence.set(existing, pattern);
    }
    for (int id : pattern.symbols()) {
      symbolFrequency[id]++;
    }
    totalSymbolsInPatternsFrequencies += pattern.length();
    for (int id : distinctInOrder(pattern.symbols())) {
      if (created) {
        patternMemberFrequency[id]++;
      }
      if (!commit.affinityDelta().isEmpty()) {
        Map<String, Double> sums = affinity.get(id);
        commit.affinityDelta().forEach((emotive, value) -> sums.merge(emotive, value, Double::sum));
      }
    }
  }

  @Override
  public void storeMetrics(Map<String, PatternMetrics> metricsByName) {
    metricsByName.forEach((name, metrics) -> {
      Integer sequence = sequenceByName.get(name);
      if (sequence != null) {
        patternsBySequence.set(sequence, patternsBySequence.get(sequence).withMetrics(metrics));
      }
    });
  }

  @Override
  public int vectorDimension() {
    return vectorDimension;
  }

  @Override
  public List<NamedVector> deferredVectors() {
    return Collections.unmodifiableList(deferredVectors);
  }

  @Override
  public void addDeferredVector(NamedVector vector) {
    deferredVectors.add(vector);
  }

  @Override
  public void indexDeferredVectors() {
    for (NamedVector vector : deferredVectors) {
      if (vectorDimension < 0) {
        vectorDimension = vector.values().length;
      }
      if (vector.values().length == vectorDimension) {
        vectors.put(vector.name(), vector.values());
      }
    }
    deferredVectors.clear();
  }

  @Override
  public List<String> nearestVectors(double[] query, int k, VectorMetric metric) {
    if (vectors.isEmpty() || query.length != vectorDimension) {
      return List.of();
    }
    List<Map.Entry<String, Double>> scored = new ArrayList<>(vectors.size());
    for (Map.Entry<String, double[]> entry : vectors.entrySet()) {
      scored.add(Map.entry(entry.getKey(), metric.distance(query, entry.getValue())));
    }
    scored.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> names = new ArrayList<>(Math.min(k, scored.size()));
    for (int i = 0; i < k && i < scored.size(); i++) {
      names.add(scored.get(i).getKey());
    }
    return names;
  }

  @Override
  public void clear() {
    symbolIds.clear();
    symbols.clear();
    symbolFrequency = new long[64];
    patternMemberFrequency = new long[64];
    affinity.clear();
    postings.clear();
    firstSymbolPostings.clear();
    patternsBySequence.clear();
    arenaSymbols = new int[1024];
    arenaStarts = new int[65];
    sequenceByName.clear();
    totalSymbolsInPatternsFrequencies = 0;
    vectors.clear();
    vectorDimension = -1;
    deferredVectors.clear();
  }

  /**
   * The events rebuilt from the symbol table's own strings in compact immutable lists, so that a
   * symbol's text is held once per node however many patterns contain it (memory per pattern).
   */
  private List<List<String>> canonicalEvents(List<List<String>> events, int[] flat) {
    List<List<String>> out = new ArrayList<>(events.size());
    int i = 0;
    for (List<String> event : events) {
      String[] symbolsOfEvent = new String[event.size()];
      for (int k = 0; k < symbolsOfEvent.length; k++) {
        symbolsOfEvent[k] = symbols.get(flat[i++]);
      }
      out.add(List.of(symbolsOfEvent));
    }
    return List.copyOf(out);
  }

  private int[] intern(List<List<String>> events) {
    int size = 0;
    for (List<String> event : events) {
      size += event.size();
    }
    int[] flat = new int[size];
    int i = 0;
    for (List<String> event : events) {
      for (String symbol : event) {
        flat[i++] = internSymbol(symbol);
      }
    }
    return flat;
  }

  private int internSymbol(String symbol) {
    Integer id = symbolIds.get(symbol);
    if (id != null) {
      return id;
    }
    int next = symbols.size();
    symbolIds.put(symbol, next);
    symbols.add(symbol);
    if (next == symbolFrequency.length) {
      symbolFrequency = Arrays.copyOf(symbolFrequency, next * 2);
      patternMemberFrequency = Arrays.copyOf(patternMemberFrequency, next * 2);
    }
    affinity.add(new LinkedHashMap<>(2));
    postings.add(new IntList());
    firstSymbolPostings.add(new IntList());
    return next;
  }

  /** Distinct ids in first-occurrence order. */
  private static int[] distinctInOrder(int[] ids) {
    int[] out = new int[ids.length];
    int n = 0;
    outer:
    for (int id : ids) {
      for (int j = 0; j < n; j++) {
        if (out[j] == id) {
          continue outer;
        }
      }
      out[n++] = id;
    }
    return Arrays.copyOf(out, n);
  }
}
