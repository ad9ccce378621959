package io.kato.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The sequence-matching primitives of PREDICTIONS.md §3–§4: LCS length (what rapidfuzz's
 * similarity counts), the greedy longest-block decomposition (what upstream's SequenceMatcher
 * copy extracts) and the Indel ratio ({@code fuzz.ratio}). Sequences are int arrays: symbol ids
 * in token mode, code points in character mode.
 */
final class Matching {
  private Matching() {}

  /** A matching block: {@code a[i..i+k) == b[j..j+k)}. */
  record Block(int i, int j, int k) {}

  /**
   * LCS lengths of many sequences against one fixed sequence (the state): bit-parallel
   * (Allison–Dix / Hyyrö) when the state has at most 64 symbols, the DP otherwise.
   */
  static final class LcsAgainst {
    private final int[] target;
    private final int[] distinct;
    private final long[] masks;
    private final long lengthMask;

    LcsAgainst(int[] target) {
      this.target = target;
      if (target.length > 64) {
        distinct = null;
        masks = null;
        lengthMask = 0;
        return;
      }
      int[] ids = new int[target.length];
      long[] bits = new long[target.length];
      int n = 0;
      for (int j = 0; j < target.length; j++) {
        int k = 0;
        while (k < n && ids[k] != target[j]) {
          k++;
        }
        if (k == n) {
          ids[n++] = target[j];
        }
        bits[k] |= 1L << j;
      }
      distinct = java.util.Arrays.copyOf(ids, n);
      masks = java.util.Arrays.copyOf(bits, n);
      lengthMask = target.length == 64 ? -1L : (1L << target.length) - 1;
    }

    int lcsLength(int[] sequence) {
      if (masks == null) {
        return Matching.lcsLength(sequence, target);
      }
      long v = lengthMask;
      for (int x : sequence) {
        long m = 0;
        for (int k = 0; k < distinct.length; k++) {
          if (distinct[k] == x) {
            m = masks[k];
            break;
          }
        }
        long u = v & m;
        v = ((v + u) | (v - u)) & lengthMask;
      }
      return target.length - Long.bitCount(v);
    }
  }

  /**
   * {@link LcsAgainst} for a target of at most 64 symbol ids, with the match masks in a table
   * indexed by id (one load per pattern symbol instead of a search). The table is lent by the
   * caller, all zero and longer than every id it will see; {@link #release()} zeroes it again.
   */
  static final class DenseLcs {
    private final int[] target;
    private final long[] maskById;
    private final long lengthMask;

    DenseLcs(int[] target, long[] maskById) {
      if (target.length > 64) {
        throw new IllegalArgumentException("at most 64 symbols");
      }
      this.target = target;
      this.maskById = maskById;
      for (int j = 0; j < target.length; j++) {
        if (target[j] >= 0) {
          maskById[target[j]] |= 1L << j;
        }
      }
      lengthMask = target.length == 64 ? -1L : (1L << target.length) - 1;
    }

    /** The ids' match masks (bit j: {@code target[j] == id}); 0 for ids not in the target. */
    long mask(int id) {
      return id < maskById.length ? maskById[id] : 0L;
    }

    int lcsLength(int[] sequence) {
      return lcsLength(sequence, 0, sequence.length);
    }

    /** The LCS with {@code symbols[from .. from + length)}, each entry masked by {@link PatternArena#ID}. */
    int lcsLength(int[] symbols, int from, int length) {
      long[] table = maskById;
      long mask = lengthMask;
      long v = mask;
      for (int i = from, end = from + length; i < end; i++) {
        int x = symbols[i] & PatternArena.ID;
        long u = v & (x < table.length ? table[x] : 0L);
        v = ((v + u) | (v - u)) & mask;
      }
      return target.length - Long.bitCount(v);
    }

    /** Zeroes the table entries this instance set; the instance is unusable afterwards. */
    long[] release() {
      for (int id : target) {
        if (id >= 0) {
          maskById[id] = 0L;
        }
      }
      return maskById;
    }
  }

