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

  @Property(tries = 500)
  void denseLcsEqualsTheDynamicProgramme(
      @ForAll @Size(max = 64) List<@IntRange(min = -3, max = 6) Integer> state,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 6) Integer> pattern) {
    int[] s = state.stream().mapToInt(Integer::intValue).toArray();
    int[] p = pattern.stream().mapToInt(Integer::intValue).toArray();
    long[] table = new long[7];
    Matching.DenseLcs dense = new Matching.DenseLcs(s, table);
    assertThat(dense.lcsLength(p)).isEqualTo(Matching.lcsLength(p, s));
    assertThat(dense.release()).containsOnly(0L);
  }

  /** Both block summaries (scalar and bit-parallel) describe exactly what {@code blocks} returns. */
  @Property(tries = 1000)
  void blockSummariesDescribeTheBlocks(
      @ForAll @Size(min = 1, max = 64) List<@IntRange(min = -2, max = 5) Integer> state,
      @ForAll @Size(max = 70) List<@IntRange(min = 0, max = 5) Integer> pattern) {
    int[] s = state.stream().mapToInt(Integer::intValue).toArray();
    int[] p = pattern.stream().mapToInt(Integer::intValue).toArray();
    List<Matching.Block> blocks = Matching.blocks(p, s);
    int matched = blocks.stream().mapToInt(Matching.Block::k).sum();
    Matching.BlockSummary summary = new Matching.BlockSummary(s);
    Matching.DenseLcs masks = new Matching.DenseLcs(s, new long[6]);
    int lcs = Matching.lcsLength(p, s);
    for (int variant = 0; variant < 3; variant++) {
      if (variant == 0) {
        summary.summarise(p);
      } else if (variant == 1) {
        summary.summarise(p, masks);
      } else {
        summary.summarise(p, 0, p.length, masks, lcs); // stops once the blocks hold the LCS
      }
      assertThat(summary.blockCount).as("variant %d", variant).isEqualTo(blocks.size());
      assertThat(summary.matched).as("variant %d", variant).isEqualTo(matched);
      if (!blocks.isEmpty()) {
        // summarise starts with the longest block, the first one of that length
        int longest = blocks.stream().mapToInt(Matching.Block::k).max().getAsInt();
        Matching.Block firstLongest = blocks.stream().filter(b -> b.k() == longest).findFirst().get();
        summary.findLongestBlock(p, 0, p.length, masks, variant == 2 ? lcs : Integer.MAX_VALUE);
        assertThat(new int[] {summary.longestI, summary.longestJ, summary.longestK}).as("variant %d", variant)
            .containsExactly(firstLongest.i(), firstLongest.j(), firstLongest.k());
        summary.summariseRest(p, 0, p.length, masks, variant == 2 ? lcs : Integer.MAX_VALUE);
        Matching.Block first = blocks.get(0);
        Matching.Block last = blocks.get(blocks.size() - 1);
        assertThat(new int[] {summary.firstI, summary.firstJ, summary.lastEnd}).as("variant %d", variant)
            .containsExactly(first.i(), first.j(), last.i() + last.k());
      }
    }
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
