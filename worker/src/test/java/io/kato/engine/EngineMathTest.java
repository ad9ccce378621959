package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** numpy-order reductions: the sparse pairwise sum is bit-identical to the dense one. */
class EngineMathTest {

  @Property(tries = 300)
  void sparsePairwiseSumEqualsTheDenseSum(@ForAll @IntRange(min = 0, max = 700) int n,
      @ForAll @IntRange(min = 0, max = 100) int density, @ForAll long seed) {
    Random random = new Random(seed);
    double[] dense = new double[n];
    int[] columns = new int[n];
    double[] values = new double[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (random.nextInt(100) < density) {
        double v = random.nextDouble() * Math.pow(10, random.nextInt(6) - 3);
        dense[i] = v;
        columns[count] = i;
        values[count++] = v;
      }
    }
    assertThat(Double.doubleToRawLongBits(EngineMath.pairwiseSumSparse(columns, values, count, n)))
        .isEqualTo(Double.doubleToRawLongBits(EngineMath.pairwiseSum(dense, 0, n)));
  }

  @Test
  void pairwiseSumUsesEightPartialSumsBetween8And128() {
    double[] x = new double[9];
    java.util.Arrays.fill(x, 0.1);
    double r = 0.1;
    double expected = ((r + r) + (r + r)) + ((r + r) + (r + r)) + 0.1;
    assertThat(EngineMath.pairwiseSum(x, 0, 9)).isEqualTo(expected);
  }
}
