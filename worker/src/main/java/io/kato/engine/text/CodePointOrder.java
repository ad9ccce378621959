package io.kato.engine.text;

import java.util.Comparator;

/**
 * Python's {@code str} ordering: code point by code point, a prefix first.
 *
 * <p>Why not {@link String#compareTo}: it compares UTF-16 units, which orders a supplementary
 * character (a surrogate pair, D800–DFFF) before U+E000–U+FFFF although its code point is
 * larger. The two orders agree whenever the first differing units are both non-surrogates, so
 * only that position falls back to code points. A lone surrogate counts as its own code point,
 * as in Python.
 */
public final class CodePointOrder {

    public static final Comparator<String> COMPARATOR = CodePointOrder::compare;

    private CodePointOrder() {
    }

    /** Negative, zero or positive as {@code a} sorts before, equal to or after {@code b}. */
    public static int compare(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char unitA = a.charAt(i);
            char unitB = b.charAt(i);
            if (unitA != unitB) {
                if (!Character.isSurrogate(unitA) && !Character.isSurrogate(unitB)) {
                    return unitA - unitB;
                }
                return compareCodePointsAt(a, b, i);
            }
        }
        return a.length() - b.length();
    }

    /** Compares the code points that contain the first differing unit {@code i}. */
    private static int compareCodePointsAt(String a, String b, int i) {
        int start = i;
        // A differing low surrogate may complete the (equal) high surrogate before it.
        if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))
                && (Character.isLowSurrogate(a.charAt(i)) || Character.isLowSurrogate(b.charAt(i)))) {
            start = i - 1;
        }
        return Integer.compare(a.codePointAt(start), b.codePointAt(start));
    }
}
