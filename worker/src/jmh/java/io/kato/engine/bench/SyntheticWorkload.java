package io.kato.engine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic workload of the performance issue: an alphabet of 2,000 symbols drawn Zipf
 * (s = 1), patterns of 5–12 events of 1–3 symbols, and queries of 2–4 consecutive events cut
 * from a learned pattern with some symbols replaced, dropped or added. Seeded: every run
 * generates the same data.
 */
public final class SyntheticWorkload {
  public static final int ALPHABET = 2000;

  private final SplittableRandom random;
  private final double[] cumulative = new double[ALPHABET];

  public SyntheticWorkload(long seed) {
    this.random = new SplittableRandom(seed);
    double sum = 0.0;
    for (int rank = 1; rank <= ALPHABET; rank++) {
      sum += 1.0 / rank;
      cumulative[rank - 1] = sum;
    }
    for (int i = 0; i < ALPHABET; i++) {
      cumulative[i] /= sum;
    }
  }

  public String symbol() {
    double u = random.nextDouble();
    int lo = 0;
    int hi = ALPHABET - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return "s" + lo;
  }

  public List<List<String>> pattern() {
    int events = 5 + random.nextInt(8);
    List<List<String>> out = new ArrayList<>(events);
    for (int e = 0; e < events; e++) {
      int symbols = 1 + random.nextInt(3);
      List<String> event = new ArrayList<>(symbols);
      for (int s = 0; s < symbols; s++) {
        event.add(symbol());
      }
      out.add(event);
    }
    return out;
  }

  /** 2–4 consecutive events of {@code source}, each symbol replaced/dropped/added with p = 0.1. */
  public List<List<String>> query(List<List<String>> source) {
    int length = Math.min(source.size(), 2 + random.nextInt(3));
    int start = random.nextInt(source.size() - length + 1);
    List<List<String>> out = new ArrayList<>(length);
    for (List<String> event : source.subList(start, start + length)) {
      List<String> noisy = new ArrayList<>();
      for (String s : event) {
        double u = random.nextDouble();
        if (u < 0.1) {
          noisy.add(symbol()); // replaced
        } else if (u >= 0.2) {
          noisy.add(s); // kept (0.1 ≤ u < 0.2: dropped)
        }
      }
      if (random.nextDouble() < 0.1 || noisy.isEmpty()) {
        noisy.add(symbol()); // added
      }
      out.add(noisy);
    }
    return out;
  }
}
