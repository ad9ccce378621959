package io.kato.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnicodePrintableTest {

    private static final int CODE_POINTS = Character.MAX_CODE_POINT + 1;

    @Test
    void tableRangesAreSortedDisjointAndNonAdjacent() {
        int[] ranges = UnicodePrintableTable.NON_PRINTABLE_RANGES;
        assertThat(ranges.length % 2).isZero();
        long covered = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            assertThat(ranges[i]).isLessThanOrEqualTo(ranges[i + 1]);
            if (i > 0) {
                assertThat(ranges[i]).isGreaterThan(ranges[i - 1] + 1);
            }
            covered += ranges[i + 1] - ranges[i] + 1;
        }
        assertThat(covered).isEqualTo(UnicodePrintableTable.NON_PRINTABLE_COUNT);
    }

    @Test
    void printableCountMatchesPython() {
        String header = TestData.lines("python-repr-blocks.txt").get(0);
        int pythonPrintable = Integer.parseInt(header.substring(header.lastIndexOf(' ') + 1));
        int printable = 0;
        for (int cp = 0; cp < CODE_POINTS; cp++) {
            if (UnicodePrintable.isPrintable(cp)) {
                printable++;
            }
        }
        assertThat(printable).isEqualTo(pythonPrintable);
    }

    /** Every code point's repr, hashed per block of 4096, against CPython 3.11. */
    @Test
    void reprOfEveryCodePointMatchesPython() {
        List<String> lines = TestData.lines("python-repr-blocks.txt");
        List<String> blocks = lines.subList(1, lines.size());
        assertThat(blocks).hasSize(CODE_POINTS / 0x1000);
        for (String line : blocks) {
            int start = Integer.parseInt(line.substring(0, 6), 16);
            StringBuilder text = new StringBuilder();
            for (int cp = start; cp < start + 0x1000; cp++) {
                if (cp > start) {
                    text.append('\n');
                }
                PyText.appendRepr(text, new String(Character.toChars(cp)));
            }
            assertThat(TestData.sha1Hex(text.toString()))
                    .as("repr of U+%06X..U+%06X", start, start + 0xFFF)
                    .isEqualTo(line.substring(7));
        }
    }

    @Test
    void specNonPrintables() {
        for (int cp : new int[] {0x85, 0xA0, 0xAD, 0x200B, 0x2028, 0x2029, 0x3000, 0xFEFF, 0xE000, 0xF8FF,
                0xE0001, 0x10FFFF, 0xD800, 0xDFFF, 0x0378}) {
            assertThat(UnicodePrintable.isPrintable(cp)).as("U+%04X", cp).isFalse();
        }
        assertThat(UnicodePrintable.isPrintable(-1)).isFalse();
        assertThat(UnicodePrintable.isPrintable(Character.MAX_CODE_POINT + 1)).isFalse();
    }

    @Test
    void printablesIncludeSpaceAndUnicode14Additions() {
        assertThat(UnicodePrintable.isPrintable(' ')).isTrue();
        assertThat(UnicodePrintable.isPrintable('~')).isTrue();
        assertThat(UnicodePrintable.isPrintable(0x1F9FF)).isTrue();
        assertThat(UnicodePrintable.isPrintable(0x4E2D)).isTrue();
        // U+1FAE0 MELTING FACE is new in Unicode 14.0: unassigned for JDK 17, printable for CPython 3.11.
        assertThat(UnicodePrintable.isPrintable(0x1FAE0)).isTrue();
    }
}
