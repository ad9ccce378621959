package io.kato.engine;

import io.kato.engine.text.CodePointOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Computes predictions exactly as PREDICTIONS.md specifies: candidate search, threshold test,
 * extraction, ensemble metrics, pruning, ranking and future potentials.
 *
 * <p>Candidate search is lossless: with a positive threshold every returned pattern shares an
 * exact symbol with the state (§3.3), so only the posting lists of the state's symbols are
 * visited, and in token mode a length bound (§9.2) skips patterns that cannot reach the
 * threshold before their LCS is computed. Everything after the candidate search runs in the
 * canonical order of §0.3 (similarity descending, then learn sequence), so scan order never
 * changes a result.
 *
 * <p>Stateless; the knowledge base must not change during a call.
 */
final class Predictor {
  private Predictor() {}

  /** The parameters of one prediction computation, already resolved (§1.3). */
  record Params(
      double recallThreshold,
      int maxPredictions,
      boolean useTokenMatching,
      boolean nodeUseTokenMatching,
      double fuzzyTokenThreshold,
      String affinityEmotive,
      String rankSortAlgo,
      FilterPipeline.Settings filters) {}

  /** Above this many patterns upstream scores without weights (Q31). */
  private static final int WEIGHTED_SIMILARITY_PATTERN_LIMIT = 500;

  static PredictionResult predict(KnowledgeBase kb, List<List<String>> stm, Params params) {
    return predict(kb, stm, params, true);
  }

  /**
   * @param pruneCandidates false scores every pattern of the node (no posting lists, no length
   *     bound): the plain scan that the pruned search must always equal
   */
  static PredictionResult predict(KnowledgeBase kb, List<List<String>> stm, Params params, boolean pruneCandidates) {
    int symbolCount = 0;
    for (List<String> event : stm) {
      symbolCount += event.size();
    }
    if (symbolCount == 0) {
      return PredictionResult.EMPTY;
    }
    if (symbolCount == 1) {
      return new PredictionResult(singleSymbol(kb, stm, params), List.of());
    }
    return new FullPath(kb, stm, params, pruneCandidates).run();
  }

  // ---- the one-symbol path (§7) ----------------------------------------------------------------

  private static List<Prediction> singleSymbol(KnowledgeBase kb, List<List<String>> stm, Params params) {
    String x = firstSymbol(stm);
    List<StoredPattern> candidates = kb.patternsStartingWith(kb.symbolId(x));
    Map<String, Double> weights = null;
    if (params.affinityEmotive() != null) {
      weights = new HashMap<>();
      weights.put(x, affinityWeight(kb, x, params.affinityEmotive()));
      for (StoredPattern pattern : candidates) {
        for (List<String> event : pattern.events()) {
          for (String symbol : event) {
            weights.computeIfAbsent(symbol, s -> affinityWeight(kb, s, params.affinityEmotive()));
          }
        }
      }
    }
    int[] xCodePoints = x.codePoints().toArray();
    List<SingleSymbolPrediction> out = new ArrayList<>(candidates.size());
    for (StoredPattern pattern : candidates) {
      int length = pattern.length();
      double similarity = params.nodeUseTokenMatching()
          ? 2.0 * 1 / (length + 1)
          : Matching.indelRatio(joinedCodePoints(pattern.events()), xCodePoints) / 100.0;
      double evidence = 1.0 / length;
      double confidence = 1.0;
      double snr = 1.0;
      int fragmentation = 0;
      Double weightedSimilarity = null;
      Double weightedEvidence = null;
      Double weightedConfidence = null;
      Double weightedSnr = null;
      double potentialEvidence = evidence;
      if (weights != null) {
        double wx = weights.get(x);
        double patternWeight = 0.0;
        for (List<String> event : pattern.events()) {
          for (String symbol : event) {
            patternWeight += weights.get(symbol);
          }
        }
        weightedSimilarity = 2.0 * wx / (wx + patternWeight);
        weightedEvidence = wx / patternWeight;
        weightedConfidence = 1.0;
        weightedSnr = 1.0;
        potentialEvidence = weightedEvidence;
      }
      double potential = (potentialEvidence + confidence) * snr + 1.0 / (fragmentation + 1);
      List<String> flat = flatten(pattern.events());
      out.add(new SingleSymbolPrediction(pattern.name(), pattern.events(), length, frequency(pattern),
          Emotives.average(pattern.emotives()), List.of(x), List.of(), List.of(x), List.of(),
          List.copyOf(flat.subList(1, flat.size())), List.of(), similarity, evidence, confidence, snr,
          fragmentation, List.of(), weightedSimilarity, weightedEvidence, weightedConfidence, weightedSnr,
          potential));
    }
    // stable: ties keep learn sequence order
    out.sort(Comparator.comparingDouble(SingleSymbolPrediction::potential).reversed());
    return List.copyOf(out.subList(0, Math.min(params.maxPredictions(), out.size())));
  }

  private static String firstSymbol(List<List<String>> stm) {
    for (List<String> event : stm) {
      if (!event.isEmpty()) {
        return event.get(0);
      }
    }
    throw new IllegalStateException("empty STM");
  }

  // ---- the full path (§2–§6) -------------------------------------------------------------------

  /** One candidate while the ensemble is built. */
  /** Candidates whose futures hold the same symbols per event (§5.7). */
  private static final class FutureGroup {
    /** The first member's future, as the group is shown. */
    final List<List<String>> representative;
    double totalWeightedFrequency;
    int supporters;
    double potential;

    FutureGroup(List<List<String>> representative) {
      this.representative = representative;
    }
  }

  private static final class Candidate {
    /** The candidate's future group, set by the ensemble metrics (null: no future). */
    FutureGroup futureGroup;
    StoredPattern pattern;
    double similarity;
    List<Matching.Block> blocks;
    List<String> matches;
    List<Anomaly> anomalies;
    int extrasFlatCount;
    int presentStart; // event index
    int futureStart; // event index
    List<List<String>> missing;
    List<List<String>> extras;
    List<String> flatPresent;
    double evidence;
    double confidence;
    double snr;
    double fragmentation;
    Double prePotential;
    /** {@link #prePotential} unboxed, for sorting. */
    double preRank;
    /** Bounded search: the LCS length, and an upper bound of {@link #preRank} from it. */
    int lcs;
    double bound;
    Double weightedSimilarity;
    Double weightedEvidence;
    Double weightedConfidence;
    Double weightedSnr;
    double itfdf;
    double confluence;
    double entropy;
    double normalizedEntropy;
    double globalNormalizedEntropy;
    double tfidf;
    double patternProbability;
    double weightedStrength;
    double predictiveInformation;
    double prior;
    double posterior;
    double potential;

    List<List<String>> future() {
      List<List<String>> events = pattern.events();
      return events.subList(futureStart, events.size());
    }

    List<List<String>> present() {
      return pattern.events().subList(presentStart, futureStart);
    }

    List<List<String>> past() {
      return pattern.events().subList(0, presentStart);
    }
  }

