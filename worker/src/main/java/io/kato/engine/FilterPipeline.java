package io.kato.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The optional candidate filter pipeline a session may configure ({@code filter_pipeline},
 * PREDICTIONS.md §2.2–§2.3), with upstream's semantics but without its SQL: stages run in
 * order over a running candidate set; a "Python" stage ({@code bloom}, {@code rapidfuzz}) before
 * any "database" stage ({@code length}, {@code jaccard}, {@code minhash}) fails, and if no stage
 * ever produced a candidate set there are no candidates at all (Q19). A stage whose upstream
 * query would fail (a state symbol containing {@code '} in {@code jaccard}) leaves the set
 * unchanged, or empty when it was the first stage. A configured 0 means the default.
 *
 * <p>Used only when the pipeline is non-empty; the default empty pipeline is lossless and
 * handled by {@link Predictor} directly.
 */
final class FilterPipeline {
  private FilterPipeline() {}

  /** Stage parameters as configured (0 = default). */
  record Settings(
      List<String> stages,
      double lengthMinRatio,
      double lengthMaxRatio,
      double jaccardThreshold,
      long jaccardMinOverlap,
      double minhashThreshold) {

    static final Settings NONE = new Settings(List.of(), 0, 0, 0, 0, 0);

    boolean isEmpty() {
      return stages.isEmpty();
    }
  }

  /**
   * The candidates the pipeline lets through, in learn sequence order.
   *
   * @param state the STM flattened; {@code stateIds} the same as knowledge-base ids (negative when
   *     unknown)
   */
  static List<StoredPattern> candidates(KnowledgeBase kb, String[] state, int[] stateIds, Settings settings,
      double recallThreshold, boolean useTokenMatching) {
    List<StoredPattern> candidates = null; // null: no stage has produced a set yet
    for (String stage : settings.stages()) {
      switch (stage) {
        case "length":
          candidates = lengthStage(source(kb, candidates), state.length, settings);
          break;
        case "jaccard":
          candidates = jaccardStage(kb, candidates, stateIds, state, settings);
          break;
        case "minhash":
          candidates = minhashStage(source(kb, candidates), state, or(settings.minhashThreshold(), 0.7));
          break;
        case "bloom":
          // upstream's bloom stage always raises: a no-op after a database stage, fatal before one
          break;
        case "rapidfuzz":
          if (candidates != null) {
            candidates = rapidfuzzStage(kb, candidates, state, stateIds, recallThreshold, useTokenMatching);
          }
          break;
        default:
          break; // unknown stage names are skipped
      }
      if (candidates != null && candidates.isEmpty()) {
        break;
      }
    }
    return candidates == null ? List.of() : candidates;
  }

  private static List<StoredPattern> source(KnowledgeBase kb, List<StoredPattern> candidates) {
    if (candidates != null) {
      return candidates;
    }
    List<StoredPattern> all = new ArrayList<>(kb.patternCount());
    kb.forEachPattern(all::add);
    return all;
  }

  private static double or(double configured, double fallback) {
    return configured == 0.0 ? fallback : configured;
  }

  private static List<StoredPattern> lengthStage(List<StoredPattern> source, int stateLength, Settings settings) {
    long min = Math.max(1, (long) (stateLength * or(settings.lengthMinRatio(), 0.5)));
    long max = (long) (stateLength * or(settings.lengthMaxRatio(), 2.0));
    List<StoredPattern> out = new ArrayList<>();
    for (StoredPattern pattern : source) {
      if (pattern.length() >= min && pattern.length() <= max) {
        out.add(pattern);
      }
    }
    return out;
  }

  private static List<StoredPattern> jaccardStage(KnowledgeBase kb, List<StoredPattern> candidates,
      int[] stateIds, String[] state, Settings settings) {
    for (String symbol : state) {
      if (symbol.indexOf('\'') >= 0) {
        return candidates == null ? List.of() : candidates; // upstream's SQL fails on the quote
      }
    }
    double threshold = or(settings.jaccardThreshold(), 0.3);
    long minOverlap = settings.jaccardMinOverlap() == 0 ? 2 : settings.jaccardMinOverlap();
    Set<Integer> stateSet = new HashSet<>();
    Set<String> unknown = new HashSet<>();
    for (int i = 0; i < stateIds.length; i++) {
      if (stateIds[i] >= 0) {
        stateSet.add(stateIds[i]);
      } else {
        unknown.add(state[i]);
      }
    }
    List<StoredPattern> out = new ArrayList<>();
    for (StoredPattern pattern : source(kb, candidates)) {
      Set<Integer> patternSet = new HashSet<>();
      for (int id : pattern.symbols()) {
        patternSet.add(id);
      }
      int intersection = 0;
      for (int id : patternSet) {
        if (stateSet.contains(id)) {
          intersection++;
        }
      }
      int union = patternSet.size() + stateSet.size() + unknown.size() - intersection;
      if (intersection >= minOverlap && (double) intersection / union >= threshold) {
        out.add(pattern);
      }
    }
    return out;
  }

  private static List<StoredPattern> rapidfuzzStage(KnowledgeBase kb, List<StoredPattern> candidates,
      String[] state, int[] stateIds, double recallThreshold, boolean useTokenMatching) {
    double cutoff = recallThreshold == 0.0 ? 0.1 : recallThreshold; // upstream: `t or 0.1`
    int[] stateCodePoints = useTokenMatching ? null : String.join(" ", state).codePoints().toArray();
    List<StoredPattern> out = new ArrayList<>();
    for (StoredPattern pattern : candidates) {
      double similarity;
      if (useTokenMatching) {
        // this stage scores without the ×100/100 round trip of the final test
        similarity = 2.0 * Matching.lcsLength(pattern.symbols(), stateIds) / (pattern.length() + state.length);
      } else {
        int[] patternCodePoints = String.join(" ", Predictor.flatten(pattern.events())).codePoints().toArray();
        similarity = Matching.indelRatio(stateCodePoints, patternCodePoints) / 100.0;
      }
      if (similarity >= cutoff && !Matching.blocks(pattern.symbols(), stateIds).isEmpty()) {
        out.add(pattern);
      }
    }
    return out;
  }

  // ---- MinHash / LSH (ENGINE.md Appendix C) --------------------------------------------------

  private static final int PERMUTATIONS = 100;
  private static final int BANDS = 20;
  private static final int ROWS = 5;
  private static final long MERSENNE_61 = (1L << 61) - 1;

  private static List<StoredPattern> minhashStage(List<StoredPattern> source, String[] state, double threshold) {
    long[] stateSignature = signature(List.of(state));
    Set<Long> stateBands = new HashSet<>();
    for (long band : bands(stateSignature)) {
      stateBands.add(band);
    }
    List<StoredPattern> out = new ArrayList<>();
    for (StoredPattern pattern : source) {
      long[] signature = signature(Predictor.flatten(pattern.events()));
      boolean sharesBand = false;
      for (long band : bands(signature)) {
        if (stateBands.contains(band)) {
          sharesBand = true;
          break;
        }
      }
      if (!sharesBand) {
        continue;
      }
      int equal = 0;
      for (int i = 0; i < PERMUTATIONS; i++) {
        if (signature[i] == stateSignature[i]) {
          equal++;
        }
      }
      if ((double) equal / PERMUTATIONS >= threshold) {
        out.add(pattern);
      }
    }
    return out;
  }

  /** datasketch MinHash, 100 permutations, seed 1; unsigned 32-bit values held in longs. */
  static long[] signature(List<String> symbols) {
    long[] signature = new long[PERMUTATIONS];
    java.util.Arrays.fill(signature, 0xFFFFFFFFL);
    MessageDigest sha1 = sha1();
    for (String symbol : symbols) {
      byte[] digest = sha1.digest(symbol.getBytes(StandardCharsets.UTF_8));
      long x = (digest[0] & 0xFFL) | (digest[1] & 0xFFL) << 8 | (digest[2] & 0xFFL) << 16 | (digest[3] & 0xFFL) << 24;
      for (int i = 0; i < PERMUTATIONS; i++) {
        long v = MinHashConstants.A[i] * x + MinHashConstants.B[i]; // wraps mod 2^64, as numpy uint64
        v = Long.remainderUnsigned(v, MERSENNE_61) & 0xFFFFFFFFL;
        if (v < signature[i]) {
          signature[i] = v;
        }
      }
    }
    return signature;
  }

  /** One hash per band of {@link #ROWS} values; compared for equality only. */
  private static long[] bands(long[] signature) {
    long[] out = new long[BANDS];
    for (int band = 0; band < BANDS; band++) {
      long h = 0xcbf29ce484222325L;
      for (int r = 0; r < ROWS; r++) {
        h = (h ^ signature[band * ROWS + r]) * 0x100000001b3L;
        h ^= h >>> 29;
      }
      out[band] = h;
    }
    return out;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-1", e);
    }
  }
}
