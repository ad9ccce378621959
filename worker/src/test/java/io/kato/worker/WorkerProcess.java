package io.kato.worker;

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

/** A worker JVM started from the shaded jar, as a real child process, for integration tests. */
final class WorkerProcess implements AutoCloseable {
  final Process process;
  final int grpcPort;
  private final StringBuffer output = new StringBuffer();
  private Thread reader;

  private WorkerProcess(Process process, int grpcPort) {
    this.process = process;
    this.grpcPort = grpcPort;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static Path shadedJar() throws IOException {
    try (Stream<Path> files = Files.list(Paths.get("target"))) {
      return files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("shaded jar missing: run the package phase first"));
    }
  }

  /** Starts a worker and waits until it prints its ready line. */
  static WorkerProcess start(int grpcPort, String... extraArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", shadedJar().toString(), "worker", "--grpc-port", String.valueOf(grpcPort)));
    command.addAll(List.of(extraArgs));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    WorkerProcess worker = new WorkerProcess(process, grpcPort);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          worker.output.append(line).append('\n');
          if (line.startsWith("kato worker ") && line.contains(" ready: ")) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("worker exited before it was ready:\n" + worker.output));
    }, "worker-output");
    reader.setDaemon(true);
    reader.start();
    worker.reader = reader;
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("worker did not become ready:\n" + worker.output, e);
    }
    return worker;
  }

  /** Everything the process printed; complete once the process has exited. */
  String output() throws InterruptedException {
    if (!process.isAlive()) {
      reader.join(5_000);
    }
    return output.toString();
  }

  /** SIGTERM, keeping our end of its output open (Process.destroy() would close it). */
  void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
