package io.kato.engine.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical text of a percept vector, numpy's {@code str()} of a 1-D float64 array with
 * default print options (ENGINE.md §2.5), and the {@code VCTR|} name derived from it (§2.4.2).
 *
 * <p>Why the detours: numpy prints the shortest round-trip digits when they fit in 8 digits
 * (after the point, or after the first digit in scientific notation), and otherwise rounds
 * the <em>exact binary value</em> half-even to 8 digits ({@link DecimalRounding}).
 * {@code String.format} rounds half-up and {@code BigDecimal.valueOf} starts from the
 * shortest decimal instead of the binary value, so both differ on ties.
 */
public final class VectorText {

    /** Above this many components numpy prints only the first and last {@link #EDGE_ITEMS}. */
    private static final int SUMMARY_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final String SUMMARY_WORD = "...";
    private static final int PRECISION = 8;
    private static final long ONE_AT_PRECISION = DecimalRounding.powerOfTen(PRECISION);
    private static final int LINE_WIDTH = 75;

    private VectorText() {
    }

    /** {@code "VCTR|"} + lowercase hex SHA-1 of the UTF-8 bytes of {@link #format(double[])}. */
    public static String vectorName(double[] v) {
        byte[] hash = sha1().digest(format(v).getBytes(StandardCharsets.UTF_8));
        return "VCTR|" + HexFormat.of().formatHex(hash);
    }

    /**
     * numpy's {@code str(numpy.array(v, dtype=float64))}; the text is ASCII.
     *
     * @throws IllegalArgumentException if a shown component is NaN or infinite (the API rejects them)
     */
    public static String format(double[] v) {
        if (v.length == 0) {
            return "[]";
        }
        boolean summarised = v.length > SUMMARY_THRESHOLD;
        double[] shown = summarised ? edgeItems(v) : v;
        String[] words = usesScientificNotation(shown) ? scientificWords(shown) : positionalWords(shown);
        if (summarised) {
            String[] withSummary = new String[2 * EDGE_ITEMS + 1];
            System.arraycopy(words, 0, withSummary, 0, EDGE_ITEMS);
            withSummary[EDGE_ITEMS] = SUMMARY_WORD;
            System.arraycopy(words, EDGE_ITEMS, withSummary, EDGE_ITEMS + 1, EDGE_ITEMS);
            words = withSummary;
        }
        return wrap(words);
    }

    private static double[] edgeItems(double[] v) {
        double[] shown = new double[2 * EDGE_ITEMS];
        System.arraycopy(v, 0, shown, 0, EDGE_ITEMS);
        System.arraycopy(v, v.length - EDGE_ITEMS, shown, EDGE_ITEMS, EDGE_ITEMS);
        return shown;
    }

