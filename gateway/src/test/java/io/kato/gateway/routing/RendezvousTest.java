package io.kato.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

/** Weighted rendezvous hashing of API.md §6.4. */
class RendezvousTest {

  record W(String workerId, long capacity) implements Rendezvous.Candidate {}

  private static List<String> randomKeys(int n, long seed) {
    Random random = new Random(seed);
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("node_" + Long.toHexString(random.nextLong()) + "_kato");
    }
    return keys;
  }

  private static Map<String, Integer> spread(List<W> workers, List<String> keys) {
    Map<String, Integer> counts = new HashMap<>();
    for (String k : keys) {
      counts.merge(Rendezvous.owner(workers, k).workerId(), 1, Integer::sum);
    }
    return counts;
  }

  // ---- the exact formula ----------------------------------------------------------------------

  /** score = -capacity / ln(u), u = ((h >>> 11) + 0.5) / 2^53, h = low 64 bits of murmur3 x64-128 (seed 0). */
  private static double expectedScore(String workerId, long capacity, String key) {
    byte[] utf8 = (workerId + "\u0000" + key).getBytes(StandardCharsets.UTF_8);
    long h = MurmurHash3.hash128x64(utf8, 0, utf8.length, 0)[0];
    double u = ((double) (h >>> 11) + 0.5) / Math.pow(2, 53);
    return -((double) capacity) / Math.log(u);
  }

  @Test
  void scoreFollowsTheSpecFormula() {
    assertThat(Rendezvous.score("w1", 1, "k")).isEqualTo(expectedScore("w1", 1, "k"));
    assertThat(Rendezvous.score("w1", 3, "k")).isEqualTo(expectedScore("w1", 3, "k"));
    assertThat(Rendezvous.score("worker-\u00e9", 2, "n\u00f6de_kato"))
        .isEqualTo(expectedScore("worker-\u00e9", 2, "n\u00f6de_kato"));
  }

  @Test
  void scorePinnedToIndependentlyComputedValues() {
    // the murmur3 x64-128 implementation itself: well-known vectors ("hello" -> cbd8a7b341bd9b02 5b1e906a48ae1d19)
    long[] hello = MurmurHash3.hash128x64("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(hello[0]).isEqualTo(0xcbd8a7b341bd9b02L);
    assertThat(hello[1]).isEqualTo(0x5b1e906a48ae1d19L);
    // "w1\0k": h1 = 0xdc727a3da9149678, computed by an independent Python implementation of murmur3 x64-128
    byte[] w1k = "w1\u0000k".getBytes(StandardCharsets.UTF_8);
    assertThat(MurmurHash3.hash128x64(w1k)[0]).isEqualTo(0xdc727a3da9149678L);
    assertThat(Rendezvous.score("w1", 1, "k")).isEqualTo(6.688098231954106);
    assertThat(Rendezvous.score("w1", 3, "k")).isEqualTo(20.064294695862316);
    assertThat(Rendezvous.score("w2", 1, "k")).isEqualTo(1.3753725389474025);
    assertThat(Rendezvous.score("worker-\u00e9", 2, "n\u00f6de_kato")).isEqualTo(1.442399563991002);
  }

  @Test
  void separatorKeepsIdAndKeyApart() {
    assertThat(Rendezvous.score("w1", 1, "k")).isNotEqualTo(Rendezvous.score("w", 1, "1k"));
  }

  @Test
  void capacityBelowOneCountsAsOne() {
    assertThat(Rendezvous.score("w1", 0, "k")).isEqualTo(Rendezvous.score("w1", 1, "k"));
    assertThat(Rendezvous.score("w1", -4, "k")).isEqualTo(Rendezvous.score("w1", 1, "k"));
  }

  @Test
  void scoreIsPositiveAndFinite() {
    for (String k : randomKeys(500, 7)) {
      double s = Rendezvous.score("w", 1, k);
      assertThat(s).isPositive();
      assertThat(Double.isFinite(s)).isTrue();
    }
  }

  // ---- owner ----------------------------------------------------------------------------------

  @Test
  void emptyCandidatesHaveNoOwner() {
    assertThat(Rendezvous.owner(List.<W>of(), "k")).isNull();
  }

  @Test
  void singleCandidateAlwaysWins() {
    W only = new W("w1", 1);
    for (String k : randomKeys(50, 1)) {
      assertThat(Rendezvous.owner(List.of(only), k)).isSameAs(only);
    }
  }

  @Test
  void ownerIsTheHighestScoreAndDeterministic() {
    List<W> workers = List.of(new W("w1", 1), new W("w2", 1), new W("w3", 2));
    // "k": w1 6.688, w2 1.375, w3 (capacity 2) 34.460 (independent Python computation)
    assertThat(Rendezvous.score("w3", 2, "k")).isEqualTo(34.4603285492724);
    assertThat(Rendezvous.owner(workers, "k").workerId()).isEqualTo("w3");
    assertThat(Rendezvous.owner(workers.subList(0, 2), "k").workerId()).isEqualTo("w1");
    for (String k : randomKeys(300, 2)) {
      W best = null;
      for (W w : workers) {
        if (best == null || expectedScore(w.workerId(), w.capacity(), k)
            > expectedScore(best.workerId(), best.capacity(), k)) {
          best = w;
        }
      }
      assertThat(Rendezvous.owner(workers, k)).isEqualTo(best);
      assertThat(Rendezvous.owner(workers, k)).isEqualTo(Rendezvous.owner(workers, k));
    }
  }

  @Test
  void candidateOrderDoesNotMatter() {
    List<W> workers = new ArrayList<>(List.of(new W("a", 1), new W("b", 2), new W("c", 1), new W("d", 3)));
    Random random = new Random(3);
    for (String k : randomKeys(300, 4)) {
      String expected = Rendezvous.owner(workers, k).workerId();
      Collections.shuffle(workers, random);
      assertThat(Rendezvous.owner(workers, k).workerId()).isEqualTo(expected);
    }
  }

  @Test
  void equalScoresKeepTheFirstSmallestId() {
    // the same worker listed twice scores identically: the tie must not flip to the later entry
    W first = new W("w1", 1);
    W again = new W("w1", 1);
    assertThat(Rendezvous.owner(List.of(first, again), "k")).isSameAs(first);
    assertThat(Rendezvous.owner(List.of(again, first), "k")).isSameAs(again);
  }

  // ---- distribution ---------------------------------------------------------------------------

  @Test
  void threeEqualWorkersShareKeysEvenly() {
    List<W> workers = List.of(new W("w1", 1), new W("w2", 1), new W("w3", 1));
    List<String> keys = randomKeys(3000, 42);
    Map<String, Integer> counts = spread(workers, keys);
    assertThat(counts).containsOnlyKeys("w1", "w2", "w3");
    for (int c : counts.values()) {
      assertThat(c / 3000.0).isBetween(0.25, 0.42);
    }
  }

  @Test
  void aFourthWorkerTakesAboutAQuarterAndNothingElseMoves() {
    List<W> three = List.of(new W("w1", 1), new W("w2", 1), new W("w3", 1));
    List<W> four = List.of(new W("w1", 1), new W("w2", 1), new W("w3", 1), new W("w4", 1));
    List<String> keys = randomKeys(3000, 43);
    int moved = 0;
    for (String k : keys) {
      String before = Rendezvous.owner(three, k).workerId();
      String after = Rendezvous.owner(four, k).workerId();
      if (!before.equals(after)) {
        assertThat(after).as("key %s moved between old workers", k).isEqualTo("w4");
        moved++;
      } else {
        assertThat(after).isNotEqualTo("w4");
      }
    }
    assertThat(moved / 3000.0).isBetween(0.18, 0.32);
  }

  @Test
  void removingAWorkerMovesOnlyItsKeys() {
    List<W> three = List.of(new W("w1", 1), new W("w2", 1), new W("w3", 1));
    List<W> two = List.of(new W("w1", 1), new W("w3", 1));
    for (String k : randomKeys(1000, 44)) {
      String before = Rendezvous.owner(three, k).workerId();
      if (!before.equals("w2")) {
        assertThat(Rendezvous.owner(two, k).workerId()).isEqualTo(before);
      }
    }
  }

  @Test
  void capacityTwoGetsAboutTwiceTheKeys() {
    List<W> workers = List.of(new W("big", 2), new W("small", 1));
    List<String> keys = randomKeys(3000, 45);
    Map<String, Integer> counts = spread(workers, keys);
    double big = counts.get("big") / 3000.0;
    assertThat(big).isCloseTo(2.0 / 3.0, within(0.05));
    double ratio = counts.get("big") / (double) counts.get("small");
    assertThat(ratio).isBetween(1.6, 2.5);
  }
}
