package io.kato.worker;

import io.kato.engine.NodeDefaults;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.host.WorkerIdentity;
import io.kato.worker.registration.GatewayRegistration;
import io.kato.worker.storage.NodeStore;
import io.kato.worker.storage.NodeStoreFactory;
import io.kato.worker.storage.NodeStoreOptions;
import io.kato.worker.storage.PostgresStoreOptions;
import io.kato.worker.zmq.ZmqEndpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kato worker}: one worker JVM serving its nodes over gRPC until SIGTERM, then shutting
 * down cleanly (deregister from the gateway, stop accepting, finish in-flight calls with a
 * bounded wait, flush storage). With {@code --gateway} it registers once it serves and keeps
 * the registration alive with heartbeats ({@link GatewayRegistration}).
 */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Run a KATO worker (gRPC processor service).")
public final class WorkerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--grpc-port", defaultValue = "${env:KATO_GRPC_PORT:-50051}", description = "gRPC port (default ${DEFAULT-VALUE})")
  int grpcPort;

  @Option(names = "--admin-port", defaultValue = "${env:KATO_ADMIN_PORT:--1}",
      description = "admin HTTP port for /health and /metrics/prometheus; -1 = off, 0 = any free port")
  int adminPort;

  @Option(names = "--zmq-port", defaultValue = "${env:ZMQ_PORT:--1}",
      description = "legacy ZeroMQ/MessagePack port (API.md §5); -1 = off, 0 = any free port")
  int zmqPort;

  @Option(names = "--processor-id", defaultValue = "${env:PROCESSOR_ID:-default_node}",
      description = "node of legacy ZeroMQ calls that name none")
  String processorId;

  @Option(names = "--processor-name", defaultValue = "${env:PROCESSOR_NAME:-KatoProcessor}",
      description = "PROCESSOR_NAME answered by ping and the legacy name methods (default ${DEFAULT-VALUE})")
  String processorName;

  @Option(names = "--host", defaultValue = "${env:KATO_BIND_HOST:-127.0.0.1}", description = "bind address (default ${DEFAULT-VALUE})")
  String bindHost;

  @Option(names = "--data-dir", defaultValue = "${env:KATO_DATA_DIR:-./data/worker}", description = "data directory (rocksdb)")
  Path dataDir;

  @Option(names = "--store", defaultValue = "${env:KATO_STORE:-rocksdb}", description = "rocksdb | postgres | memory")
  String store;

  @Option(names = "--durability", defaultValue = "${env:KATO_DURABILITY:-fsync}",
      description = "rocksdb: fsync = the WAL is synced before each answer (survives a machine crash); "
          + "process = written, synced by the OS later (survives a crash or kill of the worker, not of the machine)")
  String durability;

  @Option(names = "--pg-url", defaultValue = "${env:KATO_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}", description = "PostgreSQL JDBC URL")
  String pgUrl;

  @Option(names = "--pg-user", defaultValue = "${env:KATO_PG_USER:-postgres}")
  String pgUser;

  @Option(names = "--pg-password", defaultValue = "${env:KATO_PG_PASSWORD:-}", description = "empty = trust auth")
  String pgPassword;

  @Option(names = "--pg-schema", defaultValue = "${env:KATO_PG_SCHEMA:-kato}", description = "schema (created or migrated on start)")
  String pgSchema;

  @Option(names = "--gateway",
      description = "gateway to register with and heartbeat to (host:port or http://host:port); off unless given")
  String gateway;

  @Option(names = "--advertise-host",
      description = "host the gateway and clients reach this worker at (default: --host, or 127.0.0.1 when --host "
          + "is 0.0.0.0 or ::)")
  String advertiseHost;

  @Option(names = "--worker-id", defaultValue = "${env:KATO_WORKER_ID:-worker-1}")
  String workerId;

  @Option(names = "--capacity", defaultValue = "1", description = "placement weight registered with the gateway")
  int capacity;

  @Option(names = "--exit-with-parent", defaultValue = "-1",
      description = "stop when the process with this pid exits (used by ./kato up so no JVM is orphaned)")
  long parentPid;

  @Option(names = "--session-ttl", defaultValue = "${env:SESSION_TTL:-3600}", description = "session TTL seconds")
  long sessionTtl;

  @Option(names = "--session-auto-extend", defaultValue = "${env:SESSION_AUTO_EXTEND:-true}", arity = "1")
  boolean sessionAutoExtend;

  @Option(names = "--lane-threads", defaultValue = "${env:KATO_LANE_THREADS:-0}",
      description = "threads running node lanes; a lane waits on them for its synced writes, so more threads "
          + "let more nodes share one sync (0 = the default, max(4, 2 x cores))")
  int laneThreads;

  @Option(names = "--prediction-memo", defaultValue = "${env:KATO_PREDICTION_MEMO:-8192}",
      description = "predictions each loaded node remembers from its recent searches, answered again without "
          + "searching while its knowledge base is unchanged (0 = off; about 1 KB each at most)")
  int predictionMemo;

  private NodeStoreOptions storeOptions() {
    switch (NodeStoreOptions.Kind.parse(store)) {
      case MEMORY:
        return NodeStoreOptions.memory();
      case ROCKSDB:
        return NodeStoreOptions.rocksDb(dataDir, NodeStoreOptions.Durability.parse(durability));
      default:
        return NodeStoreOptions.postgres(PostgresStoreOptions.of(pgUrl, pgUser, pgPassword.isEmpty() ? null : pgPassword)
            .withSchema(pgSchema));
    }
  }

  /** The host to advertise: {@code --advertise-host}, else {@code --host} unless it is a wildcard. */
  static String advertisedHost(String advertise, String bind) {
    if (advertise != null && !advertise.isBlank()) {
      return advertise;
    }
    return switch (bind) {
      case "0.0.0.0", "::", "[::]", "" -> "127.0.0.1";
      default -> bind;
    };
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public Integer call() throws Exception {
    NodeDefaults defaults = NodeDefaultsFromEnvironment.read(System.getenv());
    if (gateway != null) {
      GatewayRegistration.Address.parse(gateway); // a malformed address stops start-up before anything opens
    }
    HostOptions options = HostOptions.defaults().withNodeDefaults(defaults)
        .withSessionTtl(Duration.ofSeconds(sessionTtl), sessionAutoExtend)
        .withIdentity(new WorkerIdentity(workerId, processorName, capacity));
    if (predictionMemo < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--prediction-memo must be 0 or more");
    }
    options = options.withPredictionMemoSize(predictionMemo);
    if (laneThreads > 0) {
      options = options.withLaneThreads(laneThreads);
    }
    NodeStoreOptions.Kind storeKind = NodeStoreOptions.Kind.parse(store);
    NodeStore nodeStore = NodeStoreFactory.open(storeOptions());
    ProcessorHost host = new ProcessorHost(options, nodeStore, Clock.systemUTC());
    WorkerServer server = WorkerServer.start(host, bindHost, grpcPort, adminPort, options.limits().maxMessageBytes());
    ZmqEndpoint zmq = zmqPort < 0 ? null : ZmqEndpoint.start(host, ZmqEndpoint.Options.defaults()
        .withBind(bindHost, zmqPort).withIdentity(processorName, processorId, workerId, capacity)
        .withLimits(10_000, options.limits().maxMessageBytes()));
    String advertised = advertisedHost(advertiseHost, bindHost);
    GatewayRegistration registration = gateway == null ? null : GatewayRegistration.start(
        GatewayRegistration.Options.of(gateway, workerId, hostPort(advertised, server.port()),
            zmq == null ? null : "tcp://" + hostPort(advertised, zmq.port()), capacity, WorkerMain.VERSION,
            storeKind == NodeStoreOptions.Kind.POSTGRES), nodeStore, host);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: shutting down worker {}", workerId);
      if (registration != null) {
        // first, so the gateway stops routing here while the calls in flight still finish
        registration.close();
      }
      if (zmq != null) {
        zmq.close();
      }
      server.close();
      nodeStore.close();
      stopped.countDown();
    }, "kato-shutdown"));
    if (parentPid > 0) {
      // System.exit runs the shutdown hook above: a clean stop, as on SIGTERM
      ProcessHandle.of(parentPid).ifPresentOrElse(parent -> parent.onExit().thenRun(() -> System.exit(0)),
          () -> System.exit(0));
    }
    // printed only once the shutdown hook is in place: "ready" means SIGTERM is handled
    System.out.println("kato worker " + workerId + " ready: grpc " + bindHost + ":" + server.port()
        + (server.adminPort() < 0 ? "" : " admin " + bindHost + ":" + server.adminPort())
        + (zmq == null ? "" : " zmq " + bindHost + ":" + zmq.port()) + " store " + nodeStore.kind()
        + (registration == null ? "" : " gateway " + gateway));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
