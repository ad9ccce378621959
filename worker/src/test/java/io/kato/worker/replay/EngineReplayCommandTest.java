package io.kato.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.engine.PatternNames;
import io.kato.worker.WorkerMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The replay tool's contract in process: one line per case, malformed lines named, exit 2. */
class EngineReplayCommandTest {

  private static final String GOOD = "{\"id\":\"a\",\"steps\":[{\"op\":\"observe\",\"input\":{\"strings\":[\"x\",\"y\"]}},"
      + "{\"op\":\"learn\"},{\"op\":\"get_stm\"}]}";

  @Test
  void printsOneResultLinePerCaseInFileOrder() throws IOException {
    StringWriter out = new StringWriter();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    byte[] input = (GOOD + "\n" + GOOD.replace("\"a\"", "\"b\"") + "\n").getBytes(StandardCharsets.UTF_8);

    int malformed = EngineReplayCommand.replay(input, out, new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(malformed).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    String name = PatternNames.PREFIX + PatternNames.hash(List.of(List.of("x", "y")));
    String results = "[{\"stm_length\":1,\"time\":1,\"auto_learned_pattern\":null},"
        + "{\"pattern_name\":\"" + name + "\"},{\"stm\":[],\"length\":0}]";
    assertThat(out.toString().split("\n")).containsExactly(
        "{\"id\":\"a\",\"results\":" + results + "}",
        "{\"id\":\"b\",\"results\":" + results + "}");
  }

  @Test
  void reportsMalformedLinesWithTheirNumberAndKeepsGoing() throws IOException {
    StringWriter out = new StringWriter();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String file = String.join("\n",
        "{not json",
        GOOD,
        "[1, 2]",
        "{\"id\":\"c\",\"steps\":[{\"op\":\"teleport\"}]}",
        "{\"id\":\"d\",\"steps\":[{\"op\":\"observe\",\"input\":\"anything\"}]}") + "\n";

    int malformed = EngineReplayCommand.replay(file.getBytes(StandardCharsets.UTF_8), out,
        new PrintStream(err, true, StandardCharsets.UTF_8));

    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(malformed).isEqualTo(3);
    assertThat(errors).contains("line 1: invalid JSON").contains("line 3: a case must be a JSON object")
        .contains("line 4: unknown op \"teleport\"");
    // invalid step input is not a malformed case: it is a rejected observation
    assertThat(out.toString().split("\n")).hasSize(2);
    assertThat(out.toString()).contains("{\"id\":\"d\",\"results\":[{\"error\":{\"code\":\"VALIDATION_ERROR\","
        + "\"locations\":[[\"body\"]]}}]}");
  }

  @Test
  void exitStatusIsTwoWhenAnyLineIsMalformedAndZeroOtherwise(@TempDir Path dir) throws IOException {
    Path good = Files.writeString(dir.resolve("good.jsonl"), GOOD + "\n");
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), GOOD + "\nnope\n");

    assertThat(run(good.toString())).isZero();
    assertThat(run(bad.toString())).isEqualTo(2);
    assertThat(run(dir.resolve("missing.jsonl").toString())).isEqualTo(2);
  }

  private static int run(String file) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      return new CommandLine(new WorkerMain()).execute("engine-replay", file);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