  /** State of one full-path computation. */
  private static final class FullPath {
    private final KnowledgeBase kb;
    private final List<List<String>> stm;
    private final Params params;
    private final String[] state;
    private final int[] stateIds;
    private final Matching.LcsAgainst stateLcs;
    private final double threshold;
    private final boolean pruneCandidates;

    FullPath(KnowledgeBase kb, List<List<String>> stm, Params params, boolean pruneCandidates) {
      this.kb = kb;
      this.pruneCandidates = pruneCandidates;
      this.stm = stm;
      this.params = params;
      this.state = flatten(stm).toArray(new String[0]);
      this.threshold = params.recallThreshold();
      // Unknown state symbols get distinct negative ids: they never equal a pattern symbol.
      this.stateIds = new int[state.length];
      Map<String, Integer> unknown = new HashMap<>();
      for (int i = 0; i < state.length; i++) {
        int id = kb.symbolId(state[i]);
        stateIds[i] = id >= 0 ? id : unknown.computeIfAbsent(state[i], s -> -1 - unknown.size());
      }
      this.stateLcs = new Matching.LcsAgainst(stateIds);
    }

    PredictionResult run() {
      if (!params.useTokenMatching() && threshold == 0.0) {
        return PredictionResult.EMPTY; // Q6: upstream's matcher rejects the negative cut-off
      }
      int maxPredictions = params.maxPredictions();
      List<Candidate> ensemble;
      if (boundedSearchApplies()) {
        ensemble = boundedSearch(3 * maxPredictions);
      } else {
        ensemble = matchCandidates();
        ensemble.sort(CANONICAL);
        boolean pruned = ensemble.size() > 3 * maxPredictions;
        if (pruned) {
          for (Candidate c : ensemble) {
            c.preRank = preRank(c);
            c.prePotential = c.preRank;
          }
          ensemble.sort((a, b) -> Double.compare(b.preRank, a.preRank)); // stable: ties keep canonical order
          ensemble = new ArrayList<>(ensemble.subList(0, 3 * maxPredictions));
        }
      }
      for (Candidate c : ensemble) {
        materialize(c);
      }
      if (params.affinityEmotive() != null) {
        applyAffinityWeights(ensemble);
      }
      List<FuturePotential> futurePotentials = computeEnsembleMetrics(ensemble);
      List<FullPrediction> predictions = new ArrayList<>(ensemble.size());
      for (Candidate c : ensemble) {
        predictions.add(toPrediction(c));
      }
      String key = params.rankSortAlgo();
      // D-1: descending by the key; a null key value ranks after every non-null one; stable.
      predictions.sort((a, b) -> {
        Double va = a.rankValue(key);
        Double vb = b.rankValue(key);
        if (va == null || vb == null) {
          return va == null ? (vb == null ? 0 : 1) : -1;
        }
        return Double.compare(vb, va);
      });
      List<Prediction> top = List.copyOf(predictions.subList(0, Math.min(maxPredictions, predictions.size())));
      return new PredictionResult(top, futurePotentials);
    }

    /** Patterns the candidate search considered (Q31 counts them). */
    private int candidateCount;

    /**
     * The bounded search covers token mode without fuzzy matching or filters, with a positive
     * threshold: there every returned pattern shares a symbol with the state (§9.1), its LCS is
     * bounded by the posting-list overlap (§9.3) and its {@code _pre_potential} by a function of
     * that bound (see {@link #preRankBound}).
     */
    private boolean boundedSearchApplies() {
      return pruneCandidates && params.useTokenMatching() && threshold > 0.0 && params.filters().isEmpty()
          && !(params.fuzzyTokenThreshold() > 0.0) && state.length <= 64;
    }

    /**
     * The ensemble exactly as the plain scan, canonical sort and §5.0 pruning give it, without
     * extracting (nor always scoring) candidates that provably cannot survive the pruning.
     *
     * <ol>
     *   <li>One pass over the posting lists of the distinct state symbols adds each symbol's count
     *       in the state to a per-pattern counter: {@code I'(P) = Σ_{s ∈ S ∩ P} count_S(s)} is at
     *       least {@code Σ min(count_P(s), count_S(s)) ≥ LCS}, so {@code b = min(I', |S|, |P|)}
     *       bounds the LCS and the matched count {@code m} (greedy blocks form a common
     *       subsequence, so {@code m ≤ LCS}). A pattern with {@code f(b, |P|+|S|) < t} cannot
     *       match (§9.3).
     *   <li>The remaining patterns are bucketed by {@code (b, |P|)} and scored (LCS) in
     *       descending order of the bucket's {@code _pre_potential} bound until more than
     *       {@code limit = 3K} of them are matches. If the candidates run out first, the ensemble
     *       has at most {@code 3K} members: no pruning, every member is extracted (§5.0).
     *   <li>Otherwise pruning is certain and only the top {@code 3K} by {@code (_pre_potential}
     *       descending, then canonical order{@code )} matter (that is what the stable sort of the
     *       canonical order keeps). The known matches (bounded by their exact LCS) are visited
     *       in descending bound order until no bound can reach the current {@code 3K}-th best
     *       exact value, then the unscored patterns in learn sequence order; each is skipped as
     *       soon as a bound (its bucket's, its longest block's, its LCS's) shows it cannot, and
     *       only the final {@code 3K} are extracted.
     * </ol>
     */
    private List<Candidate> boundedSearch(int limit) {
      int n = state.length;
      candidateCount = kb.patternCount();
      // distinct known state symbols, with their count in the state
      int[] ids = new int[n];
      int[] weights = new int[n];
      int distinct = 0;
      for (int id : stateIds) {
        if (id < 0) {
          continue;
        }
        int k = 0;
        while (k < distinct && ids[k] != id) {
          k++;
        }
        if (k == distinct) {
          ids[distinct++] = id;
        }
        weights[k]++;
      }
      arena = kb.patternArena();
      masks = new Matching.DenseLcs(stateIds, Scratch.takeMasks(kb.symbolCount()));
      summary = new Matching.BlockSummary(stateIds);
      List<Candidate> ensemble = boundedSearch(limit, ids, weights, distinct, arena.patternCount);
      Scratch.giveMasks(masks.release());
      return ensemble;
    }

