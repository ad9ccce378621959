package io.kato.engine;

import java.util.Locale;

/**
 * Metric of the nearest-vector search ({@code KATO_SIMILARITY_METRIC}, ENGINE.md §2.4.3). Each
 * metric yields a "distance" where smaller is nearer, so one ordering serves them all.
 */
public enum VectorMetric {
  EUCLIDEAN,
  COSINE,
  DOT,
  MANHATTAN;

  public static VectorMetric parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  /** Smaller is nearer. Both vectors have the same length. */
  double distance(double[] a, double[] b) {
    switch (this) {
      case EUCLIDEAN: {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
          double d = a[i] - b[i];
          sum += d * d;
        }
        return sum; // squared: same order as the distance itself
      }
      case MANHATTAN: {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
          sum += Math.abs(a[i] - b[i]);
        }
        return sum;
      }
      case DOT: {
        double dot = 0.0;
        for (int i = 0; i < a.length; i++) {
          dot += a[i] * b[i];
        }
        return -dot;
      }
      case COSINE: {
        double dot = 0.0;
        double na = 0.0;
        double nb = 0.0;
        for (int i = 0; i < a.length; i++) {
          dot += a[i] * b[i];
          na += a[i] * a[i];
          nb += b[i] * b[i];
        }
        double denominator = Math.sqrt(na) * Math.sqrt(nb);
        return denominator == 0.0 ? 1.0 : 1.0 - dot / denominator;
      }
      default:
        throw new AssertionError(this);
    }
  }
}
