package io.kato.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Weighted rendezvous (highest-random-weight) hashing of API.md §6.4: every gateway computes
 * the same owner from the same live set, and a joining worker takes over only the keys it now
 * wins (about 1/N of them).
 */
public final class Rendezvous {
  private Rendezvous() {}

  private static final double TWO_POW_53 = 0x1p53;

  /** A placement candidate: its id and capacity (weight, at least 1). */
  public interface Candidate {
    String workerId();

    long capacity();
  }

  /** score = -capacity / ln(u), u = ((h >>> 11) + 0.5) / 2^53, h = murmur3 x64-128 (low 64 bits). */
  public static double score(String workerId, long capacity, String key) {
    byte[] bytes = (workerId + "\u0000" + key).getBytes(StandardCharsets.UTF_8);
    long h = MurmurHash3.hash128x64(bytes)[0];
    double u = ((h >>> 11) + 0.5) / TWO_POW_53;
    return -Math.max(1, capacity) / Math.log(u);
  }

  /** The winner for {@code key}; ties go to the smaller worker id. Null when there is no candidate. */
  public static <C extends Candidate> C owner(Collection<C> candidates, String key) {
    C best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (C c : candidates) {
      double s = score(c.workerId(), c.capacity(), key);
      if (best == null || s > bestScore || (s == bestScore && c.workerId().compareTo(best.workerId()) < 0)) {
        best = c;
        bestScore = s;
      }
    }
    return best;
  }
}