    private List<Candidate> boundedSearch(int limit, int[] ids, int[] weights, int distinct, int patternCount) {
      int n = state.length;
      int[] counts = Scratch.take(patternCount);
      kb.addContainedWeights(Arrays.copyOf(ids, distinct), Arrays.copyOf(weights, distinct), counts);

      // pass 1: the threshold gate, and bucket sizes; counts[seq] becomes bucket key + 1 (0 = none)
      Buckets buckets = Buckets.take();
      int[] bucketSizes = buckets.sizes;
      int nonEmpty = 0;
      int kept = 0;
      for (int seq = 0; seq < patternCount; seq++) {
        int overlap = counts[seq];
        if (overlap == 0) {
          continue;
        }
        int p = arena.length(seq);
        int b = Math.min(overlap, Math.min(n, p));
        if (tokenSimilarity(b, p + n) < threshold) {
          counts[seq] = 0;
          continue;
        }
        int key = bucketKey(b, p);
        counts[seq] = key + 1;
        if (bucketSizes[key]++ == 0) {
          buckets.used[nonEmpty++] = key;
        }
        kept++;
      }
      buckets.usedCount = nonEmpty;
      // buckets in descending order of their bound
      long[] order = new long[nonEmpty];
      double[] boundOfKey = buckets.bounds;
      for (int i = 0; i < nonEmpty; i++) {
        int key = buckets.used[i];
        boundOfKey[key] = bucketBound(key, n);
        order[i] = key;
      }
      sortKeysByBoundDescending(order, boundOfKey);
      int[] bucketStart = buckets.starts;
      int offset = 0;
      for (int i = 0; i < nonEmpty; i++) {
        int key = (int) order[i];
        bucketStart[key] = offset;
        offset += bucketSizes[key];
      }
      // pass 2: counting sort of the kept patterns into bucket order (counts keeps the keys)
      int[] sorted = new int[kept];
      for (int seq = 0; seq < patternCount; seq++) {
        int slot = counts[seq];
        if (slot != 0) {
          sorted[bucketStart[slot - 1]++] = seq;
        }
      }

      // phase 1: score in bound order until the ensemble is known to exceed the limit; a scored
      // pattern's counter is cleared
      List<Candidate> matches = new ArrayList<>();
      int position = 0;
      while (position < kept && matches.size() <= limit) {
        int sequence = sorted[position++];
        counts[sequence] = 0;
        Candidate c = score(sequence);
        if (c != null) {
          matches.add(c);
        }
      }
      if (matches.size() <= limit) {
        Scratch.give(counts); // every kept pattern was scored: all zero
        // every candidate was scored: the whole ensemble, no pruning
        List<Candidate> ensemble = new ArrayList<>(matches.size());
        for (Candidate c : matches) {
          if (extractInto(c)) {
            ensemble.add(c);
          }
        }
        ensemble.sort(CANONICAL);
        return ensemble;
      }

      // phase 2: pruning is certain; the top `limit` by (preRank desc, canonical order)
      for (Candidate c : matches) {
        c.bound = preRankBound(c.lcs, c.pattern.length(), n);
      }
      matches.sort((a, b) -> Double.compare(b.bound, a.bound));
      PriorityQueue<Candidate> top = new PriorityQueue<>(limit + 1, PRUNING_ORDER.reversed());
      for (Candidate c : matches) {
        if (top.size() == limit && c.bound + BOUND_MARGIN < top.peek().preRank) {
          break; // sorted by bound: no later one can enter either
        }
        c.preRank = summaryPreRank(summary, c.pattern.sequence(), c.lcs);
        offer(top, limit, c);
      }
      // The unscored rest, in learn sequence order (far fewer cache and TLB misses on the arena
      // than bucket order: at 1M patterns that halves the scan), each first tested against its
      // bucket's bound; in chunks: with enough of them a second thread takes chunks too, with its
      // own copy of the top (each keeps the top `limit` of what it saw, and skips only what its
      // own `limit` kept candidates beat, so the merge is exact).
      int unscored = position;
      for (int seq = 0; seq < patternCount; seq++) {
        if (counts[seq] != 0) {
          sorted[unscored++] = seq;
        }
      }
      Chunks chunks = new Chunks(sorted, position, kept, counts, boundOfKey);
      PriorityQueue<Candidate> helperTop = null;
      if (kept - position >= parallelMinimum && PARALLELISM > 1) {
        PriorityQueue<Candidate> copy = new PriorityQueue<>(top);
        java.util.concurrent.atomic.AtomicInteger helperState = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CompletableFuture<PriorityQueue<Candidate>> helper =
            new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.ForkJoinPool.commonPool().execute(() -> {
          if (!helperState.compareAndSet(0, 1)) {
            return; // the caller finished first and took every chunk
          }
          try {
            helper.complete(scanChunks(chunks, copy, new Matching.BlockSummary(stateIds), limit));
          } catch (Throwable t) {
            helper.completeExceptionally(t);
          }
        });
        scanChunks(chunks, top, summary, limit);
        if (!helperState.compareAndSet(0, 2)) {
          helperTop = helper.join();
        }
      } else {
        scanChunks(chunks, top, summary, limit);
      }
      for (int i = position; i < kept; i++) {
        counts[sorted[i]] = 0;
      }
      Scratch.give(counts);
      List<Candidate> merged = new ArrayList<>(top);
      if (helperTop != null) {
        merged.addAll(helperTop);
      }
      merged.sort(PRUNING_ORDER);
      List<Candidate> ensemble = new ArrayList<>(limit);
      for (Candidate c : merged) {
        // both copies hold the first top's candidates: equal under the total order, adjacent
        if (ensemble.size() < limit && (ensemble.isEmpty() || ensemble.get(ensemble.size() - 1) != c)) {
          ensemble.add(c);
        }
      }
      for (Candidate c : ensemble) {
        if (!extractInto(c) || preRank(c) != c.preRank) {
          throw new IllegalStateException("block summary disagrees with the extraction of " + c.pattern.name());
        }
        c.prePotential = c.preRank;
      }
      return ensemble;
    }

    /** Phase 2's unscored candidates ({@code sorted[start .. end)}) handed out in chunks. */
    private static final class Chunks {
      final int[] sorted;
      final int start;
      final int end;
      /** By learn sequence: the pattern's bucket key + 1. */
      final int[] keys;
      final double[] boundOfKey;
      final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

      Chunks(int[] sorted, int start, int end, int[] keys, double[] boundOfKey) {
        this.sorted = sorted;
        this.start = start;
        this.end = end;
        this.keys = keys;
        this.boundOfKey = boundOfKey;
      }
    }

