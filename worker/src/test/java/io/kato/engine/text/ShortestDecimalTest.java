package io.kato.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ShortestDecimalTest {

    /**
     * The definition, by brute force: for p = 1, 2, … the p-digit decimals just below and just
     * above the exact value; the first p where one parses back to x wins, the closer one (ties:
     * even last digit) if both do.
     */
    static ShortestDecimal.Digits bruteForce(double x) {
        if (x == 0) {
            return new ShortestDecimal.Digits("0", 1);
        }
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            BigDecimal below = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean belowRoundTrips = roundTrips(below, x);
            boolean aboveRoundTrips = roundTrips(above, x);
            if (belowRoundTrips && aboveRoundTrips) {
                int comparison = exact.subtract(below).compareTo(above.subtract(exact));
                boolean belowIsEven = below.unscaledValue().testBit(0) == false;
                return digitsOf(comparison < 0 || comparison == 0 && belowIsEven ? below : above);
            }
            if (belowRoundTrips || aboveRoundTrips) {
                return digitsOf(belowRoundTrips ? below : above);
            }
        }
        throw new AssertionError("17 digits always round-trip: " + x);
    }

    private static boolean roundTrips(BigDecimal candidate, double x) {
        return Double.doubleToRawLongBits(Double.parseDouble(candidate.toString())) == Double.doubleToRawLongBits(x);
    }

    private static ShortestDecimal.Digits digitsOf(BigDecimal decimal) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        return new ShortestDecimal.Digits(digits, digits.length() - stripped.scale());
    }

    @Test
    void examples() {
        assertThat(ShortestDecimal.of(1.5)).isEqualTo(new ShortestDecimal.Digits("15", 1));
        assertThat(ShortestDecimal.of(150)).isEqualTo(new ShortestDecimal.Digits("15", 3));
        assertThat(ShortestDecimal.of(0.015)).isEqualTo(new ShortestDecimal.Digits("15", -1));
        assertThat(ShortestDecimal.of(0.0)).isEqualTo(new ShortestDecimal.Digits("0", 1));
        assertThat(ShortestDecimal.of(5e-324)).isEqualTo(new ShortestDecimal.Digits("5", -323));
        assertThat(ShortestDecimal.of(1e-323)).isEqualTo(new ShortestDecimal.Digits("1", -322));
        assertThat(ShortestDecimal.of(1e23)).isEqualTo(new ShortestDecimal.Digits("1", 24));
        assertThat(ShortestDecimal.of(0.1 + 0.2)).isEqualTo(new ShortestDecimal.Digits("30000000000000004", 0));
        assertThat(ShortestDecimal.of(Double.MAX_VALUE)).isEqualTo(new ShortestDecimal.Digits("17976931348623157", 309));
    }

    @Test
    void rejectsNegativeAndNonFinite() {
        assertThatThrownBy(() -> ShortestDecimal.of(-1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShortestDecimal.of(-0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShortestDecimal.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShortestDecimal.of(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smallestSubnormalsAndEveryPowerOfTwoAgreeWithBruteForce() {
        for (long bits = 1; bits <= 2000; bits++) {
            double x = Double.longBitsToDouble(bits);
            assertThat(ShortestDecimal.of(x)).as("bits %d", bits).isEqualTo(bruteForce(x));
        }
        for (int e = -1074; e <= 1023; e++) {
            double power = Math.scalb(1.0, e);
            for (double x : new double[] {power, Math.nextDown(power), Math.nextUp(power)}) {
                if (Double.isFinite(x)) {
                    assertThat(ShortestDecimal.of(x)).as("%s", x).isEqualTo(bruteForce(x));
                }
            }
        }
    }

    @Test
    void powersOfTenAndTheirNeighboursAgreeWithBruteForce() {
        for (int e = -323; e <= 308; e++) {
            double power = Double.parseDouble("1e" + e);
            for (double x : new double[] {power, Math.nextDown(power), Math.nextUp(power)}) {
                assertThat(ShortestDecimal.of(x)).as("%s", x).isEqualTo(bruteForce(x));
            }
        }
    }

    @Property(tries = 20000)
    void randomBitPatternsAgreeWithBruteForce(@ForAll("finiteNonNegativeDoubles") double x) {
        assertThat(ShortestDecimal.of(x)).isEqualTo(bruteForce(x));
    }

    @Property(tries = 20000)
    void randomShortDecimalsAgreeWithBruteForce(@ForAll("shortDecimals") double x) {
        assertThat(ShortestDecimal.of(x)).isEqualTo(bruteForce(x));
    }

    @Provide
    Arbitrary<Double> finiteNonNegativeDoubles() {
        return Arbitraries.longs().map(bits -> Math.abs(Double.longBitsToDouble(bits))).filter(Double::isFinite);
    }

    /** Decimals of 1 to 17 digits at any exponent: where shortening and ties matter most. */
    @Provide
    Arbitrary<Double> shortDecimals() {
        Arbitrary<Integer> digitCount = Arbitraries.integers().between(1, 17);
        Arbitrary<Long> raw = Arbitraries.longs().between(1, 99_999_999_999_999_999L);
        Arbitrary<Integer> exponent = Arbitraries.integers().between(-345, 310);
        return Combinators.combine(digitCount, raw, exponent)
                .as((digits, mantissa, e) -> Double.parseDouble(mantissa % pow10(digits) + "e" + e))
                .filter(x -> Double.isFinite(x) && x != 0);
    }

    private static long pow10(int n) {
        long power = 1;
        for (int i = 0; i < n; i++) {
            power *= 10;
        }
        return power;
    }
}
