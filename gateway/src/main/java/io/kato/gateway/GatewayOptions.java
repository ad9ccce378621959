package io.kato.gateway;

import io.kato.common.Limits;
import io.kato.gateway.http.ApiKeys;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one gateway process (API.md §3.7), resolved from defaults, environment and flags
 * by {@link GatewayCommand}.
 *
 * @param staticWorkers gRPC workers given on the command line, {@code id=host:port}; they are
 *     registered at start and kept alive by pings
 * @param processors the {@code PROCESSORS} list of static ZeroMQ processors, {@code pid:host:port,...}
 * @param placementWait how long a call waits for a worker to register when no worker can take its
 *     node, before it answers WORKER_UNAVAILABLE
 * @param apiKeys the API keys of §1.7 (disabled unless keys are configured)
 * @param idempotencyKeep how long answers to {@code Idempotency-Key} requests are kept (SESSION_TTL)
 * @param eventLoops HTTP event loops (one server each on the port); default the number of cores
 */
public record GatewayOptions(
    String host,
    int port,
    String serviceName,
    String defaultNode,
    Limits limits,
    Duration heartbeatInterval,
    int heartbeatMisses,
    Duration grpcDeadline,
    boolean sessionAutoCreate,
    boolean exposeRouting,
    boolean corsEnabled,
    List<String> staticWorkers,
    Duration placementWait,
    String processors,
    ApiKeys apiKeys,
    Duration idempotencyKeep,
    int eventLoops) {

  public static GatewayOptions defaults(int port) {
    return new GatewayOptions("0.0.0.0", port, "kato", "default_node", Limits.DEFAULTS, Duration.ofSeconds(1), 5,
        Duration.ofSeconds(10), false, true, true, List.of(), Duration.ofSeconds(10), "", ApiKeys.disabled(),
        Duration.ofHours(1), Runtime.getRuntime().availableProcessors());
  }
}
