package io.kato.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CodePointOrderTest {

    @Test
    void supplementaryCharacterSortsAfterFullwidthExclamation() {
        String grinning = "\uD83D\uDE00"; // U+1F600
        String fullwidthExclamation = "\uFF01";
        assertThat(CodePointOrder.COMPARATOR.compare(grinning, fullwidthExclamation)).isPositive();
        assertThat(grinning.compareTo(fullwidthExclamation)).isNegative(); // the UTF-16 order differs
    }

    @Test
    void sortsTheSpecExamples() {
        List<String> symbols = new ArrayList<>(List.of("b", "a", "B", "é", "Z", "10", "9", "_", "ä"));
        symbols.sort(CodePointOrder.COMPARATOR);
        assertThat(symbols).containsExactly("10", "9", "B", "Z", "_", "a", "b", "ä", "é");

        List<String> event = new ArrayList<>(List.of("！", "😀", "\u200b"));
        event.sort(CodePointOrder.COMPARATOR);
        assertThat(event).containsExactly("\u200b", "！", "😀");
    }

    @Test
    void emptyStringAndPrefixesSortFirst() {
        List<String> symbols = new ArrayList<>(List.of("ab", "a", "", "a\uD83D\uDE00", "a\uFF01"));
        symbols.sort(CodePointOrder.COMPARATOR);
        assertThat(symbols).containsExactly("", "a", "ab", "a\uFF01", "a\uD83D\uDE00");
    }

    @Test
    void loneSurrogatesCountAsTheirOwnCodePoints() {
        String loneHigh = "\uD83D";
        String pair = "\uD83D\uDE00";
        String loneHighThenPrivateUse = "\uD83D\uE000";
        assertThat(CodePointOrder.compare(loneHigh, pair)).isNegative();
        // U+D83D, U+E000 against U+1F600: the lone high surrogate is the smaller first code point.
        assertThat(CodePointOrder.compare(loneHighThenPrivateUse, pair)).isNegative();
        assertThat(CodePointOrder.compare("\uDE00", "\uE000")).isNegative();
        assertThat(CodePointOrder.compare("\uE000", "\uD83D\uDE00")).isNegative();
    }

    @Property(tries = 5000)
    void agreesWithComparingCodePointArrays(@ForAll("trickyStrings") String a, @ForAll("trickyStrings") String b) {
        int expected = Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
        assertThat(Integer.signum(CodePointOrder.compare(a, b))).isEqualTo(Integer.signum(expected));
    }

    /** Strings of UTF-16 units chosen so that pairs, lone surrogates and U+E000–U+FFFF meet often. */
    @Provide
    Arbitrary<String> trickyStrings() {
        Arbitrary<Character> units = Arbitraries.of('a', 'b', '\u00e9', '\uD7FF', '\uD83D', '\uD83E',
                '\uDBFF', '\uDC00', '\uDE00', '\uDE01', '\uDFFF', '\uE000', '\uFF01', '\uFFFF');
        return units.list().ofMaxSize(6).map(list -> {
            StringBuilder s = new StringBuilder();
            list.forEach(s::append);
            return s.toString();
        });
    }
}
