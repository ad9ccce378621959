package io.kato.gateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway and its workers as real processes on loopback ports. With the gRPC transport the
 * workers register themselves with the gateway ({@code --gateway}), exactly as {@code ./kato up}
 * starts them. With the ZeroMQ transport they are legacy workers: they only listen on a ZeroMQ
 * port and an admin adds them with {@code POST /workers {"transport": "zmq", ...}}, again after
 * a gateway restart (the gateway keeps no registry of its own).
 */
public final class KatoCluster implements AutoCloseable {
  /** How the gateway reaches the workers. */
  public enum Transport { GRPC, ZMQ }

  private final Path dataRoot;
  private final String store;
  private final Transport transport;
  private int gatewayPort;
  private JvmProcess gateway;
  private final List<JvmProcess> workers = new ArrayList<>();
  /** worker id → its ZeroMQ port, for admins re-adding legacy workers. */
  private final Map<String, Integer> zmqPorts = new LinkedHashMap<>();
  private final List<String> gatewayArgs = new ArrayList<>();
  private final List<String> workerArgs = new ArrayList<>();

  public KatoCluster(Path dataRoot, String store) {
    this(dataRoot, store, Transport.GRPC);
  }

  public KatoCluster(Path dataRoot, String store, Transport transport) {
    this.dataRoot = dataRoot;
    this.store = store;
    this.transport = transport;
  }

  /** Extra gateway flags (e.g. {@code --api-key k}), for this and every later gateway start. */
  public KatoCluster withGatewayArgs(String... args) {
    gatewayArgs.addAll(List.of(args));
    return this;
  }

  /** Extra worker flags (e.g. the PostgreSQL settings), for every worker started later. */
  public KatoCluster withWorkerArgs(String... args) {
    workerArgs.addAll(List.of(args));
    return this;
  }

  public KatoCluster startGateway() throws Exception {
    if (gatewayPort == 0) {
      gatewayPort = JvmProcess.freePort();
    }
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(gatewayPort), "--host", "127.0.0.1"));
    args.addAll(gatewayArgs);
    gateway = JvmProcess.start("gateway", JvmProcess.gatewayJar(), "kato gateway ready", args);
    for (Map.Entry<String, Integer> legacy : zmqPorts.entrySet()) {
      addZmqWorker(legacy.getKey(), legacy.getValue());
    }
    return this;
  }

  /**
   * Starts worker {@code id} and returns once it serves; a gRPC worker registers itself within
   * a beat, a ZeroMQ worker is added by the admin route before this returns.
   */
  public JvmProcess startWorker(String id) throws Exception {
    Path dir = dataRoot.resolve(id);
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(List.of("worker", "--worker-id", id,
        "--grpc-port", String.valueOf(JvmProcess.freePort()), "--store", store, "--data-dir", dir.toString()));
    args.addAll(workerArgs);
    int zmqPort = 0;
    if (transport == Transport.GRPC) {
      args.addAll(List.of("--gateway", "127.0.0.1:" + gatewayPort));
    } else {
      zmqPort = JvmProcess.freePort();
      args.addAll(List.of("--zmq-port", String.valueOf(zmqPort)));
    }
    JvmProcess worker = JvmProcess.start(id, JvmProcess.workerJar(), "ready:", args);
    workers.add(worker);
    if (transport == Transport.ZMQ) {
      zmqPorts.put(id, zmqPort);
      addZmqWorker(id, zmqPort);
    }
    return worker;
  }

  private void addZmqWorker(String id, int zmqPort) throws Exception {
    Http.Reply added = new Http(baseUrl()).post("/workers", Http.json(Map.of("worker_id", id,
        "transport", "zmq", "zmq_address", "tcp://127.0.0.1:" + zmqPort)));
    if (added.status() != 200) {
      throw new IllegalStateException("POST /workers for " + id + " answered " + added.status() + ": "
          + added.text());
    }
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