    /** Scores, bounds and summarises the chunks it takes into {@code top}; returns {@code top}. */
    private PriorityQueue<Candidate> scanChunks(Chunks chunks, PriorityQueue<Candidate> top,
        Matching.BlockSummary blockSummary, int limit) {
      int n = state.length;
      int[] starts = arena.starts;
      int[] symbols = arena.symbols;
      while (true) {
        int first = chunks.start + chunks.next.getAndIncrement() * chunkSize;
        int last = Math.min(first + chunkSize, chunks.end);
        if (first >= last) {
          return top;
        }
        for (int position = first; position < last; position++) {
          int sequence = chunks.sorted[position];
          int key = chunks.keys[sequence] - 1;
          boolean full = top.size() == limit;
          if (full && chunks.boundOfKey[key] + BOUND_MARGIN < top.peek().preRank) {
            continue;
          }
          int overlap = bucketOverlapBound(key, n);
          int from = starts[sequence];
          int length = starts[sequence + 1] - from;
          // The longest block, found first, decides most candidates: either it is the only block
          // (m = its length), or there are at least two blocks, bounded by multiBlockPreRankBound.
          boolean longestKnown = false;
          if (full && multiBlockPreRankBound(overlap, length, n) + BOUND_MARGIN < top.peek().preRank) {
            // only as the one block can it still enter: no LCS needed when it cannot
            blockSummary.findLongestBlock(symbols, from, length, masks, overlap);
            int k = blockSummary.longestK;
            if (preRankOf(from, length, k, 1, blockSummary.longestI, blockSummary.longestJ, blockSummary.longestI + k)
                < top.peek().preRank) {
              continue;
            }
            longestKnown = true;
          }
          int lcs = masks.lcsLength(symbols, from, length);
          double similarity = tokenSimilarity(lcs, length + n);
          if (similarity < threshold) {
            continue;
          }
          if (full && preRankBound(lcs, length, n) + BOUND_MARGIN < top.peek().preRank) {
            continue;
          }
          if (!longestKnown) {
            blockSummary.findLongestBlock(symbols, from, length, masks, lcs);
          }
          int k = blockSummary.longestK;
          double rank = preRankOf(from, length, k, 1, blockSummary.longestI, blockSummary.longestJ,
              blockSummary.longestI + k);
          if (k < lcs) {
            if (full && !ranksBefore(rank, similarity, sequence, top.peek())
                && multiBlockPreRankBound(lcs, length, n) + BOUND_MARGIN < top.peek().preRank) {
              continue;
            }
            blockSummary.summariseRest(symbols, from, length, masks, lcs);
            rank = preRankOf(from, length, blockSummary.matched, blockSummary.blockCount, blockSummary.firstI,
                blockSummary.firstJ, blockSummary.lastEnd);
          }
          if (full && !ranksBefore(rank, similarity, sequence, top.peek())) {
            continue;
          }
          Candidate c = new Candidate();
          c.pattern = kb.patternAt(sequence);
          c.similarity = similarity;
          c.lcs = lcs;
          c.preRank = rank;
          offer(top, limit, c);
        }
      }
    }

    private static void offer(PriorityQueue<Candidate> top, int limit, Candidate c) {
      if (top.size() < limit) {
        top.add(c);
      } else if (PRUNING_ORDER.compare(c, top.peek()) < 0) {
        top.poll();
        top.add(c);
      }
    }

    /**
     * {@code _pre_potential} of a match (t > 0, so at least one block) from {@link
     * Matching.BlockSummary}, with exactly the operations of {@link #extractInto} and {@link
     * #preRank}, without building the blocks or the candidate.
     */
    private double summaryPreRank(Matching.BlockSummary summary, int sequence, int lcs) {
      int from = arena.starts[sequence];
      int length = arena.starts[sequence + 1] - from;
      summary.summarise(arena.symbols, from, length, masks, lcs);
      return preRankOf(from, length, summary.matched, summary.blockCount, summary.firstI, summary.firstJ,
          summary.lastEnd);
    }

    /**
     * {@code _pre_potential} of the arena's pattern {@code symbols[from .. from + length)} whose
     * blocks hold {@code m} symbols in {@code blockCount} blocks, the first starting at {@code
     * firstI} in the pattern and {@code firstJ} in the state, the last ending at {@code lastEnd}.
     */
    private double preRankOf(int from, int length, int m, int blockCount, int firstI, int firstJ, int lastEnd) {
      int[] symbols = arena.symbols;
      int extrasFlatCount = state.length - m;
      // §4.4 on the flat positions: an event ends where the next one starts (or at the end)
      int presentStartFlat = nextEventStart(symbols, from, length, firstI);
      int presentEndFlat = nextEventStart(symbols, from, length, lastEnd);
      if (presentStartFlat > 0) {
        // first-match rule (Q9) by id: matches[0] is the state symbol at the first block's j
        int firstMatch = stateIds[firstJ];
        int previousStart = presentStartFlat - 1;
        while ((symbols[from + previousStart] & PatternArena.EVENT_START) == 0) {
          previousStart--;
        }
        for (int k = previousStart; k < presentStartFlat; k++) {
          if ((symbols[from + k] & PatternArena.ID) == firstMatch) {
            presentStartFlat = previousStart;
            break;
          }
        }
      }
      int presentSize = presentEndFlat - presentStartFlat;
      double evidence = (double) m / length;
      double confidence = presentSize == 0 ? 0.0 : (double) m / presentSize;
      double denominator = 2.0 * m + extrasFlatCount;
      double snr = denominator == 0.0 ? 0.0 : (2.0 * m - extrasFlatCount) / denominator;
      double fragmentation = blockCount - 1;
      return (evidence + confidence) * snr + fragmentationTerm(fragmentation);
    }

    /** The first event start at or after flat position {@code position}, or the length. */
    private static int nextEventStart(int[] symbols, int from, int length, int position) {
      while (position < length && (symbols[from + position] & PatternArena.EVENT_START) == 0) {
        position++;
      }
      return position;
    }

    /** The bounded search's view of the patterns, match masks and block summary. */
    private PatternArena arena;
    private Matching.DenseLcs masks;
    private Matching.BlockSummary summary;

    /** The similarity of the pattern with this learn sequence, or null when below the threshold. */
    private Candidate score(int sequence) {
      int from = arena.starts[sequence];
      int length = arena.starts[sequence + 1] - from;
      int lcs = masks.lcsLength(arena.symbols, from, length);
      double similarity = tokenSimilarity(lcs, length + state.length);
      if (similarity < threshold) {
        return null;
      }
      StoredPattern pattern = kb.patternAt(sequence);
      Candidate c = new Candidate();
      c.pattern = pattern;
      c.similarity = similarity;
      c.lcs = lcs;
      return c;
    }

    private List<Candidate> matchCandidates() {
      List<Candidate> ensemble = new ArrayList<>();
      candidateCount = kb.patternCount();
      if (!params.filters().isEmpty()) {
        List<StoredPattern> filtered = FilterPipeline.candidates(kb, state, stateIds, params.filters(),
            threshold, params.useTokenMatching());
        candidateCount = filtered.size();
        for (StoredPattern pattern : filtered) {
          consider(pattern, ensemble);
        }
      } else if (threshold > 0.0 && pruneCandidates) {
        for (StoredPattern pattern : kb.patternsContainingAny(stateIds)) {
          consider(pattern, ensemble);
        }
      } else {
        kb.forEachPattern(pattern -> consider(pattern, ensemble));
      }
      return ensemble;
    }

    private int[] stateCodePoints;

