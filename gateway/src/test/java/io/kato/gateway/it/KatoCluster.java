package io.kato.gateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway and its workers as real processes on loopback ports: workers register themselves
 * with the gateway ({@code --gateway}), exactly as {@code ./kato up} starts them.
 */
public final class KatoCluster implements AutoCloseable {
  private final Path dataRoot;
  private final String store;
  private int gatewayPort;
  private JvmProcess gateway;
  private final List<JvmProcess> workers = new ArrayList<>();

  public KatoCluster(Path dataRoot, String store) {
    this.dataRoot = dataRoot;
    this.store = store;
  }

  public KatoCluster startGateway() throws Exception {
    if (gatewayPort == 0) {
      gatewayPort = JvmProcess.freePort();
    }
    gateway = JvmProcess.start("gateway", JvmProcess.gatewayJar(), "kato gateway ready",
        List.of("--port", String.valueOf(gatewayPort), "--host", "127.0.0.1"));
    return this;
  }

  /** Starts worker {@code id} and returns once it serves (registration follows within a beat). */
  public JvmProcess startWorker(String id) throws Exception {
    Path dir = dataRoot.resolve(id);
    Files.createDirectories(dir);
    JvmProcess worker = JvmProcess.start(id, JvmProcess.workerJar(), "ready:", List.of("worker", "--worker-id", id,
        "--grpc-port", String.valueOf(JvmProcess.freePort()), "--store", store, "--data-dir", dir.toString(),
        "--gateway", "127.0.0.1:" + gatewayPort));
    workers.add(worker);
    return worker;
  }

  public int gatewayPort() {
    return gatewayPort;
  }

  public JvmProcess gateway() {
    return gateway;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  @Override
  public void close() throws Exception {
    for (JvmProcess w : workers) {
      w.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }
}
