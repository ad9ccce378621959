package io.kato.engine.text;

/**
 * Python 3.11's {@code str.isprintable()} for one code point, with Unicode 14.0 data.
 *
 * <p>Why a table of our own: printability depends on the Unicode general category, and the
 * JDK's {@code Character.getType} follows the JDK's Unicode version (13.0 on JDK 17), so
 * characters assigned in 14.0 would be escaped by the JDK but kept by the reference CPython.
 * {@link UnicodePrintableTable} is generated from CPython 3.11 by
 * {@code tools/gen_unicode_printable.py}.
 */
public final class UnicodePrintable {

    private static final int[] RANGES = UnicodePrintableTable.NON_PRINTABLE_RANGES;

    private UnicodePrintable() {
    }

    /**
     * Whether Python prints {@code codePoint} as itself in {@code repr()}: its general category is
     * not Cc, Cf, Cs, Co, Cn, Zl, Zp or Zs, or it is U+0020. Surrogates (Cs) and values outside
     * 0..0x10FFFF are not printable.
     */
    public static boolean isPrintable(int codePoint) {
        if (codePoint < 0x7F) {
            return codePoint >= 0x20;
        }
        if (codePoint > Character.MAX_CODE_POINT) {
            return false;
        }
        return !inNonPrintableRange(codePoint);
    }

    private static boolean inNonPrintableRange(int codePoint) {
        int low = 0;
        int high = RANGES.length / 2 - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (codePoint < RANGES[2 * middle]) {
                high = middle - 1;
            } else if (codePoint > RANGES[2 * middle + 1]) {
                low = middle + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