    private void consider(StoredPattern pattern, List<Candidate> ensemble) {
      double similarity;
      if (params.useTokenMatching()) {
        int total = pattern.length() + state.length;
        if (threshold > 0.0 && pruneCandidates
            && tokenSimilarity(Math.min(pattern.length(), state.length), total) < threshold) {
          return; // §9.2: even a full match of the shorter sequence stays below the threshold
        }
        similarity = tokenSimilarity(stateLcs.lcsLength(pattern.symbols()), total);
      } else {
        if (stateCodePoints == null) {
          stateCodePoints = joinedCodePoints(stm);
        }
        similarity = Matching.indelRatio(stateCodePoints, joinedCodePoints(pattern.events())) / 100.0;
      }
      if (similarity < threshold) {
        return;
      }
      Candidate candidate = new Candidate();
      candidate.pattern = pattern;
      candidate.similarity = similarity;
      if (extractInto(candidate)) {
        ensemble.add(candidate);
      }
    }

    /**
     * §4: blocks, past/present/future and the base metrics; false when the candidate has no block
     * and the threshold is positive (§3.3). The symbol lists (matches, missing,
     * extras) are only built by {@link #materialize} for candidates that survive pruning.
     */
    private boolean extractInto(Candidate c) {
      StoredPattern pattern = c.pattern;
      int[] p = pattern.symbols();
      List<Matching.Block> blocks = Matching.blocks(p, stateIds);
      int blockCount = blocks.size();
      if (blockCount == 0 && threshold != 0.0) {
        return false;
      }
      c.blocks = blocks;
      int m;
      String firstMatch;
      if (params.fuzzyTokenThreshold() > 0.0) {
        fuzzyMatches(c, pattern);
        m = c.matches.size();
        firstMatch = m == 0 ? null : c.matches.get(0);
      } else {
        m = 0;
        for (Matching.Block block : blocks) {
          m += block.k();
        }
        firstMatch = blockCount == 0 ? null : state[blocks.get(0).j()];
        c.extrasFlatCount = state.length - m;
      }
      int pastFlat;
      int presentFlat;
      if (blockCount == 0) {
        pastFlat = 0;
        presentFlat = p.length;
      } else {
        Matching.Block first = blocks.get(0);
        Matching.Block last = blocks.get(blockCount - 1);
        pastFlat = first.i();
        presentFlat = last.i() + last.k() - first.i();
      }
      List<List<String>> events = pattern.events();
      int e = 0;
      int covered = 0;
      while (covered < pastFlat) {
        covered += events.get(e++).size();
      }
      int presentStart = e;
      while (covered < pastFlat + presentFlat) {
        covered += events.get(e++).size();
      }
      // first-match rule (Q9): membership only
      if (presentStart > 0 && firstMatch != null && events.get(presentStart - 1).contains(firstMatch)) {
        presentStart--;
      }
      c.presentStart = presentStart;
      c.futureStart = e;
      int presentSize = 0;
      for (int i = presentStart; i < e; i++) {
        presentSize += events.get(i).size();
      }
      c.evidence = (double) m / pattern.length();
      c.confidence = presentSize == 0 ? 0.0 : (double) m / presentSize;
      double denominator = 2.0 * m + c.extrasFlatCount;
      c.snr = denominator == 0.0 ? 0.0 : (2.0 * m - c.extrasFlatCount) / denominator;
      c.fragmentation = blockCount - 1;
      return true;
    }

    /** §4.2, §4.5: the matched symbols and the by-value missing and extras lists. */
    private void materialize(Candidate c) {
      if (c.matches == null) {
        List<String> matches = new ArrayList<>();
        for (Matching.Block block : c.blocks) {
          for (int j = block.j(); j < block.j() + block.k(); j++) {
            matches.add(state[j]);
          }
        }
        c.matches = matches;
        c.anomalies = List.of();
      }
      Set<String> matchSet = new HashSet<>(c.matches);
      List<List<String>> missing = new ArrayList<>();
      List<String> flatPresent = new ArrayList<>();
      for (List<String> event : c.present()) {
        List<String> eventMissing = new ArrayList<>();
        for (String symbol : event) {
          if (!matchSet.contains(symbol)) {
            eventMissing.add(symbol);
          }
          flatPresent.add(symbol);
        }
        missing.add(Collections.unmodifiableList(eventMissing));
      }
      Set<String> presentSet = new HashSet<>(flatPresent);
      List<List<String>> extras = new ArrayList<>(stm.size());
      for (List<String> event : stm) {
        List<String> eventExtras = new ArrayList<>();
        for (String symbol : event) {
          if (!presentSet.contains(symbol)) {
            eventExtras.add(symbol);
          }
        }
        extras.add(Collections.unmodifiableList(eventExtras));
      }
      c.missing = Collections.unmodifiableList(missing);
      c.extras = Collections.unmodifiableList(extras);
      c.flatPresent = flatPresent;
    }

    /** §4.6: each state token matched to its best-scoring pattern token. */
    private void fuzzyMatches(Candidate c, StoredPattern pattern) {
      double cutoff = params.fuzzyTokenThreshold() * 100;
      List<String> patternTokens = flatten(pattern.events());
      List<int[]> patternCodePoints = new ArrayList<>(patternTokens.size());
      for (String token : patternTokens) {
        patternCodePoints.add(token.codePoints().toArray());
      }
      List<String> matches = new ArrayList<>();
      List<Anomaly> anomalies = new ArrayList<>();
      for (String x : state) {
        int[] xs = x.codePoints().toArray();
        double bestScore = -1.0;
        String best = null;
        for (int t = 0; t < patternTokens.size(); t++) {
          double score = patternTokens.get(t).equals(x) ? 100.0 : Matching.indelRatio(xs, patternCodePoints.get(t));
          if (score > bestScore) {
            bestScore = score;
            best = patternTokens.get(t);
          }
        }
        if (best != null && bestScore >= cutoff) {
          matches.add(x);
          if (!best.equals(x)) {
            anomalies.add(new Anomaly(x, best, bestScore / 100.0));
          }
        }
      }
      c.matches = matches;
      c.anomalies = List.copyOf(anomalies);
      c.extrasFlatCount = state.length - matches.size();
    }

    /** §5.10: weights of the distinct state symbols; every other symbol weighs 0. */
    private void applyAffinityWeights(List<Candidate> ensemble) {
      Map<String, Double> weights = new HashMap<>();
      for (String s : state) {
        weights.computeIfAbsent(s, symbol -> affinityWeight(kb, symbol, params.affinityEmotive()));
      }
      boolean weightedSimilarityKnown = candidateCount <= WEIGHTED_SIMILARITY_PATTERN_LIMIT;
      double stateWeight = sumWeights(Arrays.asList(state), weights);
      for (Candidate c : ensemble) {
        double matched = sumWeights(c.matches, weights);
        double patternWeight = 0.0;
        for (List<String> event : c.pattern.events()) {
          patternWeight += sumWeights(event, weights);
        }
        double presentWeight = sumWeights(c.flatPresent, weights);
        double extrasWeight = 0.0;
        for (List<String> event : c.extras) {
          extrasWeight += sumWeights(event, weights);
        }
        double similarityDenominator = stateWeight + patternWeight;
        c.weightedSimilarity = !weightedSimilarityKnown || similarityDenominator == 0.0
            ? null : 2.0 * matched / similarityDenominator;
        c.weightedEvidence = patternWeight == 0.0 ? 0.0 : matched / patternWeight;
        c.weightedConfidence = presentWeight == 0.0 ? 0.0 : matched / presentWeight;
        c.weightedSnr = matched + extrasWeight == 0.0 ? 0.0 : matched / (matched + extrasWeight);
      }
    }

