package io.kato.worker;

import io.kato.engine.NodeDefaults;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kato worker}: one worker JVM serving its nodes over gRPC until SIGTERM, then shutting
 * down cleanly (stop accepting, finish in-flight calls with a bounded wait, flush storage).
 */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Run a KATO worker (gRPC processor service).")
public final class WorkerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

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

  @Option(names = "--host", defaultValue = "${env:KATO_BIND_HOST:-127.0.0.1}", description = "bind address (default ${DEFAULT-VALUE})")
  String bindHost;

  @Option(names = "--data-dir", defaultValue = "${env:KATO_DATA_DIR:-./data/worker}", description = "data directory (rocksdb)")
  Path dataDir;

  @Option(names = "--store", defaultValue = "${env:KATO_STORE:-rocksdb}", description = "rocksdb | postgres | memory")
  String store;

  @Option(names = "--pg-url", defaultValue = "${env:KATO_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}", description = "PostgreSQL JDBC URL")
  String pgUrl;

  @Option(names = "--pg-user", defaultValue = "${env:KATO_PG_USER:-postgres}")
  String pgUser;

  @Option(names = "--pg-password", defaultValue = "${env:KATO_PG_PASSWORD:-}", description = "empty = trust auth")
  String pgPassword;

  @Option(names = "--pg-schema", defaultValue = "${env:KATO_PG_SCHEMA:-kato}", description = "schema (created or migrated on start)")
  String pgSchema;

  @Option(names = "--gateway", description = "gateway URL to register with (registration arrives with the gateway)")
  String gateway;

  @Option(names = "--worker-id", defaultValue = "${env:KATO_WORKER_ID:-worker-1}")
  String workerId;

  @Option(names = "--capacity", defaultValue = "1")
  int capacity;

  @Option(names = "--session-ttl", defaultValue = "${env:SESSION_TTL:-3600}", description = "session TTL seconds")
  long sessionTtl;

  @Option(names = "--session-auto-extend", defaultValue = "${env:SESSION_AUTO_EXTEND:-true}", arity = "1")
  boolean sessionAutoExtend;

  private NodeStoreOptions storeOptions() {
    switch (NodeStoreOptions.Kind.parse(store)) {
      case MEMORY:
        return NodeStoreOptions.memory();
      case ROCKSDB:
        return NodeStoreOptions.rocksDb(dataDir);
      default:
        return NodeStoreOptions.postgres(PostgresStoreOptions.of(pgUrl, pgUser, pgPassword.isEmpty() ? null : pgPassword)
            .withSchema(pgSchema));
    }
  }

  @Override
  public Integer call() throws Exception {
    NodeDefaults defaults = NodeDefaultsFromEnvironment.read(System.getenv());
    HostOptions options = HostOptions.defaults().withNodeDefaults(defaults)
        .withSessionTtl(Duration.ofSeconds(sessionTtl), sessionAutoExtend);
    NodeStore nodeStore = NodeStoreFactory.open(storeOptions());
    ProcessorHost host = new ProcessorHost(options, nodeStore, Clock.systemUTC());
    WorkerServer server = WorkerServer.start(host, bindHost, grpcPort, adminPort, options.limits().maxMessageBytes());
    ZmqEndpoint zmq = zmqPort < 0 ? null : ZmqEndpoint.start(host, ZmqEndpoint.Options.defaults()
        .withBind(bindHost, zmqPort).withIdentity("KatoProcessor", processorId, workerId, capacity)
        .withLimits(10_000, options.limits().maxMessageBytes()));
    if (gateway != null) {
      LOG.warn("--gateway {} given: registration is not implemented yet; serving without a gateway", gateway);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: shutting down worker {}", workerId);
      if (zmq != null) {
        zmq.close();
      }
      server.close();
      nodeStore.close();
      stopped.countDown();
    }, "kato-shutdown"));
    // printed only once the shutdown hook is in place: "ready" means SIGTERM is handled
    System.out.println("kato worker " + workerId + " ready: grpc " + bindHost + ":" + server.port()
        + (server.adminPort() < 0 ? "" : " admin " + bindHost + ":" + server.adminPort())
        + (zmq == null ? "" : " zmq " + bindHost + ":" + zmq.port()) + " store " + nodeStore.kind());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
