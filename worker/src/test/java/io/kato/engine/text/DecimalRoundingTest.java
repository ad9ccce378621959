package io.kato.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DecimalRoundingTest {

    private static long reference(double magnitude, int powerOfTen) {
        return new BigDecimal(magnitude).scaleByPowerOfTen(powerOfTen).setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    @Test
    void exactTiesRoundToEven() {
        assertThat(DecimalRounding.roundHalfEvenScaled(0.001953125, 8)).isEqualTo(195312);
        assertThat(DecimalRounding.roundHalfEvenScaled(0.5, 0)).isZero();
        assertThat(DecimalRounding.roundHalfEvenScaled(1.5, 0)).isEqualTo(2);
        assertThat(DecimalRounding.roundHalfEvenScaled(2.5, 0)).isEqualTo(2);
        // Just below a decimal tie: the binary value decides, not the shortest decimal.
        assertThat(DecimalRounding.roundHalfEvenScaled(0.000100015, 8)).isEqualTo(10001);
    }

    @Test
    void fallbackCasesAgreeWithBigDecimal() {
        assertThat(DecimalRounding.roundHalfEvenScaled(1e-300, 308)).isEqualTo(reference(1e-300, 308));
        assertThat(DecimalRounding.roundHalfEvenScaled(Double.MIN_VALUE, 331)).isEqualTo(reference(Double.MIN_VALUE, 331));
        assertThat(DecimalRounding.roundHalfEvenScaled(1.2345678901e20, -12)).isEqualTo(123456789);
        assertThat(DecimalRounding.roundHalfEvenScaled(0.0, 8)).isZero();
        assertThat(DecimalRounding.roundHalfEvenScaled(4503599627370497.0, 0)).isEqualTo(4503599627370497L);
    }

    /** The scalings VectorText uses: 8 decimals (positional) and 8 - E (scientific) for mantissas in [1, 10]. */
    @Property(tries = 20000)
    void agreesWithBigDecimal(@ForAll("scaledMagnitudes") double[] magnitudeAndPower) {
        double magnitude = magnitudeAndPower[0];
        int powerOfTen = (int) magnitudeAndPower[1];
        assertThat(DecimalRounding.roundHalfEvenScaled(magnitude, powerOfTen))
                .isEqualTo(reference(magnitude, powerOfTen));
    }

    @Provide
    Arbitrary<double[]> scaledMagnitudes() {
        Arbitrary<double[]> positional = Arbitraries.doubles().between(0, 1e8)
                .map(x -> new double[] {x, 8});
        Arbitrary<double[]> scientific = Combinators.combine(
                        Arbitraries.doubles().between(1, 10), Arbitraries.integers().between(-320, 300))
                .as((mantissa, e) -> new double[] {mantissa * Math.pow(10, e), 8 - e})
                .filter(pair -> Double.isFinite(pair[0]) && pair[0] > 0
                        && Math.abs(reference(pair[0], (int) pair[1])) < 2_000_000_000L);
        Arbitrary<double[]> ties = Combinators.combine(
                        Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 40))
                .as((numerator, e) -> new double[] {Math.scalb((double) numerator, -e), 8});
        return Arbitraries.oneOf(positional, scientific, ties);
    }
}
