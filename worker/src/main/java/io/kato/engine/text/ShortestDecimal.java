package io.kato.engine.text;

import java.math.BigInteger;

/**
 * Shortest round-trip decimal digits of a finite double, as Python's {@code repr(float)}
 * (David Gay's dtoa, mode 0) produces them: the fewest significant digits that parse back
 * to exactly the same double, and among those the decimal closest to the exact binary
 * value (an exact tie keeps the even last digit).
 *
 * <p>Why not {@code Double.toString}: on JDK 17 it is sometimes longer than necessary or
 * not the closest; on JDK 19+ it is Schubfach but prints two digits where one suffices
 * ({@code 4.9E-324} where Python prints {@code 5e-324}). This class is Raffaello Giulietti's
 * Schubfach algorithm ("The Schubfach way to render doubles", 2021, the algorithm of
 * JDK 19's {@code DoubleToDecimal}) without that two-digit minimum: it always tries the
 * one-digit-shorter candidates, which is exactly Python's "fewest digits" rule.
 *
 * <p>The 126-bit approximations of powers of ten that Schubfach needs are computed once,
 * exactly, with {@link BigInteger} when the class is initialised.
 */
public final class ShortestDecimal {

    /**
     * The shortest decimal of a non-negative double: {@code value = 0.d1d2…dn × 10^exponent}.
     *
     * @param digits   the significant digits {@code d1…dn}, no leading or trailing zeros
     *                 ({@code "15"} for 1.5, 150 and 0.015); {@code "0"} for zero
     * @param exponent the decimal exponent; zero is {@code ("0", 1)}, so that
     *                 {@code exponent - 1} is the scientific exponent in every case
     */
    public record Digits(String digits, int exponent) {
    }

    private static final int SIGNIFICAND_BITS = 53;
    private static final int MIN_BINARY_EXPONENT = -1074;
    private static final long HIDDEN_BIT = 1L << (SIGNIFICAND_BITS - 1);
    private static final long FRACTION_MASK = HIDDEN_BIT - 1;
    private static final int BIASED_EXPONENT_MASK = 0x7FF;
    private static final long MASK_63 = (1L << 63) - 1;
    /** Subnormal significands below this are too few bits for the algorithm: they are scaled by 10 first. */
    private static final long TINY_SIGNIFICAND = 3;

    private static final int MIN_POWER_OF_TEN = -324;
    private static final int MAX_POWER_OF_TEN = 292;
    /** {@code g(k) = floor(10^-k · 2^-r) + 1} with {@code 2^125 <= 10^-k · 2^-r < 2^126}, split as {@code g1·2^63 + g0}. */
    private static final long[] POWER_OF_TEN_HIGH;
    private static final long[] POWER_OF_TEN_LOW;

    static {
        int count = MAX_POWER_OF_TEN - MIN_POWER_OF_TEN + 1;
        POWER_OF_TEN_HIGH = new long[count];
        POWER_OF_TEN_LOW = new long[count];
        for (int k = MIN_POWER_OF_TEN; k <= MAX_POWER_OF_TEN; k++) {
            BigInteger g = scaledPowerOfTen(-k).add(BigInteger.ONE);
            POWER_OF_TEN_HIGH[k - MIN_POWER_OF_TEN] = g.shiftRight(63).longValueExact();
            POWER_OF_TEN_LOW[k - MIN_POWER_OF_TEN] = g.longValue() & MASK_63;
        }
    }

    private ShortestDecimal() {
    }

    /**
     * The shortest round-trip digits of {@code absValue}.
     *
     * @throws IllegalArgumentException if {@code absValue} is negative, NaN or infinite
     */
    public static Digits of(double absValue) {
        long bits = Double.doubleToRawLongBits(absValue);
        if (bits < 0 || !Double.isFinite(absValue)) {
            throw new IllegalArgumentException("not a finite non-negative double: " + absValue);
        }
        long fraction = bits & FRACTION_MASK;
        int biasedExponent = (int) (bits >>> (SIGNIFICAND_BITS - 1)) & BIASED_EXPONENT_MASK;
        if (biasedExponent != 0) {
            int q = MIN_BINARY_EXPONENT - 1 + biasedExponent;
            long c = HIDDEN_BIT | fraction;
            // A double that is an integer below 2^53 is its own shortest decimal (paper, section 8.3).
            if (-SIGNIFICAND_BITS < q && q < 0) {
                long integer = c >> -q;
                if (integer << -q == c) {
                    return normalise(integer, 0);
                }
            }
            return shortest(q, c, 0);
        }
        if (fraction == 0) {
            return new Digits("0", 1);
        }
        return fraction < TINY_SIGNIFICAND
                ? shortest(MIN_BINARY_EXPONENT, 10 * fraction, -1)
                : shortest(MIN_BINARY_EXPONENT, fraction, 0);
    }

