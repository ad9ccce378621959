package io.kato.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PyTextTest {

    // ---- Appendix A: repr of a string

    @Test
    void quoteChoice() {
        assertThat(PyText.repr("plain")).isEqualTo("'plain'");
        assertThat(PyText.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PyText.repr("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(PyText.repr("both ' and \"")).isEqualTo("'both \\' and \"'");
        assertThat(PyText.repr("")).isEqualTo("''");
    }

    @Test
    void escapes() {
        assertThat(PyText.repr("back\\slash")).isEqualTo("'back\\\\slash'");
        assertThat(PyText.repr("tab\tnl\ncr\r")).isEqualTo("'tab\\tnl\\ncr\\r'");
        assertThat(PyText.repr("\u007f\u0001\u0000\u001f")).isEqualTo("'\\x7f\\x01\\x00\\x1f'");
        assertThat(PyText.repr("nbsp\u00a0")).isEqualTo("'nbsp\\xa0'");
        assertThat(PyText.repr("\u200b\u2028\uFEFF\uE000")).isEqualTo("'\\u200b\\u2028\\ufeff\\ue000'");
        assertThat(PyText.repr("\uDB40\uDC01\uDBFF\uDFFF")).isEqualTo("'\\U000e0001\\U0010ffff'");
    }

    @Test
    void printableNonAsciiIsKept() {
        assertThat(PyText.repr("café")).isEqualTo("'café'");
        assertThat(PyText.repr("中文Ωmega😀🧿")).isEqualTo("'中文Ωmega😀🧿'");
    }

    @Test
    void loneSurrogatesAreEscapedAsTheirCodePoint() {
        assertThat(PyText.repr("\uD800")).isEqualTo("'\\ud800'");
        assertThat(PyText.repr("a\uDC00b")).isEqualTo("'a\\udc00b'");
        assertThat(PyText.repr("\uDE00\uD83D")).isEqualTo("'\\ude00\\ud83d'");
    }

    @Test
    void appendReprAppends() {
        StringBuilder out = new StringBuilder("x=");
        PyText.appendRepr(out, "a'b");
        assertThat(out).hasToString("x=\"a'b\"");
    }

    // ---- §4.2 / §4.3: pattern names

    static Stream<Arguments> workedExamples() {
        List<String> vectorEvent = new ArrayList<>(List.of(
                VectorText.vectorName(new double[] {1, 2, 3, 4})));
        vectorEvent.addAll(sorted("b", "a"));
        List<String> summedVectorEvent = List.of(VectorText.vectorName(new double[] {1.5, 2.5, 3.5, 4.5}));
        return Stream.of(
                row(1, List.of(sorted("hello", "world")),
                        "[['hello', 'world']]", "3814b8c03c137909546d6993c0acf351981bccae"),
                row(2, List.of(sorted("hello", "world"), sorted("test")),
                        "[['hello', 'world'], ['test']]", "c4c50daaab20e4d0cdf6ae1e3bed3627af6d17a5"),
                row(3, List.of(sorted("zebra", "apple", "Mango", "10", "9"), sorted("b", "a")),
                        "[['10', '9', 'Mango', 'apple', 'zebra'], ['a', 'b']]",
                        "a87155ee1cbc655e3ce5d417a908fa02d66a8950"),
                row(4, List.of(sorted("café"), sorted("中文", "Ωmega")),
                        "[['café'], ['Ωmega', '中文']]", "8d517d3517724ecea29cd5129b2ca85d55ba44e1"),
                row(5, List.of(sorted("！", "😀", "\u200b"), sorted("nbsp\u00a0")),
                        "[['\\u200b', '！', '😀'], ['nbsp\\xa0']]", "a3ec3f13bad1862f41f99ef5c043c18d6458b9f6"),
                row(6, List.of(sorted("it's"), sorted("say \"hi\"")),
                        "[[\"it's\"], ['say \"hi\"']]", "ffff938f5b1b777eb0a54d8cb3d2100be70cca5b"),
                row(7, List.of(sorted("both ' and \""), sorted("back\\slash")),
                        "[['both \\' and \"'], ['back\\\\slash']]", "f83839c3a32f3ec7ac4fbe901865401d70e714e3"),
                row(8, List.of(sorted("tab\tnl\n"), sorted("\u007f\u0001")),
                        "[['tab\\tnl\\n'], ['\\x7f\\x01']]", "a1c21e6208e0c3dedc7186560391456860520ed3"),
                row(9, List.of(vectorEvent, summedVectorEvent),
                        "[['VCTR|479e1c052464ab7fe6302425de4081eba0f93058', 'a', 'b'],"
                                + " ['VCTR|278c296b55f0d17605870d04dcb680563ea45f60']]",
                        "d4825cc213130bf0e07ec141e850d5d6e469e021"),
                row(10, List.of(sorted("a"), sorted("b")),
                        "[['a'], ['b']]", "76d7efca2e96cb5eeddf4e06ac96a0f424630135"),
                row(11, List.of(sorted("a"), sorted("b")),
                        "[['a'], ['b']]", "76d7efca2e96cb5eeddf4e06ac96a0f424630135"),
                row(12, List.of(sorted("a", "a")),
                        "[['a', 'a']]", "7f1780902fc4656f661baf31763a8cb7092a6ea7"),
                row(13, List.of(sorted(""), sorted("x")),
                        "[[''], ['x']]", "8871ade8af0dedc136bef2f59fa48a2dcb10a292"),
                row(14, List.of(sorted("A"), sorted("B")),
                        "[['A'], ['B']]", "3651a86de198b54b13e1d7a02407dc4faaa622ff"),
                row(15, List.of(sorted("\u0085\u2028\u00ad\uDB40\uDC01\uDBFF\uDFFF\uD83E\uDDFF", " x ")),
                        "[[' x ', '\\x85\\u2028\\xad\\U000e0001\\U0010ffff🧿']]",
                        "1980b6ddb0ad6f76f0352e74afb62831234bcdd8"));
    }

    private static Arguments row(int number, List<List<String>> events, String text, String hash) {
        return Arguments.of(number, events, text, "PTRN|" + hash);
    }

    private static List<String> sorted(String... symbols) {
        List<String> event = new ArrayList<>(Arrays.asList(symbols));
        event.sort(CodePointOrder.COMPARATOR);
        return event;
    }

    @ParameterizedTest(name = "§4.3 example {0}")
    @MethodSource("workedExamples")
    void workedExamplesGiveUpstreamTextAndName(int number, List<List<String>> events, String text, String name) {
        String eventsText = PyText.eventsText(events);
        assertThat(eventsText).isEqualTo(text);
        assertThat("PTRN|" + TestData.sha1Hex(eventsText)).isEqualTo(name);
    }

    @Test
    void appendEventsTextAppendsAndHandlesEmptyLists() {
        StringBuilder out = new StringBuilder(">");
        PyText.appendEventsText(out, List.of(List.of(), List.of("a")));
        assertThat(out).hasToString(">[[], ['a']]");
        assertThat(PyText.eventsText(List.of())).isEqualTo("[]");
    }

    @Test
    void example14HashesExactlyFourteenAsciiBytes() {
        String text = PyText.eventsText(List.of(List.of("A"), List.of("B")));
        assertThat(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).containsExactly(
                0x5b, 0x5b, 0x27, 0x41, 0x27, 0x5d, 0x2c, 0x20, 0x5b, 0x27, 0x42, 0x27, 0x5d, 0x5d);
    }

    // ---- Appendix B: float repr

    @ParameterizedTest
    @CsvSource({
        "1.0, 1.0",
        "0.0001, 0.0001",
        "1.5, 1.5",
        "1e15, 1000000000000000.0",
        "123456789012345.6, 123456789012345.6",
        "1e-05, 1e-05",
        "1.5e-05, 1.5e-05",
        "1e16, 1e+16",
        "1.2345678901234568e17, 1.2345678901234568e+17",
        "0.0, 0.0",
        "-0.0, -0.0",
        "5e-324, 5e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "-2.5, -2.5",
        "100.0, 100.0",
        "0.001, 0.001",
        "9999999999999998.0, 9999999999999998.0",
        "1e22, 1e+22",
        "2e-7, 2e-07",
        "1e100, 1e+100",
        "2.2250738585072014e-308, 2.2250738585072014e-308",
        })
    void floatRepr(double x, String expected) {
        assertThat(PyText.floatRepr(x)).isEqualTo(expected);
    }

    @Test
    void floatReprOfASum() {
        assertThat(PyText.floatRepr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    }

    @Test
    void floatReprRejectsNonFinite() {
        assertThatThrownBy(() -> PyText.floatRepr(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyText.floatRepr(Double.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** 2000 doubles (special, random bit patterns, random short decimals) against CPython's repr. */
    @Test
    void floatReprMatchesPython() {
        List<String> lines = TestData.lines("python-float-repr.txt");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2000);
        for (String line : lines) {
            int space = line.indexOf(' ');
            double x = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, space), 16));
            assertThat(PyText.floatRepr(x)).as(line).isEqualTo(line.substring(space + 1));
        }
    }

    // ---- Appendix B: str of JSON values

    @Test
    void strOfScalars() {
        assertThat(PyText.str("top 'level'")).isEqualTo("top 'level'");
        assertThat(PyText.str(42)).isEqualTo("42");
        assertThat(PyText.str(-7L)).isEqualTo("-7");
        assertThat(PyText.str(new BigInteger("12345678901234567890"))).isEqualTo("12345678901234567890");
        assertThat(PyText.str(1.0)).isEqualTo("1.0");
        assertThat(PyText.str(1e-7)).isEqualTo("1e-07");
        assertThat(PyText.str(-0.0)).isEqualTo("-0.0");
        assertThat(PyText.str(true)).isEqualTo("True");
        assertThat(PyText.str(false)).isEqualTo("False");
        assertThat(PyText.str(null)).isEqualTo("None");
    }

    @Test
    void strOfContainersUsesReprForNestedItems() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("k", Arrays.asList(null, 1.0));
        assertThat(PyText.str(List.of(1, "a", inner))).isEqualTo("[1, 'a', {'k': [None, 1.0]}]");
        assertThat(PyText.str(Map.of("k", "v"))).isEqualTo("{'k': 'v'}");
        assertThat(PyText.str(List.of())).isEqualTo("[]");
        assertThat(PyText.str(Map.of())).isEqualTo("{}");

        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", true);
        ordered.put("it's", List.of("x\ny", new BigInteger("-99999999999999999999"), 2.5e20));
        ordered.put("a", null);
        assertThat(PyText.str(ordered))
                .isEqualTo("{'z': True, \"it's\": ['x\\ny', -99999999999999999999, 2.5e+20], 'a': None}");
    }

    @Test
    void strRejectsNonJsonTypes() {
        assertThatThrownBy(() -> PyText.str(1.5f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyText.str(List.of(new Object()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyText.str(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
