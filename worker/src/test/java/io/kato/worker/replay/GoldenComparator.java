package io.kato.worker.replay;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The comparison rules of the golden engine cases ({@code golden/README.md}, "Comparison rules" and
 * "Ordering"), applied to one recorded {@code expect} and one replayed result.
 *
 * <ul>
 *   <li>objects: same key set (order irrelevant), values matched recursively;</li>
 *   <li>arrays: same length, element by element, except inside the tie runs that
 *       {@code steps[i].unordered} lists for the step's top-level {@code predictions} and
 *       {@code future_potentials} arrays: inside a half-open range {@code [start, end)} expected
 *       elements are paired with actual elements of the same range by identity ({@code name} for
 *       predictions, {@code future} for future potentials), not by position;</li>
 *   <li>numbers keep their JSON kind (integer literal vs float literal); integers must be equal,
 *       floats must satisfy {@code a == b || |a-b| <= max(1e-12, 1e-9 * max(|a|, |b|))};</li>
 *   <li>strings (by code points), booleans and null must be identical;</li>
 *   <li>an expected top-level {@code future_potentials} of {@code null} accepts any value (the
 *       member must still be present: key sets are compared first);</li>
 *   <li>a result must be an error object (an object with an {@code error} member) exactly when
 *       {@code expect} is one.</li>
 * </ul>
 *
 * <p>Every difference is reported as {@code <path>: <what>}, where the path is a JSON pointer into
 * {@code expect} ({@code ~} and {@code /} in keys escaped as {@code ~0}, {@code ~1}; the root is
 * {@code <root>}). An element paired inside a tie run is written {@code 3(actual 5)}: expected index
 * 3, matched with the actual element at index 5. An empty list means the result matches.
 */
public final class GoldenComparator {

    /** Absolute floor of the float tolerance. */
    public static final double ABS_TOLERANCE = 1e-12;
    /** Relative float tolerance. */
    public static final double REL_TOLERANCE = 1e-9;

    private static final int MAX_VALUE_CHARS = 160;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // Keep the JSON number kind: floats as DoubleNode, integers as IntNode/LongNode/BigIntegerNode.
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(DeserializationFeature.USE_LONG_FOR_INTS)
            // One JSON value per line, nothing after it; duplicate keys are an error, not "last wins".
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private GoldenComparator() {
    }

