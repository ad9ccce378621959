package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The matching primitives against their definitions (PREDICTIONS.md §3–§4). */
class MatchingTest {

  @Property(tries = 300)
  void bitParallelLcsEqualsTheDynamicProgramme(
      @ForAll @Size(max = 70) List<@IntRange(min = -3, max = 6) Integer> state,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 6) Integer> pattern) {
    int[] s = state.stream().mapToInt(Integer::intValue).toArray();
    int[] p = pattern.stream().mapToInt(Integer::intValue).toArray();
    assertThat(new Matching.LcsAgainst(s).lcsLength(p)).isEqualTo(Matching.lcsLength(p, s));
  }

  @Test
  void lcsCountsNonContiguousMatches() {
    // E4: pattern [a, b, a], state [b, c, a]: LCS (b, a) = 2, the greedy block only 1
    int[] pattern = {0, 1, 0};
    int[] state = {1, 2, 0};
    assertThat(Matching.lcsLength(pattern, state)).isEqualTo(2);
    assertThat(Matching.blocks(pattern, state)).containsExactly(new Matching.Block(0, 2, 1));
  }

  @Test
  void blocksAreGreedyLongestFirstAndMerged() {
    // E3: pattern a b c d e, state a c x e → three blocks
    int[] pattern = {0, 1, 2, 3, 4};
    int[] state = {0, 2, 9, 4};
    assertThat(Matching.blocks(pattern, state)).containsExactly(
        new Matching.Block(0, 0, 1), new Matching.Block(2, 1, 1), new Matching.Block(4, 3, 1));
    // the earliest of equally long runs wins
    assertThat(Matching.blocks(new int[] {5, 5}, new int[] {5})).containsExactly(new Matching.Block(0, 0, 1));
  }

  @Test
  void indelRatioIsRapidfuzzRatio() {
    int[] hello = "hello".codePoints().toArray();
    int[] hallo = "hallo".codePoints().toArray();
    assertThat(Matching.indelRatio(hello, hallo)).isEqualTo(80.0);
    assertThat(Matching.indelRatio(new int[0], new int[0])).isEqualTo(100.0);
  }
}