    /** §5.2–§5.9 over the (possibly pruned) ensemble, in its order. */
    private List<FuturePotential> computeEnsembleMetrics(List<Candidate> ensemble) {
      long uniquePatterns = kb.totalUniquePatterns();
      long patternFrequencies = kb.totalPatternFrequencies();
      int symbolTableSize = kb.symbolCount();
      double lnSymbols = Math.log(symbolTableSize);

      Map<String, Double> q = new HashMap<>();
      long totalFrequency = 0;
      for (Candidate c : ensemble) {
        for (String s : c.matches) {
          q.computeIfAbsent(s, this::symbolProbability);
        }
        for (List<String> event : c.missing) {
          for (String s : event) {
            q.computeIfAbsent(s, this::symbolProbability);
          }
        }
        totalFrequency += frequency(c.pattern);
      }

      computeItfdf(ensemble, q, totalFrequency);

      for (Candidate c : ensemble) {
        int frequency = frequency(c.pattern);
        // confluence (§5.4)
        double pe = patternFrequencies == 0 ? 0.0 : (double) frequency / patternFrequencies;
        if (c.flatPresent.isEmpty()) {
          c.confluence = 0.0;
        } else {
          double logSum = 0.0;
          for (String s : c.flatPresent) {
            double value = q.getOrDefault(s, 1e-10);
            logSum += Math.log10(value > 0 ? value : 1e-10);
          }
          c.confluence = pe * (1 - Math.pow(10, logSum));
        }
        // entropies and tf-idf (§5.5, §5.6)
        PatternMetrics stored = c.pattern.metrics();
        LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();
        for (String s : c.flatPresent) {
          counts.merge(s, 1, Integer::sum);
        }
        if (stored != null) {
          c.entropy = stored.entropy();
          c.normalizedEntropy = stored.normalizedEntropy();
          c.globalNormalizedEntropy = stored.globalNormalizedEntropy();
        } else {
          int n = c.flatPresent.size();
          double entropy = 0.0;
          double normalized = 0.0;
          double global = 0.0;
          for (int count : counts.values()) {
            double p = (double) count / n;
            entropy -= p * EngineMath.log2(p);
          }
          if (symbolTableSize > 1) {
            for (int count : counts.values()) {
              double p = (double) count / n;
              normalized -= p * (Math.log(p) / lnSymbols);
            }
            for (String s : counts.keySet()) {
              double value = q.getOrDefault(s, 0.0);
              if (value > 0) {
                global -= value * (Math.log(value) / lnSymbols);
              }
            }
          }
          c.entropy = entropy;
          c.normalizedEntropy = normalized;
          c.globalNormalizedEntropy = global;
        }
        if (stored != null && uniquePatterns > 0) {
          double sum = 0.0;
          for (Map.Entry<String, Double> entry : stored.tfVector().entrySet()) {
            sum += entry.getValue() * idf(entry.getKey(), q, uniquePatterns);
          }
          c.tfidf = sum / stored.tfVector().size();
        } else if (!c.flatPresent.isEmpty() && uniquePatterns > 0) {
          double sum = 0.0;
          for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            double tf = (double) entry.getValue() / c.flatPresent.size();
            sum += tf * idf(entry.getKey(), q, uniquePatterns);
          }
          c.tfidf = sum / counts.size();
        } else {
          c.tfidf = 0.0;
        }
        // probabilities (§5.7, §5.8)
        c.patternProbability = (double) frequency / totalFrequency;
        c.weightedStrength = c.similarity * c.patternProbability;
        c.prior = (double) frequency / totalFrequency;
      }

      // future groups (§5.7): one lookup per candidate, groups in first-appearance order
      LinkedHashMap<List<List<String>>, FutureGroup> groups = new LinkedHashMap<>();
      for (Candidate c : ensemble) {
        List<List<String>> future = c.future();
        if (future.isEmpty()) {
          c.futureGroup = null;
          continue;
        }
        FutureGroup group = groups.computeIfAbsent(sortedEvents(future), k -> new FutureGroup(future));
        group.totalWeightedFrequency += frequency(c.pattern) * c.similarity;
        group.supporters++;
        c.futureGroup = group;
      }
      double allGroups = 0.0;
      for (FutureGroup group : groups.values()) {
        allGroups += group.totalWeightedFrequency;
      }
      List<FuturePotential> futurePotentials = new ArrayList<>(groups.size());
      for (FutureGroup group : groups.values()) {
        double twf = group.totalWeightedFrequency;
        group.potential = allGroups > 0 ? twf / allGroups : 0.0;
        futurePotentials.add(new FuturePotential(List.copyOf(group.representative), group.potential,
            group.supporters, twf));
      }
      futurePotentials.sort(Comparator.comparingDouble(FuturePotential::aggregatePotential).reversed());

      // Bayesian normaliser (§5.8) through ddot, as numpy does
      double[] likelihoods = new double[ensemble.size()];
      double[] priors = new double[ensemble.size()];
      for (int i = 0; i < ensemble.size(); i++) {
        likelihoods[i] = ensemble.get(i).similarity;
        priors[i] = ensemble.get(i).prior;
      }
      double z = EngineMath.ddot(likelihoods, priors, ensemble.size());
      boolean weighted = params.affinityEmotive() != null;
      for (Candidate c : ensemble) {
        FutureGroup group = c.futureGroup;
        double groupPotential = group == null ? 0.0 : group.potential;
        c.predictiveInformation = group != null && groupPotential > 0 ? c.weightedStrength / groupPotential : 0.0;
        c.posterior = z > 0 ? (c.similarity * c.prior) / z : 0.0;
        double evidence = weighted ? c.weightedEvidence : c.evidence;
        double confidence = weighted ? c.weightedConfidence : c.confidence;
        double snr = weighted ? c.weightedSnr : c.snr;
        c.potential = (((evidence + confidence) * snr) + c.itfdf) + fragmentationTerm(c.fragmentation);
      }
      return List.copyOf(futurePotentials);
    }