  /** Length of the longest common (not necessarily contiguous) subsequence. */
  static int lcsLength(int[] a, int[] b) {
    if (a.length == 0 || b.length == 0) {
      return 0;
    }
    int[] shorter = a.length <= b.length ? a : b;
    int[] longer = shorter == a ? b : a;
    int[] row = new int[shorter.length + 1];
    for (int x : longer) {
      int diagonal = 0;
      for (int j = 1; j <= shorter.length; j++) {
        int above = row[j];
        row[j] = x == shorter[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]);
        diagonal = above;
      }
    }
    return row[shorter.length];
  }

  /**
   * rapidfuzz {@code fuzz.ratio}: {@code 100 * (1 - (T - 2·LCS) / T)} with {@code T} the summed
   * lengths; 100 for two empty sequences.
   */
  static double indelRatio(int[] a, int[] b) {
    int total = a.length + b.length;
    if (total == 0) {
      return 100.0;
    }
    int lcs = lcsLength(a, b);
    return 100.0 * (1.0 - ((double) (total - 2 * lcs) / total));
  }

  /**
   * Matching blocks of {@code a} against {@code b}, sorted and with adjacent blocks merged,
   * without the sentinel (§4.1).
   */
  static List<Block> blocks(int[] a, int[] b) {
    List<Block> found = new ArrayList<>();
    List<int[]> todo = new ArrayList<>();
    todo.add(new int[] {0, a.length, 0, b.length});
    int[] previousRow = new int[b.length + 1];
    int[] currentRow = new int[b.length + 1];
    while (!todo.isEmpty()) {
      int[] range = todo.remove(todo.size() - 1);
      int alo = range[0];
      int ahi = range[1];
      int blo = range[2];
      int bhi = range[3];
      Block best = longest(a, b, alo, ahi, blo, bhi, previousRow, currentRow);
      if (best.k() > 0) {
        found.add(best);
        if (alo < best.i() && blo < best.j()) {
          todo.add(new int[] {alo, best.i(), blo, best.j()});
        }
        if (best.i() + best.k() < ahi && best.j() + best.k() < bhi) {
          todo.add(new int[] {best.i() + best.k(), ahi, best.j() + best.k(), bhi});
        }
      }
    }
    found.sort((x, y) -> x.i() != y.i() ? Integer.compare(x.i(), y.i())
        : x.j() != y.j() ? Integer.compare(x.j(), y.j()) : Integer.compare(x.k(), y.k()));
    List<Block> merged = new ArrayList<>(found.size());
    for (Block block : found) {
      if (!merged.isEmpty()) {
        Block last = merged.get(merged.size() - 1);
        if (last.i() + last.k() == block.i() && last.j() + last.k() == block.j()) {
          merged.set(merged.size() - 1, new Block(last.i(), last.j(), last.k() + block.k()));
          continue;
        }
      }
      merged.add(block);
    }
    return merged;
  }

  /**
   * What {@link #blocks} yields, summarised without allocating: reusable work arrays for one
   * target {@code b} (the state) and patterns of any length.
   */
  static final class BlockSummary {
    /** Total matched length {@code m}, block count (after merging), first block's i and j, last block's end in a. */
    int matched;
    int blockCount;
    int firstI;
    int firstJ;
    int lastEnd;

    private final int[] b;
    private int[] previousRow;
    private int[] currentRow;
    private int[] todo = new int[64];
    private int[] found = new int[48];

    BlockSummary(int[] b) {
      this.b = b;
      previousRow = new int[b.length + 1];
      currentRow = new int[b.length + 1];
    }

    private final long[] levels = new long[66];

    /**
     * Summarises {@code blocks(a, b)} with {@code masks} (built for this summary's {@code b}, at
     * most 64 symbols): the same blocks as {@link #summarise(int[])}, found bit-parallel.
     * {@code levels[k]} holds the positions j where a run of at least k ends at the current row
     * i; the row's longest run is the highest non-empty level and its smallest j that level's
     * lowest bit, which is what the scalar scan (j ascending, strict improvement) picks.
     */
    void summarise(int[] a, DenseLcs masks) {
      summarise(a, 0, a.length, masks, Integer.MAX_VALUE);
    }

    /**
     * {@link #summarise(int[], DenseLcs)} of {@code a[from .. from + length)}, each entry masked by
     * {@link PatternArena#ID}; positions are relative to {@code from}. {@code lcs} is the LCS
     * length of the two (or any larger value): the blocks form a common subsequence, so once they
     * hold {@code lcs} symbols no further block exists and the search stops.
     */
    void summarise(int[] a, int from, int length, DenseLcs masks, int lcs) {
      findLongestBlock(a, from, length, masks, lcs);
      summariseRest(a, from, length, masks, lcs);
    }

    /**
     * What {@link #findLongestBlock} found, the first block of the search: {@code a[longestI ..
     * longestI + longestK) == b[longestJ .. longestJ + longestK)}.
     */
    int longestI;
    int longestJ;
    int longestK;

    private int foundCount;
    private int matchedSoFar;
    private int runI;
    private int runJ;
    private int runK;

    /**
     * The first step of {@link #summarise(int[], int, int, DenseLcs, int)}: the longest run of the
     * whole ranges, in {@link #longestI}, {@link #longestJ} and {@link #longestK} ({@code longestK
     * = 0}: no common symbol). {@link #summariseRest} completes the summary.
     */
    void findLongestBlock(int[] a, int from, int length, DenseLcs masks, int lcs) {
      longestRun(a, from, masks, 0, length, 0, b.length, lcs);
      foundCount = 0;
      matchedSoFar = 0;
      longestI = runI;
      longestJ = runJ;
      longestK = runK;
      if (runK > 0) {
        found[0] = runI;
        found[1] = runJ;
        found[2] = runK;
        foundCount = 1;
        matchedSoFar = runK;
      }
    }

    /** The blocks after {@link #findLongestBlock} (same arguments), then the summary fields. */
    void summariseRest(int[] a, int from, int length, DenseLcs masks, int lcs) {
      int top = 0;
      if (longestK > 0 && matchedSoFar < lcs) {
        top = pushSubranges(0, 0, length, 0, b.length, longestI, longestJ, longestK);
      }
      while (top > 0) {
        int bhi = todo[--top];
        int blo = todo[--top];
        int ahi = todo[--top];
        int alo = todo[--top];
        longestRun(a, from, masks, alo, ahi, blo, bhi, lcs - matchedSoFar);
        if (runK > 0) {
          if (foundCount * 3 + 3 > found.length) {
            found = java.util.Arrays.copyOf(found, found.length * 2);
          }
          found[foundCount * 3] = runI;
          found[foundCount * 3 + 1] = runJ;
          found[foundCount * 3 + 2] = runK;
          foundCount++;
          matchedSoFar += runK;
          if (matchedSoFar >= lcs) {
            break;
          }
          top = pushSubranges(top, alo, ahi, blo, bhi, runI, runJ, runK);
        }
      }
      finish(foundCount);
    }

    /** Pushes the ranges before and after the run {@code (i, j, k)} of a range; returns the new top. */
    private int pushSubranges(int top, int alo, int ahi, int blo, int bhi, int i, int j, int k) {
      if (top + 8 > todo.length) {
        todo = java.util.Arrays.copyOf(todo, todo.length * 2);
      }
      if (alo < i && blo < j) {
        todo[top++] = alo;
        todo[top++] = i;
        todo[top++] = blo;
        todo[top++] = j;
      }
      if (i + k < ahi && j + k < bhi) {
        todo[top++] = i + k;
        todo[top++] = ahi;
        todo[top++] = j + k;
        todo[top++] = bhi;
      }
      return top;
    }

    /**
     * {@code longest(a, b, alo, ahi, blo, bhi)} into {@link #runI}, {@link #runJ}, {@link #runK}.
     * No run is longer than {@code budget} (what the LCS leaves to the blocks not found yet), so
     * the first row where a run reaches it ends the scan: a later row can only end runs that
     * start later, and the scan keeps only strict improvements.
     */
    private void longestRun(int[] a, int from, DenseLcs masks, int alo, int ahi, int blo, int bhi, int budget) {
      long range = (bhi == 64 ? -1L : (1L << bhi) - 1) & (-1L << blo);
      long[] lev = levels;
      int bestI = alo;
      int bestJ = blo;
      int bestK = 0;
      int depth = 0;
      for (int i = alo; i < ahi; i++) {
        long d = masks.mask(a[from + i] & PatternArena.ID) & range;
        if (d == 0L) {
          depth = 0;
          continue;
        }
        for (int k = depth + 1; k >= 2; k--) {
          lev[k] = (lev[k - 1] << 1) & d;
        }
        lev[1] = d;
        int newDepth = depth + 1;
        while (lev[newDepth] == 0L) {
          newDepth--;
        }
        depth = newDepth;
        if (depth > bestK) {
          bestK = depth;
          int end = Long.numberOfTrailingZeros(lev[depth]);
          bestI = i - depth + 1;
          bestJ = end - depth + 1;
          if (bestK >= budget) {
            break;
          }
        }
      }
      runI = bestI;
      runJ = bestJ;
      runK = bestK;
    }

    /** Summarises {@code blocks(a, b)}. */
    void summarise(int[] a) {
      int foundCount = 0;
      int top = 0;
      todo[top++] = 0;
      todo[top++] = a.length;
      todo[top++] = 0;
      todo[top++] = b.length;
      while (top > 0) {
        int bhi = todo[--top];
        int blo = todo[--top];
        int ahi = todo[--top];
        int alo = todo[--top];
        // longest(a, b, alo, ahi, blo, bhi), exactly as Matching.longest
        int bestI = alo;
        int bestJ = blo;
        int bestK = 0;
        int[] prev = previousRow;
        int[] cur = currentRow;
        for (int j = blo; j <= bhi; j++) {
          prev[j] = 0;
        }
        for (int i = alo; i < ahi; i++) {
          int x = a[i];
          for (int j = blo; j < bhi; j++) {
            if (b[j] == x) {
              int k = (j > blo ? prev[j - 1] : 0) + 1;
              cur[j] = k;
              if (k > bestK) {
                bestI = i - k + 1;
                bestJ = j - k + 1;
                bestK = k;
              }
            } else {
              cur[j] = 0;
            }
          }
          int[] swap = prev;
          prev = cur;
          cur = swap;
        }
        if (bestK > 0) {
          if (foundCount * 3 + 3 > found.length) {
            found = java.util.Arrays.copyOf(found, found.length * 2);
          }
          found[foundCount * 3] = bestI;
          found[foundCount * 3 + 1] = bestJ;
          found[foundCount * 3 + 2] = bestK;
          foundCount++;
          if (top + 8 > todo.length) {
            todo = java.util.Arrays.copyOf(todo, todo.length * 2);
          }
          if (alo < bestI && blo < bestJ) {
            todo[top++] = alo;
            todo[top++] = bestI;
            todo[top++] = blo;
            todo[top++] = bestJ;
          }
          if (bestI + bestK < ahi && bestJ + bestK < bhi) {
            todo[top++] = bestI + bestK;
            todo[top++] = ahi;
            todo[top++] = bestJ + bestK;
            todo[top++] = bhi;
          }
        }
      }
      finish(foundCount);
    }

    private void finish(int foundCount) {
      // the blocks are disjoint and ordered alike in a and in b: sorting by i sorts by (i, j, k)
      for (int x = 1; x < foundCount; x++) {
        int i = found[x * 3];
        int j = found[x * 3 + 1];
        int k = found[x * 3 + 2];
        int y = x - 1;
        while (y >= 0 && found[y * 3] > i) {
          found[y * 3 + 3] = found[y * 3];
          found[y * 3 + 4] = found[y * 3 + 1];
          found[y * 3 + 5] = found[y * 3 + 2];
          y--;
        }
        found[y * 3 + 3] = i;
        found[y * 3 + 4] = j;
        found[y * 3 + 5] = k;
      }
      int m = 0;
      int count = 0;
      int lastI = -1;
      int lastJ = -1;
      int lastK = 0;
      for (int x = 0; x < foundCount; x++) {
        int i = found[x * 3];
        int j = found[x * 3 + 1];
        int k = found[x * 3 + 2];
        m += k;
        if (count > 0 && lastI + lastK == i && lastJ + lastK == j) {
          lastK += k; // merged with the previous block
        } else {
          count++;
          lastI = i;
          lastJ = j;
          lastK = k;
        }
      }
      matched = m;
      blockCount = count;
      firstI = foundCount == 0 ? 0 : found[0];
      firstJ = foundCount == 0 ? 0 : found[1];
      lastEnd = foundCount == 0 ? 0 : lastI + lastK;
    }
  }

  /**
   * The longest run inside the ranges; among the longest, the one whose end comes first when
   * scanning {@code a} then {@code b} ascending (= smallest i, then smallest j).
   */
  private static Block longest(int[] a, int[] b, int alo, int ahi, int blo, int bhi,
      int[] previousRow, int[] currentRow) {
    int bestI = alo;
    int bestJ = blo;
    int bestK = 0;
    for (int j = blo; j <= bhi; j++) {
      previousRow[j] = 0;
    }
    for (int i = alo; i < ahi; i++) {
      int x = a[i];
      for (int j = blo; j < bhi; j++) {
        if (b[j] == x) {
          int k = (j > blo ? previousRow[j - 1] : 0) + 1;
          currentRow[j] = k;
          if (k > bestK) {
            bestI = i - k + 1;
            bestJ = j - k + 1;
            bestK = k;
          }
        } else {
          currentRow[j] = 0;
        }
      }
      int[] swap = previousRow;
      previousRow = currentRow;
      currentRow = swap;
    }
    return new Block(bestI, bestJ, bestK);
  }
}
