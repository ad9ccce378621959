package io.kato.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded worker jar as a real process, {@code engine-replay} over every golden case at
 * once, and checks each printed line against the recorded results; then checks the exit status
 * and error report of a malformed file.
 */
class EngineReplayProcessIT {

  private static Path shadedJar() throws IOException {
    try (Stream<Path> files = Files.list(Paths.get("target"))) {
      return files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("shaded jar missing: run the package phase first"));
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run replay(Path cases, Path dir) throws IOException, InterruptedException {
    Path out = dir.resolve("out.jsonl");
    Path err = dir.resolve("err.txt");
    Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", shadedJar().toString(), "engine-replay", cases.toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("replay finished in time").isTrue();
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void everyGoldenCaseReplaysExactlyThroughTheJar(@TempDir Path dir) throws Exception {
    List<String> caseLines = new ArrayList<>();
    try (Stream<Path> files = Files.list(Paths.get("src/test/resources/golden"))) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jsonl")).sorted()::iterator) {
        caseLines.addAll(GoldenComparator.splitLines(Files.readAllBytes(file)));
      }
    }
    Path all = Files.writeString(dir.resolve("all.jsonl"), String.join("\n", caseLines) + "\n");

    Run run = replay(all, dir);

    assertThat(run.exitCode()).as("exit status; stderr: %s", run.err()).isZero();
    List<String> resultLines = GoldenComparator.splitLines(run.out().getBytes(StandardCharsets.UTF_8));
    assertThat(resultLines).hasSameSizeAs(caseLines).hasSize(232);
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < caseLines.size(); i++) {
      JsonNode expected = GoldenComparator.parse(caseLines.get(i));
      differences.addAll(GoldenComparator.compareCase(expected, GoldenComparator.parse(resultLines.get(i))));
    }
    assertThat(differences).isEmpty();
  }

  @Test
  void malformedLinesAreReportedAndTheExitStatusIsTwo(@TempDir Path dir) throws Exception {
    Path cases = Files.writeString(dir.resolve("cases.jsonl"),
        "{\"id\":\"ok\",\"steps\":[{\"op\":\"learn\"}]}\n{\"id\": 5}\n");

    Run run = replay(cases, dir);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEqualTo("{\"id\":\"ok\",\"results\":[{\"error\":{\"code\":\"EMPTY_STM\","
        + "\"detail\":\"Cannot learn from empty STM\"}}]}\n");
    assertThat(run.err()).contains("line 2:").contains("\"id\"");
  }
}
