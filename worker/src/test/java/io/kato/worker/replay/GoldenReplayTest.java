package io.kato.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every golden engine case ({@code src/test/resources/golden/*.jsonl}, copied from
 * {@code spec/golden/}) through {@link CaseRunner} and compares each result line with
 * {@link GoldenComparator#compareCase}: one dynamic test per case, named by its id, grouped per file.
 */
class GoldenReplayTest {

    static final String DIR = "golden";
    /** What {@code spec/golden/manifest.json} records; guards against a swapped or truncated manifest. */
    static final int EXPECTED_TOTAL_CASES = 232;
    /** At most this many differences are listed in a failure message. */
    static final int MAX_LISTED_DIFFERENCES = 50;

    // ------------------------------------------------------------------ the cases

    @TestFactory
    Stream<DynamicNode> goldenCases() throws IOException {
        List<String> files = jsonlFiles();
        assertThat(files).as("golden case files on the classpath under %s/", DIR).isNotEmpty();
        return files.stream().map(file -> DynamicContainer.dynamicContainer(
                file, URI.create("classpath:/" + DIR + "/" + file), casesOf(file).stream()));
    }

    private static List<DynamicNode> casesOf(String file) {
        List<String> lines;
        try {
            lines = GoldenComparator.splitLines(readResource(DIR + "/" + file));
        } catch (IOException e) {
            return List.of(DynamicTest.dynamicTest(file + " (unreadable)", () -> fail("cannot read " + file, e)));
        }
        List<DynamicNode> tests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            URI source = URI.create("classpath:/" + DIR + "/" + file + "?line=" + lineNo);
            JsonNode kase;
            try {
                kase = GoldenComparator.parse(line);
            } catch (JsonProcessingException e) {
                tests.add(DynamicTest.dynamicTest("line " + lineNo + " (malformed)", source,
                        () -> fail(file + " line " + lineNo + " is not valid JSON: " + e.getOriginalMessage())));
                continue;
            }
            JsonNode id = kase.get("id");
            String name = id != null && id.isTextual() ? id.asText() : "line " + lineNo + " (no id)";
            tests.add(DynamicTest.dynamicTest(name, source, () -> replay(file, lineNo, line, kase)));
        }
        return tests;
    }

    /**
     * Runs one case. The expected side is the case as {@link GoldenComparator#mapper()} parsed it; the
     * runner gets its own parse of the same line (with {@link CaseRunner#mapper()}), so nothing the
     * runner does to its input can change what it is compared with. The result goes through JSON text
     * (written by {@link CaseRunner#mapper()}, read back by the comparator's mapper), i.e. it is
     * compared as {@code engine-replay} would print it: a tree that is not valid JSON, or whose
     * number kinds do not survive printing, fails here.
     */
    private static void replay(String file, int lineNo, String line, JsonNode expectedCase) throws IOException {
        assertThat(expectedCase.isObject()).as("%s line %d is a JSON object", file, lineNo).isTrue();
        ObjectMapper runnerMapper = CaseRunner.mapper();
        JsonNode runnerCase = runnerMapper.readTree(line);
        ObjectNode result = new CaseRunner().run(runnerCase);
        assertThat(result).as("result line of %s", expectedCase.get("id")).isNotNull();
        String printed = runnerMapper.writeValueAsString(result);
        JsonNode reparsed;
        try {
            reparsed = GoldenComparator.parse(printed);
        } catch (JsonProcessingException e) {
            fail("the result line is not valid JSON once printed (" + e.getOriginalMessage() + "): "
                    + abbreviate(printed, 500));
            return;
        }
        List<String> diffs = GoldenComparator.compareCase(expectedCase, reparsed);
        if (!diffs.isEmpty()) {
            fail(describe(expectedCase.path("id").asText("?"), file, lineNo, diffs));
        }
    }

    static String describe(String id, String file, int lineNo, List<String> diffs) {
        StringBuilder sb = new StringBuilder()
                .append("case ").append(id).append(" (").append(file).append(" line ").append(lineNo).append("): ")
                .append(diffs.size()).append(diffs.size() == 1 ? " difference" : " differences");
        int shown = Math.min(diffs.size(), MAX_LISTED_DIFFERENCES);
        for (int i = 0; i < shown; i++) {
            sb.append("\n  ").append(diffs.get(i));
        }
        if (diffs.size() > shown) {
            sb.append("\n  … and ").append(diffs.size() - shown).append(" more");
        }
        return sb.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }

    // ------------------------------------------------------------------ the copies themselves

    /** Every file of the manifest is on the classpath, byte for byte as long as recorded, with its case count. */
    @Test
    void manifestFilesArePresentWithTheirCaseCounts() throws IOException {
        JsonNode manifest = GoldenComparator.mapper().readTree(readResource(DIR + "/manifest.json"));
        assertThat(manifest.path("format").asText()).isEqualTo("kato-golden/1");
        JsonNode files = manifest.get("files");
        assertThat(files).as("manifest \"files\"").isNotNull();

        Map<String, String> idToFile = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int total = 0;
        TreeSet<String> listed = new TreeSet<>();
        for (Map.Entry<String, JsonNode> f : files.properties()) {
            String file = f.getKey();
            listed.add(file);
            int expectedCases = f.getValue().path("cases").asInt(-1);
            long expectedBytes = f.getValue().path("bytes").asLong(-1);
            total += expectedCases;
            byte[] bytes;
            try {
                bytes = readResource(DIR + "/" + file);
            } catch (IOException e) {
                problems.add(file + ": missing (" + e.getMessage() + ")");
                continue;
            }
            if (bytes.length != expectedBytes) {
                problems.add(file + ": " + bytes.length + " bytes, manifest records " + expectedBytes);
            }
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                problems.add(file + ": does not end with a newline (truncated?)");
            }
            List<String> lines = GoldenComparator.splitLines(bytes);
            if (lines.size() != expectedCases) {
                problems.add(file + ": " + lines.size() + " cases, manifest records " + expectedCases);
            }
            for (int i = 0; i < lines.size(); i++) {
                JsonNode kase;
                try {
                    kase = GoldenComparator.parse(lines.get(i));
                } catch (JsonProcessingException e) {
                    problems.add(file + " line " + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
                    continue;
                }
                JsonNode id = kase.get("id");
                if (id == null || !id.isTextual() || !kase.path("steps").isArray()) {
                    problems.add(file + " line " + (i + 1) + ": not a case (no textual id or no steps)");
                    continue;
                }
                String previous = idToFile.put(id.asText(), file + " line " + (i + 1));
                if (previous != null) {
                    problems.add(file + " line " + (i + 1) + ": duplicate id " + id.asText() + " (also " + previous + ")");
                }
            }
        }
        TreeSet<String> present = new TreeSet<>(jsonlFiles());
        TreeSet<String> unlisted = new TreeSet<>(present);
        unlisted.removeAll(listed);
        if (!unlisted.isEmpty()) {
            problems.add("case files not in the manifest: " + unlisted);
        }
        if (manifest.path("total_cases").asInt(-1) != total) {
            problems.add("manifest total_cases " + manifest.path("total_cases") + " but its files sum to " + total);
        }
        if (total != EXPECTED_TOTAL_CASES) {
            problems.add("manifest lists " + total + " cases, expected " + EXPECTED_TOTAL_CASES);
        }
        if (idToFile.size() != EXPECTED_TOTAL_CASES) {
            problems.add(idToFile.size() + " distinct case ids, expected " + EXPECTED_TOTAL_CASES);
        }
        try {
            readResource(DIR + "/README.md");
        } catch (IOException e) {
            problems.add("README.md: missing");
        }
        assertThat(problems).as("golden copies under src/test/resources/%s", DIR).isEmpty();
    }

    /**
     * The runner's mapper must keep the JSON number kinds (and everything else) of the golden lines:
     * parsing every line with it gives the same tree, kind for kind, as the comparator's mapper.
     */
    @Test
    void caseRunnerMapperKeepsNumberKinds() throws IOException {
        ObjectMapper m = CaseRunner.mapper();
        JsonNode n = m.readTree("{\"f\": 1.0, \"z\": 0.0, \"e\": 1e-07, \"i\": 1, \"l\": 12345678901}");
        assertThat(n.get("f").isFloatingPointNumber()).as("1.0 parses as a float").isTrue();
        assertThat(n.get("z").isFloatingPointNumber()).as("0.0 parses as a float").isTrue();
        assertThat(n.get("e").isFloatingPointNumber()).as("1e-07 parses as a float").isTrue();
        assertThat(n.get("e").doubleValue()).isEqualTo(1e-7);
        assertThat(n.get("i").isIntegralNumber()).as("1 parses as an integer").isTrue();
        assertThat(n.get("l").isIntegralNumber()).as("12345678901 parses as an integer").isTrue();
        assertThat(n.get("l").longValue()).isEqualTo(12345678901L);

        Map<String, List<String>> mismatches = new TreeMap<>();
        for (String file : jsonlFiles()) {
            List<String> lines = GoldenComparator.splitLines(readResource(DIR + "/" + file));
            for (int i = 0; i < lines.size(); i++) {
                JsonNode ours;
                try {
                    ours = GoldenComparator.parse(lines.get(i));
                } catch (JsonProcessingException e) {
                    continue; // reported by manifestFilesArePresentWithTheirCaseCounts and by the case's own test
                }
                JsonNode theirs = m.readTree(lines.get(i));
                List<String> d = GoldenComparator.compareStep(ours, theirs, null);
                if (!d.isEmpty()) {
                    mismatches.put(file + " line " + (i + 1), d.stream().limit(5).collect(Collectors.toList()));
                }
            }
        }
        assertThat(mismatches).as("lines that CaseRunner.mapper() parses differently").isEmpty();
    }

    // ------------------------------------------------------------------ resources

    /** The {@code *.jsonl} files in the classpath directory {@code golden/}, sorted by name. */
    static List<String> jsonlFiles() throws IOException {
        Path dir = resourceDirectory();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".jsonl"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static Path resourceDirectory() throws IOException {
        URL url = GoldenReplayTest.class.getClassLoader().getResource(DIR + "/manifest.json");
        if (url == null) {
            throw new IOException("classpath resource " + DIR + "/manifest.json not found");
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path manifest;
        try {
            manifest = Paths.get(uri);
        } catch (FileSystemNotFoundException e) { // inside a jar
            try {
                FileSystems.newFileSystem(uri, Map.of());
            } catch (java.nio.file.FileSystemAlreadyExistsException ignored) {
                // opened concurrently
            }
            manifest = Paths.get(uri);
        }
        return manifest.getParent();
    }

    static byte[] readResource(String name) throws IOException {
        try (InputStream in = GoldenReplayTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("classpath resource " + name + " not found");
            }
            return in.readAllBytes();
        }
    }
}
