package io.kato.engine;

/**
 * Floating-point reductions in the association order upstream's numpy/BLAS uses
 * (PREDICTIONS.md §8.2), so that ensemble metrics match to the last bit where that is possible.
 */
final class EngineMath {
  private EngineMath() {}

  private static final double LN_2 = Math.log(2.0);

  /** numpy's pairwise summation of {@code add.reduce} over a contiguous row. */
  static double pairwiseSum(double[] x, int offset, int n) {
    if (n < 8) {
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        sum += x[offset + i];
      }
      return sum;
    }
    if (n <= 128) {
      double r0 = x[offset];
      double r1 = x[offset + 1];
      double r2 = x[offset + 2];
      double r3 = x[offset + 3];
      double r4 = x[offset + 4];
      double r5 = x[offset + 5];
      double r6 = x[offset + 6];
      double r7 = x[offset + 7];
      int blocked = n - n % 8;
      for (int i = 8; i < blocked; i += 8) {
        r0 += x[offset + i];
        r1 += x[offset + i + 1];
        r2 += x[offset + i + 2];
        r3 += x[offset + i + 3];
        r4 += x[offset + i + 4];
        r5 += x[offset + i + 5];
        r6 += x[offset + i + 6];
        r7 += x[offset + i + 7];
      }
      double sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (int i = blocked; i < n; i++) {
        sum += x[offset + i];
      }
      return sum;
    }
    int half = n / 2;
    half -= half % 8;
    return pairwiseSum(x, offset, half) + pairwiseSum(x, offset + half, n - half);
  }

  /**
   * {@link #pairwiseSum} of a row of non-negative values given sparsely: {@code values[k]} sits at
   * column {@code columns[k]} (ascending), every other column of the {@code n}-wide row is 0.0.
   * Exactly equal to the dense sum: the recursion splits by column ranges as numpy does, and
   * adding +0.0 to a non-negative partial sum never changes it, so the zeros can be skipped.
   */
  static double pairwiseSumSparse(int[] columns, double[] values, int count, int n) {
    return sparseRange(columns, values, 0, count, 0, n);
  }

  /** Entries {@code [from, to)} all lie in columns {@code [start, start + n)}. */
  private static double sparseRange(int[] columns, double[] values, int from, int to, int start, int n) {
    if (from == to) {
      return 0.0;
    }
    if (n < 8) {
      double sum = 0.0;
      for (int k = from; k < to; k++) {
        sum += values[k];
      }
      return sum;
    }
    if (n <= 128) {
      double[] r = new double[8];
      int blockedEnd = start + n - n % 8;
      int k = from;
      for (; k < to && columns[k] < blockedEnd; k++) {
        r[(columns[k] - start) % 8] += values[k];
      }
      double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; k < to; k++) {
        sum += values[k];
      }
      return sum;
    }
    int half = n / 2;
    half -= half % 8;
    int split = from;
    while (split < to && columns[split] < start + half) {
      split++;
    }
    return sparseRange(columns, values, from, split, start, half)
        + sparseRange(columns, values, split, to, start + half, n - half);
  }

  /** OpenBLAS {@code ddot} as observed on the reference machine (§8.2). */
  static double ddot(double[] x, double[] y, int n) {
    int n16 = n - n % 16;
    int n32 = n16 - n16 % 32;
    double s = 0.0;
    if (n16 > 0) {
      double[][] acc = new double[4][8];
      for (int b = 0; b < n32; b += 32) {
        for (int r = 0; r < 4; r++) {
          for (int l = 0; l < 8; l++) {
            int i = b + 8 * r + l;
            acc[r][l] = Math.fma(x[i], y[i], acc[r][l]);
          }
        }
      }
      double[][] c = new double[4][4];
      for (int r = 0; r < 4; r++) {
        for (int l = 0; l < 4; l++) {
          c[r][l] = acc[r][l] + acc[r][l + 4];
        }
      }
      if (n16 > n32) {
        for (int r = 0; r < 4; r++) {
          for (int l = 0; l < 4; l++) {
            int i = n32 + 4 * r + l;
            c[r][l] = Math.fma(x[i], y[i], c[r][l]);
          }
        }
      }
      double[] v = new double[4];
      for (int l = 0; l < 4; l++) {
        v[l] = ((c[0][l] + c[1][l]) + c[2][l]) + c[3][l];
      }
      s = (v[0] + v[2]) + (v[1] + v[3]);
    }
    for (int k = n16; k < n; k++) {
      s = Math.fma(y[k], x[k], s);
    }
    return s;
  }

  static double log2(double x) {
    return Math.log(x) / LN_2;
  }
}
