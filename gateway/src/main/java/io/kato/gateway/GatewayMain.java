package io.kato.gateway;

import io.kato.common.Limits;
import io.kato.gateway.http.ApiKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kato gateway}: the KATO v3-compatible HTTP/WebSocket front door. Workers register
 * themselves (gRPC {@code Registry} on the same port, or {@code POST /workers}); {@code --worker}
 * adds gRPC workers at start. Runs until SIGTERM.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "kato-gateway 0.1.0",
    description = "Run the KATO gateway (REST/WebSocket API, worker registry, routing).")
public final class GatewayMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  @Option(names = "--port", defaultValue = "${env:PORT:-8000}", description = "HTTP port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", defaultValue = "${env:HOST:-0.0.0.0}", description = "bind address (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--worker", description = "a gRPC worker to route to, [id=]host:port (repeatable)")
  List<String> workers = new ArrayList<>();

  @Option(names = "--service-name", defaultValue = "${env:SERVICE_NAME:-kato}", description = "SERVICE_NAME")
  String serviceName;

  @Option(names = "--default-node", defaultValue = "${env:PROCESSOR_ID:-default_node}",
      description = "node of node-scoped routes that name none (PROCESSOR_ID)")
  String defaultNode;

  @Option(names = "--heartbeat-interval-ms", defaultValue = "${env:KATO_HEARTBEAT_INTERVAL_MS:-1000}")
  long heartbeatIntervalMs;

  @Option(names = "--heartbeat-misses", defaultValue = "${env:KATO_HEARTBEAT_MISSES:-5}")
  int heartbeatMisses;

  @Option(names = "--grpc-deadline-ms", defaultValue = "${env:KATO_GRPC_DEADLINE_MS:-10000}")
  long grpcDeadlineMs;

  @Option(names = "--max-message-bytes", defaultValue = "${env:KATO_MAX_MESSAGE_BYTES:-16777216}")
  int maxMessageBytes;

  @Option(names = "--cors", defaultValue = "${env:CORS_ENABLED:-true}", arity = "1")
  boolean cors;

  @Option(names = "--expose-routing", defaultValue = "${env:KATO_EXPOSE_ROUTING:-true}", arity = "1",
      description = "send X-Kato-Worker on routed responses")
  boolean exposeRouting;

  @Option(names = "--placement-wait-ms", defaultValue = "${env:KATO_PLACEMENT_WAIT_MS:-10000}",
      description = "how long a call waits for a worker to register before 503 WORKER_UNAVAILABLE")
  long placementWaitMs;

  @Option(names = "--processors", defaultValue = "${env:PROCESSORS:-}",
      description = "static ZeroMQ processors pid:host:port,... (PROCESSORS)")
  String processors;

  @Option(names = "--api-key", description = "an accepted API key (repeatable; adds to KATO_API_KEYS / AUTH_API_KEYS)")
  List<String> apiKeys = new ArrayList<>();

  @Option(names = "--admin-api-key", description = "a key allowed on admin writes (repeatable; adds to KATO_ADMIN_API_KEYS)")
  List<String> adminApiKeys = new ArrayList<>();

  @Option(names = "--idempotency-keep-seconds", defaultValue = "${env:SESSION_TTL:-3600}",
      description = "how long Idempotency-Key answers are kept (default SESSION_TTL, ${DEFAULT-VALUE})")
  long idempotencyKeepSeconds;

  @Option(names = "--event-loops", defaultValue = "${env:KATO_EVENT_LOOPS:-0}",
      description = "HTTP event loops (default 0 = one per core)")
  int eventLoops;

  @Option(names = "--exit-with-parent", defaultValue = "-1",
      description = "stop when the process with this pid exits (used by ./kato up so no JVM is orphaned)")
  long parentPid;

  @Override
  public Integer call() throws InterruptedException {
    String broker = System.getenv().getOrDefault("KATO_INGEST_BROKER", "none").trim();
    if (!broker.isEmpty() && !broker.equalsIgnoreCase("none")) {
      // an operator who asks for ingestion must not get a gateway that silently ignores the broker
      System.err.println("kato gateway: KATO_INGEST_BROKER=" + broker + ": event ingestion (API.md 6.9) is not "
          + "available in this build; unset it or set it to none");
      return 2;
    }
    Limits d = Limits.DEFAULTS;
    Limits limits = new Limits(maxMessageBytes, d.maxSymbolsPerEvent(), d.maxSymbolLength(), d.maxVectorsPerEvent(),
        d.maxVectorDimension(), d.maxEmotives(), d.maxSequenceObservations(), d.maxNodeIdLength(),
        d.maxSessionIdLength());
    GatewayOptions options = new GatewayOptions(host, port, serviceName, defaultNode, limits,
        Duration.ofMillis(heartbeatIntervalMs), heartbeatMisses, Duration.ofMillis(grpcDeadlineMs), false,
        exposeRouting, cors, List.copyOf(workers), Duration.ofMillis(placementWaitMs),
        processors, apiKeysFromEnvironment(), Duration.ofSeconds(Math.max(1, idempotencyKeepSeconds)),
        eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors());
    GatewayServer server = GatewayServer.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("kato gateway stopping");
      server.close();
      stopped.countDown();
    }, "kato-gateway-shutdown"));
    if (parentPid > 0) {
      ProcessHandle.of(parentPid).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> {
            LOG.warn("parent process {} exited: stopping", parentPid);
            System.exit(0);
          }),
          () -> System.exit(0));
    }
    System.out.println("kato gateway ready: http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":"
        + server.port());
    System.out.flush();
    stopped.await();
    return 0;
  }

  /**
   * KATO_API_KEYS (alias AUTH_API_KEYS) plus --api-key; AUTH_ENABLED=false switches them off;
   * KATO_ADMIN_API_KEYS for admin writes; AUTH_API_KEY_HEADER names the header (§3.7).
   */
  private ApiKeys apiKeysFromEnvironment() {
    Map<String, String> env = System.getenv();
    Set<String> keys = new LinkedHashSet<>(ApiKeys.parseList(env.getOrDefault("KATO_API_KEYS",
        env.getOrDefault("AUTH_API_KEYS", ""))));
    apiKeys.forEach(k -> keys.addAll(ApiKeys.parseList(k)));
    if ("false".equalsIgnoreCase(env.getOrDefault("AUTH_ENABLED", "").trim())) {
      return ApiKeys.disabled();
    }
    Set<String> adminKeys = new LinkedHashSet<>(ApiKeys.parseList(env.get("KATO_ADMIN_API_KEYS")));
    adminApiKeys.forEach(k -> adminKeys.addAll(ApiKeys.parseList(k)));
    return new ApiKeys(keys, adminKeys, env.getOrDefault("AUTH_API_KEY_HEADER", "X-API-Key"));
  }

  public static void main(String[] args) {
    int code = new CommandLine(new GatewayMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
