package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kato up} as a user runs it: it starts a gateway and its workers, waits until they
 * are registered, serves, and leaves no JVM behind when the launcher is SIGTERMed or even
 * SIGKILLed (the children watch their parent with {@code --exit-with-parent}).
 */
class LauncherIT {
  private static final Path KATO = Paths.get("..", "kato").toAbsolutePath().normalize();

  @TempDir
  Path data;

  private record Launched(Process launcher, List<ProcessHandle> jvms, int port) {}

  private Launched up(int workers) throws Exception {
    int port = JvmProcess.freePort();
    int grpcBase = JvmProcess.freePort();
    int zmqBase = JvmProcess.freePort();
    ProcessBuilder builder = new ProcessBuilder("bash", KATO.toString(), "up", "--port", String.valueOf(port), "--workers",
        String.valueOf(workers), "--data-dir", data.toString(), "--grpc-base-port", String.valueOf(grpcBase),
        "--zmq-base-port", String.valueOf(zmqBase)).redirectErrorStream(true);
    builder.environment().put("KATO_NO_BUILD", "1"); // this build made the jars; never build inside it
    Process launcher = builder.start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("kato is up")) {
            ready.complete(null);
          }
        }
      } catch (Exception ignored) {
        // the launcher ended
      }
      ready.completeExceptionally(new IllegalStateException("./kato up ended:\n" + output));
    });
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
      throw new AssertionError("./kato up did not come up:\n" + output, e);
    }
    List<ProcessHandle> jvms = launcher.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
        .toList();
    return new Launched(launcher, jvms, port);
  }

  private static void assertAllGone(List<ProcessHandle> jvms, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (jvms.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    List<ProcessHandle> alive = jvms.stream().filter(ProcessHandle::isAlive).toList();
    alive.forEach(ProcessHandle::destroyForcibly);
    assertThat(alive).as("JVMs still running after the launcher ended").isEmpty();
  }

  @Test
  void upServesAndAKilledLauncherLeavesNoJvmBehind() throws Exception {
    Launched launched = up(2);
    assertThat(launched.jvms()).as("a gateway and two workers").hasSize(3);
    Http http = new Http("http://127.0.0.1:" + launched.port());
    assertThat(http.get("/ready").json().path("workers_live").asInt()).isEqualTo(2);
    Http.Reply created = http.post("/sessions", "{\"node_id\": \"launcher\"}");
    assertThat(created.status()).isEqualTo(200);

    launched.launcher().destroyForcibly(); // SIGKILL: no trap runs, only the children's watch
    assertThat(launched.launcher().waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertAllGone(launched.jvms(), 30);
  }

  @Test
  void aTerminatedLauncherStopsItsProcesses() throws Exception {
    Launched launched = up(1);
    assertThat(launched.jvms()).hasSize(2);
    launched.launcher().toHandle().destroy(); // SIGTERM: the launcher stops them itself
    assertThat(launched.launcher().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertAllGone(launched.jvms(), 30);
  }
}
