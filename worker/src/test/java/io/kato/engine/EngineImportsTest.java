package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine ({@code io.kato.engine} and its sub-packages) is a pure library: it imports only the
 * JDK ({@code java.*}, {@code javax.*}) and itself — no Vert.x, gRPC, Jackson, no
 * {@code io.kato.worker/common/gateway}, and no I/O packages ({@code java.io}, {@code java.nio}
 * other than {@code java.nio.charset}, {@code java.net}).
 */
class EngineImportsTest {

  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");

  /**
   * The disallowed imports of one source file, each as {@code "<file>:<line>: <import line>"}.
   * Only import declarations are checked.
   */
  static List<String> importViolations(String fileName, String source) {
    List<String> violations = new ArrayList<>();
    String[] lines = source.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = IMPORT.matcher(lines[i]);
      if (m.find() && !isAllowed(m.group(2))) {
        violations.add(fileName + ":" + (i + 1) + ": " + lines[i].trim());
      }
    }
    return violations;
  }

  static boolean isAllowed(String imported) {
    if (imported.startsWith("io.kato.engine.") || imported.equals("io.kato.engine")) {
      return true;
    }
    if (imported.startsWith("java.io.") || imported.startsWith("java.net.")) {
      return false;
    }
    if (imported.startsWith("java.nio.")) {
      return imported.startsWith("java.nio.charset.");
    }
    return imported.startsWith("java.") || imported.startsWith("javax.");
  }

  static Path engineSourceDirectory() {
    for (String candidate : List.of("src/main/java/io/kato/engine", "worker/src/main/java/io/kato/engine")) {
      Path dir = Paths.get(candidate);
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    throw new AssertionError("engine sources not found from " + Paths.get("").toAbsolutePath());
  }

  @Test
  void engineSourcesImportOnlyTheJdkAndTheEngine() throws IOException {
    Path dir = engineSourceDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    assertThat(files).as("engine sources under %s", dir).hasSizeGreaterThan(20);
    assertThat(files).as("text sub-package is scanned").anyMatch(p -> p.toString().contains("text"));
    List<String> violations = new ArrayList<>();
    for (Path file : files) {
      violations.addAll(importViolations(dir.relativize(file).toString(),
          new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
    }
    assertThat(violations).as("disallowed imports in the engine").isEmpty();
  }

  @Test
  void theCheckNamesFileAndLineOfEveryOffendingImport() {
    String source = String.join("\n",
        "package io.kato.engine;",
        "",
        "import java.util.List;",
        "import java.nio.charset.StandardCharsets;",
        "import io.kato.engine.text.PyText;",
        "import static io.kato.engine.text.PyText.repr;",
        "import javax.annotation.processing.Generated;",
        "import com.fasterxml.jackson.databind.ObjectMapper;",
        "import io.vertx.core.Vertx;",
        "import io.grpc.stub.StreamObserver;",
        "import io.kato.worker.json.EngineJson;",
        "import io.kato.common.ErrorCode;",
        "import   io.kato.gateway.Main ;",
        "import java.io.File;",
        "import java.nio.file.Files;",
        "import java.nio.ByteBuffer;",
        "import java.net.URI;",
        "import static java.io.File.separator;",
        "import java.io.*;",
        "import io.kato.engineering.Thing;",
        "",
        "final class Sample {",
        "  // import java.io.File; in a comment does not count",
        "}");

    List<String> violations = importViolations("Sample.java", source);

    assertThat(violations).containsExactly(
        "Sample.java:8: import com.fasterxml.jackson.databind.ObjectMapper;",
        "Sample.java:9: import io.vertx.core.Vertx;",
        "Sample.java:10: import io.grpc.stub.StreamObserver;",
        "Sample.java:11: import io.kato.worker.json.EngineJson;",
        "Sample.java:12: import io.kato.common.ErrorCode;",
        "Sample.java:13: import   io.kato.gateway.Main ;",
        "Sample.java:14: import java.io.File;",
        "Sample.java:15: import java.nio.file.Files;",
        "Sample.java:16: import java.nio.ByteBuffer;",
        "Sample.java:17: import java.net.URI;",
        "Sample.java:18: import static java.io.File.separator;",
        "Sample.java:19: import java.io.*;",
        "Sample.java:20: import io.kato.engineering.Thing;");
  }

  @Test
  void aCleanSourceHasNoViolations() {
    String source = "package io.kato.engine.text;\r\n\r\nimport java.math.BigDecimal;\r\n"
        + "import java.util.concurrent.locks.ReadWriteLock;\r\nimport io.kato.engine.Genes;\r\n"
        + "import java.nio.charset.StandardCharsets;\r\n\r\nfinal class Clean {}\r\n";
    assertThat(importViolations("text/Clean.java", source)).isEmpty();
  }
}
