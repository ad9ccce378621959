package io.kato.worker.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kato engine-replay CASES.jsonl}: runs every case of a golden-format file through the
 * engine and prints one {@code {"id": ..., "results": [...]}} line per case (spec/golden
 * README, "Replay tool contract"). It does not compare. A malformed line is reported on standard
 * error with its line number and reason, the remaining cases still run, and the exit status is 2.
 */
@Command(
    name = "engine-replay",
    mixinStandardHelpOptions = true,
    description = "Run golden-format engine cases and print each case's results as one JSON line.")
public final class EngineReplayCommand implements Callable<Integer> {
  static final int EXIT_MALFORMED = 2;

  @Parameters(index = "0", paramLabel = "CASES.jsonl", description = "case file in the golden format, or - for stdin")
  Path cases;

  PrintStream err = System.err;
  Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));

  @Override
  public Integer call() throws IOException {
    byte[] content;
    try {
      content = "-".equals(cases.toString()) ? readAll(System.in) : Files.readAllBytes(cases);
    } catch (IOException e) {
      err.println("engine-replay: cannot read " + cases + ": " + e.getMessage());
      return EXIT_MALFORMED;
    }
    int malformed = replay(content, out, err);
    out.flush();
    return malformed == 0 ? 0 : EXIT_MALFORMED;
  }

  /** Replays every line; returns the number of malformed lines. */
  static int replay(byte[] content, Writer out, PrintStream err) throws IOException {
    ObjectMapper mapper = CaseRunner.mapper();
    CaseRunner runner = new CaseRunner();
    int malformed = 0;
    int lineNumber = 0;
    int start = 0;
    while (start < content.length) {
      int end = start;
      while (end < content.length && content[end] != '\n') {
        end++;
      }
      lineNumber++;
      String problem = replayLine(content, start, end, mapper, runner, out);
      if (problem != null) {
        malformed++;
        err.println("engine-replay: line " + lineNumber + ": " + problem);
      }
      start = end + 1;
    }
    return malformed;
  }

  /** Runs one line; returns null on success (or a blank line), else the reason it is malformed. */
  private static String replayLine(byte[] content, int start, int end, ObjectMapper mapper, CaseRunner runner,
      Writer out) throws IOException {
    String line;
    try {
      line = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content, start, end - start))
          .toString();
    } catch (CharacterCodingException e) {
      return "not valid UTF-8";
    }
    if (line.isBlank()) {
      return null;
    }
    JsonNode caseNode;
    try {
      caseNode = mapper.readTree(line);
    } catch (JsonProcessingException e) {
      return "invalid JSON: " + e.getOriginalMessage();
    }
    String result;
    try {
      result = mapper.writeValueAsString(runner.run(caseNode));
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return "the engine failed on this case: " + e;
    }
    out.write(result);
    out.write('\n');
    return null;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