    /**
     * Schubfach for {@code v = c · 2^q × 10^scaleExponent}: figure 7 of the paper with the
     * efficient computations of its figure 9. Names ending in {@code b} hold values scaled by 4,
     * so that the bounds of the rounding interval (half-way to the neighbours) are integers.
     */
    private static Digits shortest(int q, long c, int scaleExponent) {
        // Round-half-even parsing maps the interval bounds to v only when c is even.
        int boundsExcluded = (int) c & 1;
        long cb = c << 2;
        long cbRight = cb + 2;
        long cbLeft;
        int k;
        if (c != HIDDEN_BIT || q == MIN_BINARY_EXPONENT) {
            cbLeft = cb - 2;
            k = floorLog10Pow2(q);
        } else {
            // Power of two: the gap below is half the gap above.
            cbLeft = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        int h = q + floorLog2Pow10(-k) + 2;
        long g1 = POWER_OF_TEN_HIGH[k - MIN_POWER_OF_TEN];
        long g0 = POWER_OF_TEN_LOW[k - MIN_POWER_OF_TEN];

        long vb = roundToOdd(g1, g0, cb << h);
        long vbLeft = roundToOdd(g1, g0, cbLeft << h);
        long vbRight = roundToOdd(g1, g0, cbRight << h);
        long s = vb >> 2;

        // One digit shorter: u' = 10·floor(s/10), w' = u' + 10 (paper, section 9.3).
        long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
        long tp10 = sp10 + 10;
        boolean shorterLowInside = vbLeft + boundsExcluded <= sp10 << 2;
        boolean shorterHighInside = (tp10 << 2) + boundsExcluded <= vbRight;
        if (shorterLowInside != shorterHighInside) {
            return normalise(shorterLowInside ? sp10 : tp10, k + scaleExponent);
        }

        long t = s + 1;
        boolean lowInside = vbLeft + boundsExcluded <= s << 2;
        boolean highInside = (t << 2) + boundsExcluded <= vbRight;
        if (lowInside != highInside) {
            return normalise(lowInside ? s : t, k + scaleExponent);
        }
        // Both candidates round to v: the closer one, ties to the even digit.
        long comparison = vb - ((s + t) << 1);
        boolean chooseLow = comparison < 0 || comparison == 0 && (s & 1) == 0;
        return normalise(chooseLow ? s : t, k + scaleExponent);
    }

    /** {@code f · 10^e} as digits without trailing zeros and the {@code 0.d1…dn} exponent. */
    private static Digits normalise(long f, int e) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        String digits = Long.toString(f);
        return new Digits(digits, e + digits.length());
    }

    /** Rounds {@code cp · g · 2^-127} to odd (paper, section 9.9 and figure 8). */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | ((z & MASK_63) + MASK_63) >>> 63;
    }

    /** {@code floor(log10(2^e))} for |e| <= 5456721. */
    private static int floorLog10Pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    /** {@code floor(log10(3/4 · 2^e))} for |e| <= 5456721. */
    private static int floorLog10ThreeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    /** {@code floor(log2(10^e))} for |e| <= 1838394. */
    private static int floorLog2Pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /** {@code floor(10^p · 2^-r)} for the unique r with {@code 2^125 <= 10^p · 2^-r < 2^126}. */
    private static BigInteger scaledPowerOfTen(int p) {
        if (p >= 0) {
            BigInteger power = BigInteger.TEN.pow(p);
            int shift = 126 - power.bitLength();
            return shift >= 0 ? power.shiftLeft(shift) : power.shiftRight(-shift);
        }
        // 2^(b-1) < 10^-p < 2^b, so 2^125 < 2^(125+b) / 10^-p < 2^126 (10^-p is no power of two).
        BigInteger power = BigInteger.TEN.pow(-p);
        return BigInteger.ONE.shiftLeft(125 + power.bitLength()).divide(power);
    }
}