    /**
     * The mapper to parse golden lines and result lines with: keeps {@code 1.0} a {@code DoubleNode}
     * and {@code 1} an {@code IntNode} (larger integers {@code LongNode}/{@code BigIntegerNode}),
     * rejects trailing content and duplicate keys.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses one JSON text with {@link #mapper()}. */
    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /**
     * Splits a JSON Lines file into its lines as the README prescribes: strict UTF-8 (malformed bytes
     * are an error, not replaced), split on {@code \n} only (never on {@code \r}, U+0085, U+2028 or
     * U+2029), the empty string after the final {@code \n} dropped. Every other line is returned,
     * blank ones included, so that line numbers ({@code index + 1}) stay right.
     */
    public static List<String> splitLines(byte[] utf8) throws java.nio.charset.CharacterCodingException {
        String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(utf8))
                .toString();
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                lines.add(text.substring(start));
                break;
            }
            lines.add(text.substring(start, nl));
            start = nl + 1;
        }
        return lines;
    }

    // ------------------------------------------------------------------ case level

    /**
     * Compares one replayed result line ({@code {"id": ..., "results": [...]}}) with its case: the
     * line must exist, carry the case's id and one result per step, and every step must match. Each
     * step difference is prefixed with {@code steps[i] <op>: }.
     */
    public static List<String> compareCase(JsonNode caseNode, JsonNode resultLine) {
        List<String> diffs = new ArrayList<>();
        if (caseNode == null || !caseNode.isObject()) {
            diffs.add("case: not a JSON object: " + render(caseNode));
            return diffs;
        }
        JsonNode id = caseNode.get("id");
        JsonNode steps = caseNode.get("steps");
        if (steps == null || !steps.isArray()) {
            diffs.add("case " + render(id) + ": has no \"steps\" array");
            return diffs;
        }
        if (isAbsent(resultLine)) {
            diffs.add("case " + render(id) + ": no result line");
            return diffs;
        }
        if (!resultLine.isObject()) {
            diffs.add("result line: not a JSON object: " + render(resultLine));
            return diffs;
        }
        JsonNode actualId = resultLine.get("id");
        if (actualId == null) {
            diffs.add("result line: missing \"id\" (expected " + render(id) + ")");
        } else if (id == null || !id.equals(actualId)) {
            diffs.add("result line: id " + render(actualId) + ", expected " + render(id));
        }
        JsonNode results = resultLine.get("results");
        if (results == null || !results.isArray()) {
            diffs.add("result line: \"results\" is " + (results == null ? "missing" : "not an array: " + render(results)));
            return diffs;
        }
        if (results.size() != steps.size()) {
            diffs.add("result line: " + results.size() + " results for " + steps.size() + " steps");
        }
        int n = Math.min(results.size(), steps.size());
        for (int i = 0; i < n; i++) {
            JsonNode step = steps.get(i);
            JsonNode op = step.get("op");
            String prefix = "steps[" + i + "] " + (op != null && op.isTextual() ? op.asText() : render(op)) + ": ";
            JsonNode expect = step.get("expect");
            if (expect == null) {
                diffs.add(prefix + "case has no \"expect\"");
                continue;
            }
            for (String d : compareStep(expect, results.get(i), step.get("unordered"))) {
                diffs.add(prefix + d);
            }
        }
        return diffs;
    }

    // ------------------------------------------------------------------ step level

    /**
     * Compares one step's recorded {@code expect} with the replayed result.
     *
     * @param expect          {@code steps[i].expect}
     * @param actual          {@code results[i]} (a Java {@code null} or missing node is a missing result)
     * @param unorderedOrNull {@code steps[i].unordered}, or null / a null node when the step has none
     * @return the differences; empty when the result matches
     */
    public static List<String> compareStep(JsonNode expect, JsonNode actual, JsonNode unorderedOrNull) {
        List<String> diffs = new ArrayList<>();
        if (expect == null || expect.isMissingNode()) {
            diffs.add("<root>: no expect to compare with");
            return diffs;
        }
        if (actual == null || actual.isMissingNode()) {
            diffs.add("<root>: missing result, expected " + render(expect));
            return diffs;
        }
        boolean expectError = isErrorObject(expect);
        boolean actualError = isErrorObject(actual);
        if (expectError && !actualError) {
            diffs.add("<root>: expected error " + render(expect.get("error")) + ", got a non-error result " + render(actual));
            return diffs;
        }
        if (!expectError && actualError) {
            diffs.add("<root>: expected a non-error result " + render(expect) + ", got error " + render(actual.get("error")));
            return diffs;
        }

        if (!expect.isObject() || !actual.isObject()) {
            compare(expect, actual, "", diffs);
            return diffs;
        }

        boolean hasTieRuns = !isAbsent(unorderedOrNull);
        if (hasTieRuns && !unorderedOrNull.isObject()) {
            diffs.add("<root>: \"unordered\" is not an object: " + render(unorderedOrNull));
            hasTieRuns = false;
        }
        if (hasTieRuns) {
            for (Map.Entry<String, JsonNode> u : unorderedOrNull.properties()) {
                String member = u.getKey();
                if (!expect.has(member)) {
                    diffs.add(pointer("", member) + ": \"unordered\" names a member that expect does not have");
                } else if (identityKey(member) == null) {
                    diffs.add(pointer("", member) + ": \"unordered\" names a member without a known identity key");
                }
            }
        }

        compareKeySets(expect, actual, "", diffs);
        for (Map.Entry<String, JsonNode> e : expect.properties()) {
            String key = e.getKey();
            JsonNode a = actual.get(key);
            if (a == null) {
                continue; // reported by compareKeySets
            }
            JsonNode x = e.getValue();
            String path = pointer("", key);
            if ("future_potentials".equals(key) && x.isNull()) {
                continue; // not computed by the engine for that call: anything is accepted
            }
            JsonNode ranges = hasTieRuns ? unorderedOrNull.get(key) : null;
            String idKey = identityKey(key);
            if (!isAbsent(ranges) && idKey != null) {
                if (!x.isArray()) {
                    diffs.add(path + ": \"unordered\" gives tie runs for a non-array expect value " + render(x));
                    compare(x, a, path, diffs);
                } else {
                    compareArrayWithTieRuns(x, a, path, ranges, idKey, diffs);
                }
            } else {
                compare(x, a, path, diffs);
            }
        }
        return diffs;
    }

    /** The identity used to pair the elements of a tie run, per top-level member. */
    static String identityKey(String member) {
        switch (member) {
            case "predictions":
                return "name";
            case "future_potentials":
                return "future";
            default:
                return null;
        }
    }

    /** An error object is a JSON object with an {@code error} member ({@code {"error": {"code": ...}}}). */
    static boolean isErrorObject(JsonNode node) {
        return node != null && node.isObject() && node.has("error");
    }

    // ------------------------------------------------------------------ tie runs

    private static void compareArrayWithTieRuns(JsonNode x, JsonNode a, String path, JsonNode ranges,
                                                String idKey, List<String> diffs) {
        if (!a.isArray()) {
            diffs.add(path + ": expected " + kind(x) + ", got " + kind(a) + " " + render(a));
            return;
        }
        int n = x.size();
        int m = a.size();
        // runOf[i] = index of the tie run containing expected position i, or -1.
        int[] runOf = new int[n];
        java.util.Arrays.fill(runOf, -1);
        List<int[]> runs = new ArrayList<>();
        if (!ranges.isArray()) {
            diffs.add(path + ": tie runs are not an array: " + render(ranges));
        } else {
            for (JsonNode r : ranges) {
                if (!r.isArray() || r.size() != 2 || !r.get(0).canConvertToInt() || !r.get(1).canConvertToInt()
                        || !r.get(0).isIntegralNumber() || !r.get(1).isIntegralNumber()) {
                    diffs.add(path + ": malformed tie run " + render(r));
                    continue;
                }
                int s = r.get(0).intValue();
                int e = r.get(1).intValue();
                if (s < 0 || e > n || s >= e) {
                    diffs.add(path + ": tie run [" + s + ", " + e + ") outside the " + n + " expected elements");
                    continue;
                }
                boolean overlap = false;
                for (int i = s; i < e; i++) {
                    if (runOf[i] >= 0) {
                        overlap = true;
                        break;
                    }
                }
                if (overlap) {
                    diffs.add(path + ": tie run [" + s + ", " + e + ") overlaps another one");
                    continue;
                }
                for (int i = s; i < e; i++) {
                    runOf[i] = runs.size();
                }
                runs.add(new int[] {s, e});
            }
        }
        if (n != m) {
            diffs.add(path + ": array length " + m + ", expected " + n);
        }
        // Positions outside every run: compared in place.
        for (int i = 0; i < Math.min(n, m); i++) {
            if (runOf[i] < 0) {
                compare(x.get(i), a.get(i), path + "/" + i, diffs);
            }
        }
        // Inside a run: pair by identity within the same index range of the actual array.
        for (int[] run : runs) {
            int s = run[0];
            int e = run[1];
            int ae = Math.min(e, m);
            boolean[] used = new boolean[Math.max(0, ae - s)];
            for (int i = s; i < e; i++) {
                JsonNode xe = x.get(i);
                JsonNode id = xe.isObject() ? xe.get(idKey) : null;
                if (id == null) {
                    diffs.add(path + "/" + i + ": expected element of a tie run has no \"" + idKey + "\"");
                    if (i < m) {
                        compare(xe, a.get(i), path + "/" + i, diffs);
                        if (i - s < used.length) {
                            used[i - s] = true;
                        }
                    }
                    continue;
                }
                int match = -1;
                for (int j = s; j < ae; j++) {
                    if (used[j - s]) {
                        continue;
                    }
                    JsonNode cand = a.get(j);
                    JsonNode aid = cand.isObject() ? cand.get(idKey) : null;
                    if (aid != null && sameIdentity(id, aid)) {
                        match = j;
                        break;
                    }
                }
                if (match < 0) {
                    diffs.add(path + "/" + i + ": no element with " + idKey + " " + render(id)
                            + " in the tie run [" + s + ", " + e + ") of the result");
                    continue;
                }
                used[match - s] = true;
                String elemPath = path + "/" + i + (match == i ? "" : "(actual " + match + ")");
                compare(xe, a.get(match), elemPath, diffs);
            }
            for (int j = s; j < ae; j++) {
                if (!used[j - s]) {
                    JsonNode extraElem = a.get(j);
                    JsonNode aid = extraElem.isObject() ? extraElem.get(idKey) : null;
                    diffs.add(path + "/" + j + ": result element with " + idKey + " "
                            + (aid == null ? "<none>" : render(aid)) + " does not belong to the tie run ["
                            + s + ", " + e + ")");
                }
            }
        }
    }

    /** Identity equality: the same rules as for values (identities are strings or arrays of events). */
    private static boolean sameIdentity(JsonNode x, JsonNode a) {
        List<String> d = new ArrayList<>();
        compare(x, a, "", d);
        return d.isEmpty();
    }

    // ------------------------------------------------------------------ recursive rules

    private static void compare(JsonNode x, JsonNode a, String path, List<String> diffs) {
        String p = path.isEmpty() ? "<root>" : path;
        if (a == null || a.isMissingNode()) {
            diffs.add(p + ": missing, expected " + render(x));
            return;
        }
        String kx = kind(x);
        String ka = kind(a);
        if (!kx.equals(ka)) {
            diffs.add(p + ": expected " + kx + " " + render(x) + ", got " + ka + " " + render(a));
            return;
        }
        switch (kx) {
            case "object":
                compareKeySets(x, a, path, diffs);
                for (Map.Entry<String, JsonNode> e : x.properties()) {
                    JsonNode av = a.get(e.getKey());
                    if (av != null) {
                        compare(e.getValue(), av, pointer(path, e.getKey()), diffs);
                    }
                }
                return;
            case "array":
                if (x.size() != a.size()) {
                    diffs.add(p + ": array length " + a.size() + ", expected " + x.size());
                }
                for (int i = 0; i < Math.min(x.size(), a.size()); i++) {
                    compare(x.get(i), a.get(i), path + "/" + i, diffs);
                }
                return;
            case "integer": {
                BigInteger bx = x.bigIntegerValue();
                BigInteger ba = a.bigIntegerValue();
                if (!bx.equals(ba)) {
                    diffs.add(p + ": expected integer " + bx + ", got " + ba);
                }
                return;
            }
            case "float": {
                double dx = x.doubleValue();
                double da = a.doubleValue();
                if (!floatsMatch(dx, da)) {
                    double diff = Math.abs(dx - da);
                    double allowed = Math.max(ABS_TOLERANCE, REL_TOLERANCE * Math.max(Math.abs(dx), Math.abs(da)));
                    diffs.add(p + ": expected float " + x.asText() + ", got " + a.asText()
                            + " (|diff| " + diff + " > allowed " + allowed + ")");
                }
                return;
            }
            case "string": {
                String sx = x.textValue();
                String sa = a.textValue();
                if (!sx.equals(sa)) { // UTF-16 unit equality == code point equality
                    diffs.add(p + ": expected " + render(x) + ", got " + render(a) + firstCodePointDifference(sx, sa));
                }
                return;
            }
            case "boolean":
                if (x.booleanValue() != a.booleanValue()) {
                    diffs.add(p + ": expected " + x.booleanValue() + ", got " + a.booleanValue());
                }
                return;
            case "null":
                return;
            default:
                diffs.add(p + ": cannot compare a " + kx + " value " + render(x));
        }
    }

    /** The float rule of the README: {@code a == b || |a-b| <= max(1e-12, 1e-9 * max(|a|, |b|))}. */
    public static boolean floatsMatch(double a, double b) {
        if (a == b) {
            return true;
        }
        return Math.abs(a - b) <= Math.max(ABS_TOLERANCE, REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)));
    }

    private static void compareKeySets(JsonNode x, JsonNode a, String path, List<String> diffs) {
        String p = path.isEmpty() ? "<root>" : path;
        Set<String> missing = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> e : x.properties()) {
            if (!a.has(e.getKey())) {
                missing.add(e.getKey());
            }
        }
        Set<String> extra = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> e : a.properties()) {
            if (!x.has(e.getKey())) {
                extra.add(e.getKey());
            }
        }
        for (String k : missing) {
            diffs.add(p + ": missing key " + quote(k) + " (expected " + render(x.get(k)) + ")");
        }
        for (String k : extra) {
            diffs.add(p + ": unexpected key " + quote(k) + " (value " + render(a.get(k)) + ")");
        }
    }

    /** The JSON kind of a node as the comparison rules see it. */
    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isFloatingPointNumber()) {
            return "float";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    // ------------------------------------------------------------------ rendering

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull();
    }

    private static String pointer(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    static String render(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "<missing>";
        }
        String s = n.toString();
        if (s.length() > MAX_VALUE_CHARS) {
            s = s.substring(0, MAX_VALUE_CHARS) + "…(" + s.length() + " chars)";
        }
        return s;
    }

    private static String firstCodePointDifference(String x, String a) {
        int[] cx = x.codePoints().toArray();
        int[] ca = a.codePoints().toArray();
        int i = 0;
        while (i < cx.length && i < ca.length && cx[i] == ca[i]) {
            i++;
        }
        String ex = i < cx.length ? String.format("U+%04X", cx[i]) : "end";
        String ea = i < ca.length ? String.format("U+%04X", ca[i]) : "end";
        return " (first difference at code point " + i + ": expected " + ex + ", got " + ea + ")";
    }
}