    /** §5.3: cosine between the Q-weighted state and each candidate's present. */
    private void computeItfdf(List<Candidate> ensemble, Map<String, Double> q, long totalFrequency) {
      Set<String> distinct = new HashSet<>(Arrays.asList(state));
      for (Candidate c : ensemble) {
        distinct.addAll(c.flatPresent);
      }
      String[] columns = distinct.toArray(new String[0]);
      Arrays.sort(columns, CodePointOrder.COMPARATOR);
      Map<String, Integer> column = new HashMap<>(columns.length * 2);
      for (int i = 0; i < columns.length; i++) {
        column.put(columns[i], i);
      }
      double[] stateVector = new double[columns.length];
      for (String s : state) {
        stateVector[column.get(s)] += 1;
      }
      for (int i = 0; i < columns.length; i++) {
        stateVector[i] = q.getOrDefault(columns[i], 0.0) * stateVector[i];
      }
      double stateNorm = Math.sqrt(EngineMath.ddot(stateVector, stateVector, columns.length));
      double[] row = new double[columns.length];
      int[] nonZero = new int[columns.length];
      double[] squares = new double[columns.length];
      for (Candidate c : ensemble) {
        int nonZeroCount = 0;
        for (String s : c.flatPresent) {
          int i = column.get(s);
          if (row[i] == 0.0) {
            nonZero[nonZeroCount++] = i;
          }
          row[i] += 1;
        }
        Arrays.sort(nonZero, 0, nonZeroCount);
        for (int k = 0; k < nonZeroCount; k++) {
          int i = nonZero[k];
          row[i] = q.getOrDefault(columns[i], 0.0) * row[i];
          squares[k] = row[i] * row[i];
        }
        double rowNorm = Math.sqrt(EngineMath.pairwiseSumSparse(nonZero, squares, nonZeroCount, columns.length));
        double distance;
        if (stateNorm > 0) {
          double dot;
          if (ensemble.size() == 1) {
            dot = EngineMath.ddot(row, stateVector, columns.length);
          } else {
            dot = 0.0;
            for (int k = 0; k < nonZeroCount; k++) {
              int i = nonZero[k];
              dot = Math.fma(row[i], stateVector[i], dot);
            }
          }
          double denominator = rowNorm * stateNorm;
          double cosine = denominator > 0 ? dot / denominator : 0.0;
          distance = 1.0 - cosine;
        } else {
          distance = 1.0;
        }
        c.itfdf = totalFrequency == 0 ? 0.0 : 1 - ((distance * frequency(c.pattern)) / totalFrequency);
        for (int k = 0; k < nonZeroCount; k++) {
          row[nonZero[k]] = 0.0;
        }
      }
    }

    private double symbolProbability(String symbol) {
      long uniquePatterns = kb.totalUniquePatterns();
      if (uniquePatterns == 0) {
        return 0.0;
      }
      int id = kb.symbolId(symbol);
      return id < 0 ? 0.0 : (double) kb.patternMemberFrequency(id) / uniquePatterns;
    }

