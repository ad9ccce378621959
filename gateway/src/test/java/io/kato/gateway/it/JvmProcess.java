package io.kato.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A gateway or worker JVM started from its shaded jar as a real child process. */
public final class JvmProcess implements AutoCloseable {
  private final Process process;
  private final String name;
  private final StringBuffer output;
  private final Thread reader;

  private JvmProcess(Process process, String name, StringBuffer output, Thread reader) {
    this.process = process;
    this.name = name;
    this.output = output;
    this.reader = reader;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The gateway's own shaded jar (this module's target). */
  public static Path gatewayJar() throws IOException {
    return jarIn(Paths.get("target"));
  }

  /** The worker's shaded jar, built earlier in the same reactor. */
  public static Path workerJar() throws IOException {
    return jarIn(Paths.get("..", "worker", "target"));
  }

  private static Path jarIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("shaded jar missing in " + dir + ": run package first"));
    }
  }

  /** Starts {@code java -jar jar args...} and waits for a line containing {@code readyMarker}. */
  public static JvmProcess start(String name, Path jar, String readyMarker, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          if (line.contains(readyMarker)) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready:\n" + output));
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not become ready:\n" + output, e);
    }
    return new JvmProcess(process, name, output, reader);
  }

  /** Everything the process printed so far. */
  public String output() {
    return output.toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, keeping our end of its output open. */
  public void terminate() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGKILL. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
    reader.join(2000);
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