    private static boolean usesScientificNotation(double[] shown) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double x : shown) {
            double magnitude = Math.abs(x);
            if (magnitude != 0) {
                max = Math.max(max, magnitude);
                min = Math.min(min, magnitude);
            }
        }
        return max != 0 && (max >= 1e8 || min < 1e-4 || max / min > 1000.0);
    }

    /** Step 3a: {@code I.F}, I right-aligned and F left-aligned to the widest of the column. */
    private static String[] positionalWords(double[] shown) {
        String[] integerParts = new String[shown.length];
        String[] fractionParts = new String[shown.length];
        int integerWidth = 0;
        int fractionWidth = 0;
        for (int i = 0; i < shown.length; i++) {
            double magnitude = Math.abs(shown[i]);
            ShortestDecimal.Digits shortest = ShortestDecimal.of(magnitude);
            String digits = shortest.digits();
            int pointPosition = shortest.exponent();
            String integerPart;
            String fractionPart;
            if (digits.length() - pointPosition <= PRECISION) {
                if (pointPosition <= 0) {
                    integerPart = "0";
                    fractionPart = "0".repeat(-pointPosition) + digits;
                } else if (pointPosition >= digits.length()) {
                    integerPart = digits + "0".repeat(pointPosition - digits.length());
                    fractionPart = "";
                } else {
                    integerPart = digits.substring(0, pointPosition);
                    fractionPart = digits.substring(pointPosition);
                }
            } else {
                long scaled = DecimalRounding.roundHalfEvenScaled(magnitude, PRECISION);
                integerPart = Long.toString(scaled / ONE_AT_PRECISION);
                fractionPart = fractionDigits(scaled % ONE_AT_PRECISION);
            }
            if (isNegative(shown[i])) {
                integerPart = "-" + integerPart;
            }
            integerParts[i] = integerPart;
            fractionParts[i] = fractionPart;
            integerWidth = Math.max(integerWidth, integerPart.length());
            fractionWidth = Math.max(fractionWidth, fractionPart.length());
        }
        String[] words = new String[shown.length];
        for (int i = 0; i < shown.length; i++) {
            words[i] = " ".repeat(integerWidth - integerParts[i].length()) + integerParts[i] + "."
                    + fractionParts[i] + " ".repeat(fractionWidth - fractionParts[i].length());
        }
        return words;
    }

    /** Step 3b: {@code I.Fe±XX}, I right-aligned, F zero-padded, exponent of a common width. */
    private static String[] scientificWords(double[] shown) {
        String[] integerParts = new String[shown.length];
        String[] fractionParts = new String[shown.length];
        int[] exponents = new int[shown.length];
        int integerWidth = 0;
        int fractionWidth = 0;
        int exponentWidth = 2;
        for (int i = 0; i < shown.length; i++) {
            double magnitude = Math.abs(shown[i]);
            ShortestDecimal.Digits shortest = ShortestDecimal.of(magnitude);
            String digits = shortest.digits();
            int exponent = shortest.exponent() - 1;
            String integerPart;
            String fractionPart;
            if (digits.length() - 1 <= PRECISION) {
                integerPart = digits.substring(0, 1);
                fractionPart = digits.substring(1);
            } else {
                // The mantissa |x| / 10^E, rounded to 8 decimals, in units of 10^-8.
                long mantissa = DecimalRounding.roundHalfEvenScaled(magnitude, PRECISION - exponent);
                if (mantissa == 10 * ONE_AT_PRECISION) {
                    mantissa = ONE_AT_PRECISION;
                    exponent++;
                }
                integerPart = Long.toString(mantissa / ONE_AT_PRECISION);
                fractionPart = fractionDigits(mantissa % ONE_AT_PRECISION);
            }
            if (isNegative(shown[i])) {
                integerPart = "-" + integerPart;
            }
            integerParts[i] = integerPart;
            fractionParts[i] = fractionPart;
            exponents[i] = exponent;
            integerWidth = Math.max(integerWidth, integerPart.length());
            fractionWidth = Math.max(fractionWidth, fractionPart.length());
            exponentWidth = Math.max(exponentWidth, Integer.toString(Math.abs(exponent)).length());
        }
        String[] words = new String[shown.length];
        for (int i = 0; i < shown.length; i++) {
            String exponentDigits = Integer.toString(Math.abs(exponents[i]));
            words[i] = " ".repeat(integerWidth - integerParts[i].length()) + integerParts[i] + "."
                    + fractionParts[i] + "0".repeat(fractionWidth - fractionParts[i].length())
                    + "e" + (exponents[i] >= 0 ? "+" : "-")
                    + "0".repeat(exponentWidth - exponentDigits.length()) + exponentDigits;
        }
        return words;
    }

    /** Step 4: words joined by spaces, lines broken before 75 columns, trailing padding of broken lines removed. */
    private static String wrap(String[] words) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(LINE_WIDTH).append(' ');
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (line.length() + word.length() > LINE_WIDTH - 1 && line.length() > 1) {
                out.append(line, 0, lengthWithoutTrailingSpaces(line)).append('\n');
                line.setLength(0);
                line.append(' ');
            }
            line.append(word);
            if (i < words.length - 1) {
                line.append(' ');
            }
        }
        out.append(line);
        out.setCharAt(0, '[');
        return out.append(']').toString();
    }

    private static int lengthWithoutTrailingSpaces(CharSequence text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }

    /** The 8 fractional digits of {@code fraction × 10^-8}, without trailing zeros ("" for 0). */
    private static String fractionDigits(long fraction) {
        if (fraction == 0) {
            return "";
        }
        int length = PRECISION;
        while (fraction % 10 == 0) {
            fraction /= 10;
            length--;
        }
        String digits = Long.toString(fraction);
        return "0".repeat(length - digits.length()) + digits;
    }

    private static boolean isNegative(double x) {
        return Double.doubleToRawLongBits(x) < 0;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
