package io.kato.engine.text;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code repr()} and {@code str()} texts that KATO hashes or stores: strings
 * (ENGINE.md Appendix A), the event list of a pattern name (§4.2), floats and decoded JSON
 * values (Appendix B).
 *
 * <p>Java strings are UTF-16 and may hold lone surrogates; every method walks them by code
 * point, a lone surrogate counting as its own (non-printable) code point, as Python would see
 * a string decoded from JSON with an unpaired {@code \ud800} escape.
 */
public final class PyText {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private PyText() {
    }

    /** Python {@code repr(s)}. */
    public static String repr(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendRepr(out, s);
        return out.toString();
    }

    /** Appends Python {@code repr(s)}: quote choice, escapes and printable characters per Appendix A. */
    public static void appendRepr(StringBuilder out, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c == 0x7F) {
                appendHexEscape(out, 'x', c, 2);
            } else if (c < 0x7F || UnicodePrintable.isPrintable(c)) {
                out.appendCodePoint(c);
            } else if (c <= 0xFF) {
                appendHexEscape(out, 'x', c, 2);
            } else if (c <= 0xFFFF) {
                appendHexEscape(out, 'u', c, 4);
            } else {
                appendHexEscape(out, 'U', c, 8);
            }
        }
        out.append(quote);
    }

    private static void appendHexEscape(StringBuilder out, char kind, int codePoint, int digits) {
        out.append('\\').append(kind);
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            out.append(HEX_DIGITS[(codePoint >>> shift) & 0xF]);
        }
    }

    /** Python {@code str()} of a list of lists of strings, e.g. {@code [['a', 'b'], ['c']]} (§4.2). */
    public static String eventsText(List<? extends List<String>> events) {
        StringBuilder out = new StringBuilder();
        appendEventsText(out, events);
        return out.toString();
    }

    /** Appends {@link #eventsText(List)}. */
    public static void appendEventsText(StringBuilder out, List<? extends List<String>> events) {
        out.append('[');
        String eventSeparator = "";
        for (List<String> event : events) {
            out.append(eventSeparator).append('[');
            String symbolSeparator = "";
            for (String symbol : event) {
                out.append(symbolSeparator);
                appendRepr(out, symbol);
                symbolSeparator = ", ";
            }
            out.append(']');
            eventSeparator = ", ";
        }
        out.append(']');
    }

    /**
     * Python {@code repr(x)} of a float: shortest round-trip digits, positional when the
     * decimal exponent k of {@code 0.d1…dn × 10^k} satisfies {@code -4 < k <= 16}, else
     * exponential ({@code 1e-05}, {@code 1.5e+16}).
     *
     * @throws IllegalArgumentException for NaN and infinities (never produced from JSON)
     */
    public static String floatRepr(double x) {
        StringBuilder out = new StringBuilder(24);
        appendFloatRepr(out, x);
        return out.toString();
    }

    private static void appendFloatRepr(StringBuilder out, double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("no Python repr for a non-finite float here: " + x);
        }
        if (Double.doubleToRawLongBits(x) < 0) {
            out.append('-');
        }
        if (x == 0) {
            out.append("0.0");
            return;
        }
        ShortestDecimal.Digits shortest = ShortestDecimal.of(Math.abs(x));
        String digits = shortest.digits();
        int n = digits.length();
        int k = shortest.exponent();
        if (-4 < k && k <= 16) {
            if (k <= 0) {
                out.append("0.").append("0".repeat(-k)).append(digits);
            } else if (k >= n) {
                out.append(digits).append("0".repeat(k - n)).append(".0");
            } else {
                out.append(digits, 0, k).append('.').append(digits, k, n);
            }
            return;
        }
        out.append(digits.charAt(0));
        if (n > 1) {
            out.append('.').append(digits, 1, n);
        }
        int exponent = k - 1;
        out.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        out.append(magnitude);
    }

    /**
     * Python {@code str()} of a decoded JSON value (Appendix B): a top-level string is itself;
     * strings inside arrays and objects are quoted with {@link #repr(String)}.
     *
     * @param jsonValue a {@code String}, {@code Integer}, {@code Long}, {@code BigInteger},
     *                  {@code Double}, {@code Boolean}, {@code null}, a {@code List} of such
     *                  values or a {@code Map} with {@code String} keys (iteration order kept)
     * @throws IllegalArgumentException for any other type, or a non-finite {@code Double}
     */
    public static String str(Object jsonValue) {
        if (jsonValue instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        appendItemRepr(out, jsonValue);
        return out.toString();
    }

    private static void appendItemRepr(StringBuilder out, Object value) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof String s) {
            appendRepr(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double d) {
            appendFloatRepr(out, d);
        } else if (value instanceof List<?> list) {
            out.append('[');
            String separator = "";
            for (Object element : list) {
                out.append(separator);
                appendItemRepr(out, element);
                separator = ", ";
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator);
                appendItemRepr(out, entry.getKey());
                out.append(": ");
                appendItemRepr(out, entry.getValue());
                separator = ", ";
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not a decoded JSON value: " + value.getClass().getName());
        }
    }
}