    private FullPrediction toPrediction(Candidate c) {
      StoredPattern p = c.pattern;
      return new FullPrediction(p.name(), frequency(p), Emotives.average(p.emotives()),
          List.copyOf(c.matches), List.copyOf(c.past()), List.copyOf(c.present()), c.missing, c.extras,
          c.anomalies, c.potential, c.evidence, c.similarity, c.fragmentation, c.snr, c.confluence,
          c.predictiveInformation, p.events(), List.copyOf(c.future()), c.confidence, c.weightedSimilarity,
          c.weightedEvidence, c.weightedConfidence, c.weightedSnr, c.prePotential, c.entropy,
          c.normalizedEntropy, c.globalNormalizedEntropy, c.itfdf, c.tfidf, c.patternProbability,
          c.weightedStrength, c.posterior, c.prior, c.similarity);
    }
  }

  // ---- the bounded search's helpers --------------------------------------------------------------

  /** Canonical order (§0.3): similarity descending, then learn sequence (unique: a total order). */
  private static final Comparator<Candidate> CANONICAL = (a, b) -> {
    int bySimilarity = Double.compare(b.similarity, a.similarity);
    return bySimilarity != 0 ? bySimilarity : Integer.compare(a.pattern.sequence(), b.pattern.sequence());
  };

  /** What the stable pruning sort of §5.0 yields: {@code _pre_potential} descending, then canonical. */
  private static final Comparator<Candidate> PRUNING_ORDER = (a, b) -> {
    int byRank = Double.compare(b.preRank, a.preRank);
    return byRank != 0 ? byRank : CANONICAL.compare(a, b);
  };

  /**
   * Bounds are compared with this margin: a candidate is skipped only when its bound is below the
   * {@code 3K}-th best value by more than it, far above the rounding error of these few double
   * operations (values ≤ 3), so a skipped candidate's exact value is strictly below it.
   */
  private static final double BOUND_MARGIN = 1e-9;

  /** Threads the bounded search may use (the caller and one common-pool helper at most). */
  private static final int PARALLELISM = Math.min(2, Runtime.getRuntime().availableProcessors());

  /** Phase 2 runs on two threads from this many unscored candidates on (tests lower it). */
  static int parallelMinimum = 16_384;

  /** Candidates per chunk of phase 2 (tests lower it). */
  static int chunkSize = 512;

  private static final int B_CAP = 63;
  private static final int P_CAP = 127;
  private static final int BUCKETS = (B_CAP + 1) * (P_CAP + 1);

  static int bucketKey(int b, int p) {
    return Math.min(b, B_CAP) * (P_CAP + 1) + Math.min(p, P_CAP);
  }

  /** The largest {@code b} of the bucket: a bound of the LCS of its patterns. */
  private static int bucketOverlapBound(int key, int n) {
    int b = key / (P_CAP + 1);
    return b == B_CAP ? Math.max(n, B_CAP) : b;
  }

  /**
   * A bound for every pattern of the bucket: the largest {@code b}, and its {@code |P|}. The last
   * bucket of a row holds every longer pattern too: the bound falls with {@code |P|} when the snr
   * can be positive and otherwise rises towards 1 (see {@link #preRankBound}).
   */
  static double bucketBound(int key, int n) {
    int p = key % (P_CAP + 1);
    double bound = preRankBound(bucketOverlapBound(key, n), p, n);
    return p == P_CAP ? Math.max(bound, 1.0) : bound;
  }

  /**
   * An upper bound of {@code _pre_potential = (evidence + confidence) · snr + 1/nb} for a match
   * with {@code 1 ≤ m ≤ b} matched symbols, {@code |P| = p} and {@code |S| = n}, from {@code 1/nb ≤
   * 1} and a bound of the product. Outside fuzzy mode {@code e = n − m}, so {@code snr(m) = (3m −
   * n)/(m + n)}, which grows with {@code m}.
   *
   * <ul>
   *   <li>{@code 3b > n}: {@code evidence = m/p ≤ b/p}, {@code confidence ≤ 1} (the present
   *       covers every matched symbol); where {@code snr(m) ≥ 0} both factors are non-negative and
   *       non-decreasing in {@code m}, elsewhere the product is negative.
   *   <li>{@code 3b ≤ n}: no {@code snr} is positive, and {@code confidence = m/|present| ≥ m/p}
   *       (the present is part of the pattern), so the product is at most {@code 2m·snr(m)/p};
   *       {@code m·snr(m) = 3m − 4n + 4n²/(m + n)} is convex, its largest value on {@code [1, b]}
   *       is at an end.
   * </ul>
   */
  static double preRankBound(int b, int p, int n) {
    if (3 * b > n) {
      return ((double) b / p + 1.0) * snr(b, n) + 1.0;
    }
    return 2.0 * Math.max(snr(1, n), b * snr(b, n)) / p + 1.0;
  }

  /** {@link #preRankBound} for a match of two or more blocks: {@code 1/nb ≤ 1/2}. */
  static double multiBlockPreRankBound(int b, int p, int n) {
    return preRankBound(b, p, n) - 0.5;
  }

  /** {@code snr} outside fuzzy mode for {@code m} matched symbols of a state of {@code n}. */
  private static double snr(int m, int n) {
    return (3.0 * m - n) / (m + n);
  }

  /** True when a match with these values comes before {@code c} in {@link #PRUNING_ORDER}. */
  private static boolean ranksBefore(double preRank, double similarity, int sequence, Candidate c) {
    int byRank = Double.compare(preRank, c.preRank);
    if (byRank != 0) {
      return byRank > 0;
    }
    int bySimilarity = Double.compare(similarity, c.similarity);
    return bySimilarity != 0 ? bySimilarity > 0 : sequence < c.pattern.sequence();
  }

  private static double preRank(Candidate c) {
    return (c.evidence + c.confidence) * c.snr + fragmentationTerm(c.fragmentation);
  }

  /** Sorts bucket keys by their bound, descending (ties: smaller key first). */
  private static void sortKeysByBoundDescending(long[] keys, double[] boundOfKey) {
    Long[] boxed = new Long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      boxed[i] = keys[i];
    }
    Arrays.sort(boxed, (x, y) -> {
      int byBound = Double.compare(boundOfKey[(int) (long) y], boundOfKey[(int) (long) x]);
      return byBound != 0 ? byBound : Long.compare(x, y);
    });
    for (int i = 0; i < keys.length; i++) {
      keys[i] = boxed[i];
    }
  }

  /**
   * The bounded search's per-bucket arrays, one set per thread: allocating them per call (128 KB)
   * was most of a small node's observe cost and most of a loaded worker's allocation. Only the
   * sizes must start at zero; the bounds and starts of a bucket are written before they are read.
   */
  private static final class Buckets {
    private static final ThreadLocal<Buckets> SCRATCH = ThreadLocal.withInitial(Buckets::new);

    final int[] sizes = new int[BUCKETS];
    final double[] bounds = new double[BUCKETS];
    final int[] starts = new int[BUCKETS];
    /** The non-empty bucket keys, in the order they were first filled. */
    final int[] used = new int[BUCKETS];
    /** How many of {@link #used} the last search filled (and left non-zero in {@link #sizes}). */
    int usedCount;

    /** This thread's arrays with every size zero (also after a search that threw). */
    static Buckets take() {
      Buckets buckets = SCRATCH.get();
      for (int i = 0; i < buckets.usedCount; i++) {
        buckets.sizes[buckets.used[i]] = 0;
      }
      buckets.usedCount = 0;
      return buckets;
    }
  }

  /**
   * One spare counter array for the bounded search, shared by all threads: a caller takes it (or
   * allocates one when another call holds it or it is too small) and gives it back all zero.
   */
  private static final class Scratch {
    private static final java.util.concurrent.atomic.AtomicReference<int[]> SPARE =
        new java.util.concurrent.atomic.AtomicReference<>();

    static int[] take(int size) {
      int[] spare = SPARE.getAndSet(null);
      return spare != null && spare.length >= size ? spare : new int[Math.max(size, 16)];
    }

    /** @param counts all zero */
    static void give(int[] counts) {
      SPARE.set(counts);
    }

    private static final java.util.concurrent.atomic.AtomicReference<long[]> SPARE_MASKS =
        new java.util.concurrent.atomic.AtomicReference<>();

    static long[] takeMasks(int size) {
      long[] spare = SPARE_MASKS.getAndSet(null);
      return spare != null && spare.length >= size ? spare : new long[Math.max(size, 16)];
    }

    /** @param masks all zero */
    static void giveMasks(long[] masks) {
      SPARE_MASKS.set(masks);
    }
  }

  // ---- shared helpers ---------------------------------------------------------------------------

  /** The token-mode formula with upstream's ×100 / 100 round trip (Q4). */
  static double tokenSimilarity(int lcs, int total) {
    double score = ((2.0 * lcs) / total) * 100.0;
    return score / 100.0;
  }

  private static double fragmentationTerm(double fragmentation) {
    return fragmentation == -1.0 ? 0.0 : 1.0 / (fragmentation + 1);
  }

  /** §5.6: {@code log2(U / w(s)) + 1}. */
  private static double idf(String symbol, Map<String, Double> q, long uniquePatterns) {
    Double probability = q.get(symbol);
    long w = probability == null ? 1 : (long) (probability * uniquePatterns);
    if (w == 0) {
      w = 1;
    }
    return EngineMath.log2((double) uniquePatterns / w) + 1;
  }

  /** §5.10: {@code |aff(s, e)| / symfreq(s) + 0.01}, or 0.01 without affinity. */
  private static double affinityWeight(KnowledgeBase kb, String symbol, String emotive) {
    int id = kb.symbolId(symbol);
    long symbolFrequency = kb.symbolFrequency(id);
    double affinity = Math.abs(kb.affinity(id, emotive));
    return symbolFrequency > 0 && affinity > 0 ? affinity / symbolFrequency + 0.01 : 0.01;
  }

  private static double sumWeights(List<String> symbols, Map<String, Double> weights) {
    double sum = 0.0;
    for (String s : symbols) {
      sum += weights.getOrDefault(s, 0.0);
    }
    return sum;
  }

  private static int frequency(StoredPattern pattern) {
    return pattern.frequency() == 0 ? 1 : pattern.frequency(); // Q23
  }

  static List<String> flatten(List<List<String>> events) {
    List<String> flat = new ArrayList<>();
    for (List<String> event : events) {
      flat.addAll(event);
    }
    return flat;
  }

  /** Each event's symbols in code-point order; an event already in order is used as it is. */
  private static List<List<String>> sortedEvents(List<List<String>> events) {
    List<List<String>> out = new ArrayList<>(events.size());
    for (List<String> event : events) {
      out.add(inOrder(event) ? event : sortedCopy(event));
    }
    return out;
  }

  private static boolean inOrder(List<String> event) {
    for (int i = 1; i < event.size(); i++) {
      if (CodePointOrder.COMPARATOR.compare(event.get(i - 1), event.get(i)) > 0) {
        return false;
      }
    }
    return true;
  }

  private static List<String> sortedCopy(List<String> event) {
    List<String> sorted = new ArrayList<>(event);
    sorted.sort(CodePointOrder.COMPARATOR);
    return sorted;
  }

  /** The symbols joined with single spaces, as code points (character mode, §3.2). */
  private static int[] joinedCodePoints(List<List<String>> events) {
    return String.join(" ", flatten(events)).codePoints().toArray();
  }
}
