package io.kato.engine.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Rounds the exact binary value of a double, scaled by a power of ten, half-even to an integer:
 * what numpy does when a component needs more than 8 digits (ENGINE.md §2.5, §7 item 2).
 *
 * <p>Why not only {@code new BigDecimal(x).setScale(…)}: that is exact but expands the double
 * to dozens of digits, microseconds per component, and vectors of real-valued embeddings take
 * this path for nearly every component. For the usual magnitudes the same result comes from
 * 128-bit integer arithmetic on the significand ({@code x = c · 2^q}, so the scaled value is
 * {@code c · 10^p / 2^-q}); everything else falls back to {@link BigDecimal}.
 */
final class DecimalRounding {

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = 10 * POWERS_OF_TEN[i - 1];
        }
    }

    private DecimalRounding() {
    }

    /** {@code 10^n} for 0 <= n <= 18. */
    static long powerOfTen(int n) {
        return POWERS_OF_TEN[n];
    }

    /**
     * The exact value of {@code magnitude × 10^powerOfTen}, rounded half-even to an integer.
     *
     * @param magnitude  a finite non-negative double
     * @param powerOfTen any exponent, as long as the result fits in a {@code long}
     */
    static long roundHalfEvenScaled(double magnitude, int powerOfTen) {
        long bits = Double.doubleToRawLongBits(magnitude);
        int biasedExponent = (int) (bits >>> 52);
        long fraction = bits & ((1L << 52) - 1);
        long significand = biasedExponent == 0 ? fraction : fraction | 1L << 52;
        int shift = 1075 - Math.max(biasedExponent, 1); // magnitude = significand / 2^shift
        if (powerOfTen >= 0 && powerOfTen < POWERS_OF_TEN.length && shift > 0 && shift < 128) {
            long power = POWERS_OF_TEN[powerOfTen];
            // significand < 2^53 and power < 2^63: the product fits in 128 unsigned bits.
            return shiftRightHalfEven(Math.multiplyHigh(significand, power), significand * power, shift);
        }
        return new BigDecimal(magnitude).scaleByPowerOfTen(powerOfTen)
                .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** {@code (high · 2^64 + low) / 2^shift} rounded half-even, for 0 < shift < 128 and a quotient below 2^63. */
    private static long shiftRightHalfEven(long high, long low, int shift) {
        long quotient;
        int remainderVersusHalf;
        if (shift < 64) {
            quotient = high << (64 - shift) | low >>> shift;
            long remainder = low & ((1L << shift) - 1);
            remainderVersusHalf = Long.compareUnsigned(remainder, 1L << (shift - 1));
        } else if (shift == 64) {
            quotient = high;
            remainderVersusHalf = Long.compareUnsigned(low, 1L << 63);
        } else {
            quotient = high >>> (shift - 64);
            long remainderHigh = high & ((1L << (shift - 64)) - 1);
            long halfHigh = 1L << (shift - 65);
            remainderVersusHalf = remainderHigh != halfHigh
                    ? Long.compareUnsigned(remainderHigh, halfHigh)
                    : low == 0 ? 0 : 1;
        }
        boolean roundUp = remainderVersusHalf > 0 || remainderVersusHalf == 0 && (quotient & 1) == 1;
        return roundUp ? quotient + 1 : quotient;
    }
}
