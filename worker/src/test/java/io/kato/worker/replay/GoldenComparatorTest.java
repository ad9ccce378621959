package io.kato.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Proves that {@link GoldenComparator} accepts what the README accepts and rejects the rest. */
class GoldenComparatorTest {

    /** Parses JSON written with single quotes for readability (no test string contains a quote). */
    private static JsonNode j(String singleQuoted) {
        try {
            return GoldenComparator.parse(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> cmp(String expect, String actual) {
        return GoldenComparator.compareStep(j(expect), j(actual), null);
    }

    private static List<String> cmp(String expect, String actual, String unordered) {
        return GoldenComparator.compareStep(j(expect), j(actual), j(unordered));
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void mapperKeepsTheJsonNumberKind() {
        JsonNode n = j("{'f': 1.0, 'z': 0.0, 'e': 1e-07, 'E': 1E+2, 'i': 1, 'neg': -3, "
                + "'l': 12345678901, 'b': 123456789012345678901234567890, 'x': 0.1}");
        assertThat(n.get("f")).isInstanceOf(DoubleNode.class);
        assertThat(n.get("z")).isInstanceOf(DoubleNode.class);
        assertThat(n.get("e")).isInstanceOf(DoubleNode.class);
        assertThat(n.get("E")).isInstanceOf(DoubleNode.class);
        assertThat(n.get("i")).isInstanceOf(IntNode.class);
        assertThat(n.get("neg")).isInstanceOf(IntNode.class);
        assertThat(n.get("l").isLong()).isTrue();
        assertThat(n.get("b").isBigInteger()).isTrue();
        assertThat(n.get("x").doubleValue()).isEqualTo(0.1);
        assertThat(n.get("e").doubleValue()).isEqualTo(1e-7);
    }

    @Test
    void mapperRejectsTrailingContentAndDuplicateKeys() {
        assertThat(parseFails("{'a': 1} {'b': 2}")).isTrue();
        assertThat(parseFails("{'a': 1, 'a': 2}")).isTrue();
        assertThat(parseFails("{'a': NaN}")).isTrue();
    }

    private static boolean parseFails(String s) {
        try {
            j(s);
            return false;
        } catch (UncheckedIOException e) {
            return true;
        }
    }

    @Test
    void splitLinesSplitsOnNewlineOnly() throws Exception {
        byte[] bytes = "{\"a\":\"x\u2028y\u0085z\rw\"}\n{\"b\":1}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(GoldenComparator.splitLines(bytes)).containsExactly("{\"a\":\"x\u2028y\u0085z\rw\"}", "{\"b\":1}");
        assertThat(GoldenComparator.splitLines("a\n\nb".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .containsExactly("a", "", "b");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> GoldenComparator.splitLines(new byte[] {'{', (byte) 0xC3, '}'}))
                .isInstanceOf(java.nio.charset.CharacterCodingException.class);
    }

    // ------------------------------------------------------------------ scalars and structure

    @Test
    void identicalInputsMatch() {
        String s = "{'stm': [['a', 'b'], ['c']], 'length': 2, 'x': 0.25, 'e': 1e-07, 't': true, 'n': null, "
                + "'o': {'k': [1, 2.5, 'é', {}]}}";
        assertThat(cmp(s, s)).isEmpty();
        // key order is irrelevant
        assertThat(cmp("{'a': 1, 'b': [1, 2]}", "{'b': [1, 2], 'a': 1}")).isEmpty();
    }

    @Test
    void changedIntegerFails() {
        List<String> d = cmp("{'stm_length': 3, 'time': 7}", "{'stm_length': 3, 'time': 8}");
        assertThat(d).hasSize(1);
        assertThat(d.get(0)).startsWith("/time:").contains("7").contains("8");
        // integers of different Java widths but the same value are equal
        assertThat(GoldenComparator.compareStep(j("{'a': 5}"),
                JsonNodeFactory.instance.objectNode().put("a", 5L), null)).isEmpty();
        assertThat(cmp("{'a': 123456789012345678901234567890}", "{'a': 123456789012345678901234567891}")).hasSize(1);
    }

    @Test
    void floatOutsideToleranceFails() {
        assertThat(cmp("{'p': 0.5}", "{'p': 0.5000001}")).singleElement().asString().startsWith("/p:");
        // relative: 2e-9 relative is outside 1e-9
        assertThat(cmp("{'p': 1.0}", "{'p': 1.000000002}")).hasSize(1);
        // absolute floor: 2e-12 away from zero is outside 1e-12
        assertThat(cmp("{'p': 0.0}", "{'p': 2e-12}")).hasSize(1);
        assertThat(cmp("{'p': 1e-30}", "{'p': -1e-11}")).hasSize(1);
        // sign of large values
        assertThat(cmp("{'p': 3.5}", "{'p': -3.5}")).hasSize(1);
    }

    @Test
    void floatWithinTolerancePasses() {
        assertThat(cmp("{'p': 1.0}", "{'p': 1.0000000005}")).isEmpty();
        assertThat(cmp("{'p': 123456.789}", "{'p': 123456.78900009}")).isEmpty();
        assertThat(cmp("{'p': 0.0}", "{'p': -1e-16}")).isEmpty();
        assertThat(cmp("{'p': 0.0}", "{'p': 9e-13}")).isEmpty();
        assertThat(cmp("{'p': 0.0}", "{'p': -0.0}")).isEmpty();
        assertThat(cmp("{'p': 0.30000000000000004}", "{'p': 0.3}")).isEmpty();
        assertThat(GoldenComparator.floatsMatch(1e300, 1e300 * (1 + 5e-10))).isTrue();
        assertThat(GoldenComparator.floatsMatch(1e-300, 2e-300)).isTrue(); // under the absolute floor
    }

    @Test
    void integerVersusFloatKindMismatchFails() {
        assertThat(cmp("{'frequency': 1}", "{'frequency': 1.0}"))
                .singleElement().asString().contains("/frequency").contains("integer").contains("float");
        assertThat(cmp("{'similarity': 1.0}", "{'similarity': 1}"))
                .singleElement().asString().contains("expected float").contains("got integer");
        assertThat(cmp("{'x': [0.0]}", "{'x': [0]}")).hasSize(1);
        // built in memory rather than parsed: the node kind is what counts
        ObjectNode actual = JsonNodeFactory.instance.objectNode().put("v", 2.0);
        assertThat(GoldenComparator.compareStep(j("{'v': 2}"), actual, null)).hasSize(1);
    }

    @Test
    void otherTypeMismatchesFail() {
        assertThat(cmp("{'a': '1'}", "{'a': 1}")).hasSize(1);
        assertThat(cmp("{'a': null}", "{'a': 'null'}")).hasSize(1);
        assertThat(cmp("{'a': false}", "{'a': 0}")).hasSize(1);
        assertThat(cmp("{'a': true}", "{'a': false}")).hasSize(1);
        assertThat(cmp("{'a': []}", "{'a': {}}")).hasSize(1);
        assertThat(cmp("{'auto_learned_pattern': null}", "{'auto_learned_pattern': 'PTRN|x'}")).hasSize(1);
    }

    @Test
    void missingKeyFails() {
        assertThat(cmp("{'stm_length': 1, 'time': 1, 'auto_learned_pattern': null}", "{'stm_length': 1, 'time': 1}"))
                .singleElement().asString().contains("missing key \"auto_learned_pattern\"");
        assertThat(cmp("{'pattern': {'status': 'okay', 'pattern': {'name': 'x', 'metadata': {}}}}",
                "{'pattern': {'status': 'okay', 'pattern': {'name': 'x'}}}"))
                .singleElement().asString().startsWith("/pattern/pattern:").contains("\"metadata\"");
    }

    @Test
    void extraKeyFails() {
        assertThat(cmp("{'pattern_name': 'PTRN|a'}", "{'pattern_name': 'PTRN|a', 'message': 'ok'}"))
                .singleElement().asString().contains("unexpected key \"message\"");
        assertThat(cmp("{'p': [{'a': 1}]}", "{'p': [{'a': 1, 'b/c~': 2}]}"))
                .singleElement().asString().startsWith("/p/0:").contains("b/c~");
    }

    @Test
    void jsonPointerPathsEscapeKeys() {
        assertThat(cmp("{'e': {'a/b': 1, 'c~d': 2}}", "{'e': {'a/b': 3, 'c~d': 4}}"))
                .containsExactly("/e/a~1b: expected integer 1, got 3", "/e/c~0d: expected integer 2, got 4");
    }

    @Test
    void arraysCompareInOrderAndByLength() {
        assertThat(cmp("{'stm': [['a', 'b']]}", "{'stm': [['b', 'a']]}")).hasSize(2);
        assertThat(cmp("{'stm': [['a'], ['b']]}", "{'stm': [['a']]}"))
                .singleElement().asString().contains("/stm:").contains("length 1, expected 2");
        assertThat(cmp("{'stm': [['a']]}", "{'stm': [['a'], ['b']]}")).hasSize(1);
    }

    @Test
    void stringsCompareByCodePointsWithoutNormalisation() {
        // U+00E9 versus e + U+0301 (same text after NFC, different code points)
        List<String> d = cmp("{'s': '\u00e9'}", "{'s': 'e\u0301'}");
        assertThat(d).singleElement().asString().contains("U+00E9").contains("U+0065");
        assertThat(cmp("{'s': '\ud83d\ude00'}", "{'s': '\ud83d\ude00'}")).isEmpty();
        assertThat(cmp("{'s': '\ud83d\ude00'}", "{'s': '\ud83d\ude01'}")).hasSize(1);
        assertThat(cmp("{'s': 'a\\u0000b'}", "{'s': 'a\\u0000b'}")).isEmpty();
        assertThat(cmp("{'s': 'ab'}", "{'s': 'ab '}")).hasSize(1);
    }

    // ------------------------------------------------------------------ future_potentials: null

    @Test
    void futurePotentialsNullAcceptsAnything() {
        String expect = "{'predictions': [], 'future_potentials': null, 'count': 0}";
        assertThat(cmp(expect, "{'predictions': [], 'future_potentials': null, 'count': 0}")).isEmpty();
        assertThat(cmp(expect, "{'predictions': [], 'future_potentials': [], 'count': 0}")).isEmpty();
        assertThat(cmp(expect, "{'predictions': [], 'future_potentials': [{'future': [['x']], "
                + "'aggregate_potential': 0.5, 'supporting_patterns': 1, 'total_weighted_frequency': 1.0}], 'count': 0}"))
                .isEmpty();
        assertThat(cmp(expect, "{'predictions': [], 'future_potentials': 7, 'count': 0}")).isEmpty();
        // ... but the member must be there, and the rest is still compared
        assertThat(cmp(expect, "{'predictions': [], 'count': 0}")).singleElement().asString().contains("future_potentials");
        assertThat(cmp(expect, "{'predictions': [], 'future_potentials': [], 'count': 1}")).hasSize(1);
        // a non-null expected list is compared as usual, and null is not a list
        assertThat(cmp("{'future_potentials': []}", "{'future_potentials': null}")).hasSize(1);
        // null elsewhere is not a wildcard
        assertThat(cmp("{'x': {'future_potentials': null}}", "{'x': {'future_potentials': []}}")).hasSize(1);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorVersusNonErrorMismatchFails() {
        String error = "{'error': {'code': 'EMPTY_STM', 'detail': 'Cannot learn from empty STM'}}";
        assertThat(cmp(error, "{'pattern_name': ''}")).singleElement().asString().contains("expected error");
        assertThat(cmp("{'pattern_name': ''}", error)).singleElement().asString().contains("got error");
        assertThat(cmp(error, error)).isEmpty();
        assertThat(cmp(error, "{'error': {'code': 'VALIDATION_ERROR', 'detail': 'Cannot learn from empty STM'}}"))
                .singleElement().asString().startsWith("/error/code:");
        assertThat(cmp("{'error': {'code': 'VECTOR_DIMENSION_ERROR'}}", "{'error': {'code': 'VECTOR_DIMENSION_ERROR', 'message': 'x'}}"))
                .singleElement().asString().contains("unexpected key \"message\"");
        assertThat(cmp("{'error': {'code': 'VALIDATION_ERROR', 'locations': [['body', 'strings', 0]]}}",
                "{'error': {'code': 'VALIDATION_ERROR', 'locations': [['body', 'strings', '0']]}}")).hasSize(1);
        assertThat(GoldenComparator.compareStep(j(error), null, null)).singleElement().asString().contains("missing result");
    }

    // ------------------------------------------------------------------ tie runs

    private static String pred(String name, double potential, int frequency) {
        return "{'name': '" + name + "', 'potential': " + potential + ", 'frequency': " + frequency + "}";
    }

    private static String preds(String... elements) {
        return "{'predictions': [" + String.join(", ", elements) + "], 'future_potentials': [], 'count': "
                + elements.length + "}";
    }

    @Nested
    class TieRuns {
        final String a = pred("a", 0.9, 1);
        final String b = pred("b", 0.5, 2);
        final String c = pred("c", 0.5, 3);
        final String d = pred("d", 0.5, 4);
        final String e = pred("e", 0.1, 5);
        final String expect = preds(a, b, c, d, e);
        final String runs = "{'predictions': [[1, 4]]}";

        @Test
        void reorderedTieRunPasses() {
            assertThat(cmp(expect, preds(a, d, b, c, e), runs)).isEmpty();
            assertThat(cmp(expect, preds(a, c, d, b, e), runs)).isEmpty();
            assertThat(cmp(expect, expect, runs)).isEmpty();
        }

        @Test
        void reorderedNonTieElementsFail() {
            // without tie runs, any reordering fails
            assertThat(cmp(expect, preds(a, c, b, d, e))).isNotEmpty();
            assertThat(cmp(expect, preds(a, c, b, d, e), "{}")).isNotEmpty();
            // with a tie run, reordering outside it fails
            assertThat(cmp(expect, preds(e, b, c, d, a), runs)).isNotEmpty();
            // and so does moving an element across the boundary of the run
            List<String> diffs = cmp(expect, preds(b, a, c, d, e), runs);
            assertThat(diffs).isNotEmpty();
            assertThat(String.join("\n", diffs)).contains("does not belong to the tie run [1, 4)");
            // a run [1, 3) does not cover index 3
            assertThat(cmp(expect, preds(a, d, c, b, e), "{'predictions': [[1, 3]]}")).isNotEmpty();
        }

        @Test
        void pairedElementsAreStillCompared() {
            String changed = pred("c", 0.5, 30);
            List<String> diffs = cmp(expect, preds(a, changed, b, d, e), runs);
            assertThat(diffs).containsExactly("/predictions/2(actual 1)/frequency: expected integer 3, got 30");
        }

        @Test
        void unknownOrDuplicatedNamesInsideARunFail() {
            assertThat(cmp(expect, preds(a, b, b, d, e), runs)).isNotEmpty();
            assertThat(cmp(expect, preds(a, b, pred("x", 0.5, 3), d, e), runs)).hasSize(2); // missing c, stray x
        }

        @Test
        void lengthMismatchInsideARunFails() {
            assertThat(cmp(expect.replace("'count': 5", "'count': 4"), preds(a, b, c, d), runs)).isNotEmpty();
        }

        @Test
        void futurePotentialsPairByFuture() {
            String f1 = "{'future': [['delta']], 'aggregate_potential': 0.31, 'supporting_patterns': 1, 'total_weighted_frequency': 0.2}";
            String f2 = "{'future': [['delta', 'hotel']], 'aggregate_potential': 0.31, 'supporting_patterns': 1, 'total_weighted_frequency': 0.1}";
            String f3 = "{'future': [['delta'], ['bravo']], 'aggregate_potential': 0.31, 'supporting_patterns': 2, 'total_weighted_frequency': 0.1}";
            String ex = "{'predictions': [], 'future_potentials': [" + f1 + ", " + f2 + ", " + f3 + "], 'count': 0}";
            String swapped = "{'predictions': [], 'future_potentials': [" + f1 + ", " + f3 + ", " + f2 + "], 'count': 0}";
            assertThat(cmp(ex, swapped, "{'future_potentials': [[1, 3]]}")).isEmpty();
            assertThat(cmp(ex, swapped, "{'predictions': [[1, 3]]}")).isNotEmpty(); // run on the wrong member
            assertThat(cmp(ex, swapped)).isNotEmpty();
            String rotated = "{'predictions': [], 'future_potentials': [" + f2 + ", " + f3 + ", " + f1 + "], 'count': 0}";
            assertThat(cmp(ex, rotated, "{'future_potentials': [[1, 3]]}")).isNotEmpty();
            assertThat(cmp(ex, rotated, "{'future_potentials': [[0, 3]]}")).isEmpty();
        }

        @Test
        void malformedTieRunsAreReported() {
            assertThat(cmp(expect, expect, "{'predictions': [[3, 9]]}")).singleElement().asString().contains("outside");
            assertThat(cmp(expect, expect, "{'predictions': [[1, 3], [2, 4]]}")).singleElement().asString().contains("overlaps");
            assertThat(cmp(expect, expect, "{'stm': [[0, 1]]}")).isNotEmpty();
        }
    }

    // ------------------------------------------------------------------ case level

    @Test
    void compareCaseChecksIdCountAndPrefixesSteps() {
        JsonNode kase = j("{'id': 'c-1', 'steps': ["
                + "{'op': 'observe', 'input': {'strings': ['a']}, 'expect': {'stm_length': 1, 'time': 1, 'auto_learned_pattern': null}},"
                + "{'op': 'learn', 'expect': {'pattern_name': ''}}]}");
        assertThat(GoldenComparator.compareCase(kase, j("{'id': 'c-1', 'results': ["
                + "{'stm_length': 1, 'time': 1, 'auto_learned_pattern': null}, {'pattern_name': ''}]}"))).isEmpty();
        assertThat(GoldenComparator.compareCase(kase, j("{'id': 'c-2', 'results': ["
                + "{'stm_length': 1, 'time': 1, 'auto_learned_pattern': null}, {'pattern_name': ''}]}")))
                .singleElement().asString().contains("id");
        assertThat(GoldenComparator.compareCase(kase, j("{'id': 'c-1', 'results': ["
                + "{'stm_length': 1, 'time': 1, 'auto_learned_pattern': null}]}")))
                .singleElement().asString().contains("1 results for 2 steps");
        assertThat(GoldenComparator.compareCase(kase, j("{'id': 'c-1', 'results': ["
                + "{'stm_length': 1, 'time': 2, 'auto_learned_pattern': null}, {'pattern_name': 'PTRN|x'}]}")))
                .containsExactly("steps[0] observe: /time: expected integer 1, got 2",
                        "steps[1] learn: /pattern_name: expected \"\", got \"PTRN|x\" (first difference at code point 0: expected end, got U+0050)");
        assertThat(GoldenComparator.compareCase(kase, null)).singleElement().asString().contains("no result line");
        assertThat(GoldenComparator.compareCase(kase, j("{'id': 'c-1'}"))).isNotEmpty();
    }

    // ------------------------------------------------------------------ the real golden cases

    private static List<JsonNode> allCases() {
        try {
            JsonNode manifest;
            try (InputStream in = resource("golden/manifest.json")) {
                manifest = GoldenComparator.mapper().readTree(in);
            }
            List<JsonNode> cases = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : manifest.get("files").properties()) {
                byte[] bytes;
                try (InputStream in = resource("golden/" + f.getKey())) {
                    bytes = in.readAllBytes();
                }
                for (String line : GoldenComparator.splitLines(bytes)) {
                    cases.add(GoldenComparator.parse(line));
                }
            }
            assertThat(cases).hasSize(manifest.get("total_cases").intValue());
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = GoldenComparatorTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as("classpath resource %s", name).isNotNull();
        return in;
    }

    /** The result line an engine that reproduces every expect verbatim would print. */
    private static ObjectNode echo(JsonNode kase) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.set("id", kase.get("id").deepCopy());
        ArrayNode results = line.putArray("results");
        for (JsonNode step : kase.get("steps")) {
            results.add(step.get("expect").deepCopy());
        }
        return line;
    }

    @Test
    void everyGoldenCaseMatchesItsOwnExpect() {
        for (JsonNode kase : allCases()) {
            assertThat(GoldenComparator.compareCase(kase, echo(kase))).as(kase.get("id").asText()).isEmpty();
        }
    }

    @Test
    void everyGoldenCaseMatchesWithItsTieRunsReversed() {
        int reversed = 0;
        for (JsonNode kase : allCases()) {
            ObjectNode line = echo(kase);
            JsonNode steps = kase.get("steps");
            for (int i = 0; i < steps.size(); i++) {
                JsonNode unordered = steps.get(i).get("unordered");
                if (unordered == null) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> u : unordered.properties()) {
                    ArrayNode arr = (ArrayNode) line.get("results").get(i).get(u.getKey());
                    for (JsonNode r : u.getValue()) {
                        int s = r.get(0).intValue();
                        int e = r.get(1).intValue();
                        assertThat(e - s).isGreaterThanOrEqualTo(2);
                        List<JsonNode> run = new ArrayList<>();
                        for (int k = s; k < e; k++) {
                            run.add(arr.get(k));
                        }
                        for (int k = s; k < e; k++) {
                            arr.set(k, run.get(e - 1 - k));
                        }
                        reversed++;
                    }
                }
            }
            assertThat(GoldenComparator.compareCase(kase, line)).as(kase.get("id").asText()).isEmpty();
        }
        assertThat(reversed).isGreaterThan(100);
    }

    @Test
    void everyGoldenCaseFailsWhenATieRunMemberIsSwappedWithItsNeighbourOutsideTheRun() {
        int tried = 0;
        for (JsonNode kase : allCases()) {
            JsonNode steps = kase.get("steps");
            for (int i = 0; i < steps.size(); i++) {
                JsonNode unordered = steps.get(i).get("unordered");
                if (unordered == null || !unordered.has("predictions")) {
                    continue;
                }
                ObjectNode line = echo(kase);
                ArrayNode arr = (ArrayNode) line.get("results").get(i).get("predictions");
                JsonNode r = unordered.get("predictions").get(0);
                int s = r.get(0).intValue();
                int e = r.get(1).intValue();
                int outside = s > 0 ? s - 1 : e < arr.size() ? e : -1;
                if (outside < 0) {
                    continue;
                }
                int inside = s > 0 ? s : e - 1;
                JsonNode tmp = arr.get(outside);
                arr.set(outside, arr.get(inside));
                arr.set(inside, tmp);
                assertThat(GoldenComparator.compareCase(kase, line)).as(kase.get("id").asText() + " step " + i).isNotEmpty();
                tried++;
            }
        }
        assertThat(tried).isGreaterThan(20);
    }

    /** Finds the first float / integer under a node, depth first, and replaces it. */
    private static boolean perturbFirst(JsonNode node, boolean floats, java.util.function.UnaryOperator<JsonNode> change) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode v = e.getValue();
                if (floats ? v.isFloatingPointNumber() : v.isIntegralNumber()) {
                    o.set(e.getKey(), change.apply(v));
                    return true;
                }
                if (perturbFirst(v, floats, change)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (floats ? v.isFloatingPointNumber() : v.isIntegralNumber()) {
                    a.set(i, change.apply(v));
                    return true;
                }
                if (perturbFirst(v, floats, change)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void everyGoldenCaseDetectsAPerturbedNumberAndToleratesRounding() {
        int floatCases = 0;
        for (JsonNode kase : allCases()) {
            String id = kase.get("id").asText();
            // a float off by 1e-6 relative fails; by 1e-11 relative it passes
            ObjectNode far = echo(kase);
            if (perturbFirst(far.get("results"), true, v -> DoubleNode.valueOf(bump(v.doubleValue(), 1e-6)))) {
                floatCases++;
                assertThat(GoldenComparator.compareCase(kase, far)).as(id).hasSize(1);
                ObjectNode near = echo(kase);
                perturbFirst(near.get("results"), true, v -> DoubleNode.valueOf(bump(v.doubleValue(), 1e-11)));
                assertThat(GoldenComparator.compareCase(kase, near)).as(id).isEmpty();
                ObjectNode asInt = echo(kase);
                perturbFirst(asInt.get("results"), true, v -> IntNode.valueOf((int) v.doubleValue()));
                assertThat(GoldenComparator.compareCase(kase, asInt)).as(id).hasSize(1);
            }
            ObjectNode intChanged = echo(kase);
            if (perturbFirst(intChanged.get("results"), false, v -> IntNode.valueOf(v.intValue() + 1))) {
                assertThat(GoldenComparator.compareCase(kase, intChanged)).as(id).hasSize(1);
                ObjectNode asFloat = echo(kase);
                perturbFirst(asFloat.get("results"), false, v -> DoubleNode.valueOf(v.doubleValue()));
                assertThat(GoldenComparator.compareCase(kase, asFloat)).as(id).hasSize(1);
            }
        }
        assertThat(floatCases).isGreaterThan(100);
    }

    /** {@code v} moved by {@code rel} relative; a zero moves by {@code rel / 100} absolute (1e-8 fails, 1e-13 passes). */
    private static double bump(double v, double rel) {
        return v == 0.0 ? rel / 100 : v * (1 + rel);
    }
}
