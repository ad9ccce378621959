package io.kato.worker.host;

import io.kato.common.Limits;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Processor;
import java.time.Duration;

/**
 * Settings of a {@link ProcessorHost}.
 *
 * @param sessionTtl default session TTL ({@code SESSION_TTL})
 * @param sessionAutoExtend every access slides the expiry ({@code SESSION_AUTO_EXTEND})
 * @param laneThreads threads that run node lanes (mutations and storage writes)
 * @param predictionThreads the bounded CPU pool predictions run on
 * @param maxPendingPerNode queued operations per node before answering OVERLOADED
 * @param maxPendingPredictions queued prediction computations before answering OVERLOADED
 * @param requestIdsPerNode remembered request ids per node, for idempotent retries
 * @param predictionMemoSize predictions each loaded node remembers from recent searches (0 = off);
 *     about 1 KB each at most, beyond what sessions hold anyway
 * @param identity the worker's id, processor name and capacity (ping, worker stats)
 */
public record HostOptions(
    NodeDefaults nodeDefaults,
    Limits limits,
    Duration sessionTtl,
    boolean sessionAutoExtend,
    int laneThreads,
    int predictionThreads,
    int maxPendingPerNode,
    int maxPendingPredictions,
    int requestIdsPerNode,
    int predictionMemoSize,
    Duration sweepInterval,
    WorkerIdentity identity) {

  public static HostOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new HostOptions(NodeDefaults.STANDARD, Limits.DEFAULTS, Duration.ofSeconds(3600), true,
        Math.max(4, cores * 2), cores, 1_000, 10_000, 4_096, Processor.DEFAULT_MEMO_CAPACITY, Duration.ofSeconds(30),
        WorkerIdentity.DEFAULT);
  }

  public HostOptions withSessionTtl(Duration ttl, boolean autoExtend) {
    return new HostOptions(nodeDefaults, limits, ttl, autoExtend, laneThreads, predictionThreads, maxPendingPerNode,
        maxPendingPredictions, requestIdsPerNode, predictionMemoSize, sweepInterval, identity);
  }

  public HostOptions withNodeDefaults(NodeDefaults defaults) {
    return new HostOptions(defaults, limits, sessionTtl, sessionAutoExtend, laneThreads, predictionThreads,
        maxPendingPerNode, maxPendingPredictions, requestIdsPerNode, predictionMemoSize, sweepInterval, identity);
  }

  public HostOptions withLaneThreads(int threads) {
    return new HostOptions(nodeDefaults, limits, sessionTtl, sessionAutoExtend, threads, predictionThreads,
        maxPendingPerNode, maxPendingPredictions, requestIdsPerNode, predictionMemoSize, sweepInterval, identity);
  }

  public HostOptions withSweepInterval(Duration interval) {
    return new HostOptions(nodeDefaults, limits, sessionTtl, sessionAutoExtend, laneThreads, predictionThreads,
        maxPendingPerNode, maxPendingPredictions, requestIdsPerNode, predictionMemoSize, interval, identity);
  }

  public HostOptions withQueueLimits(int perNode, int predictions) {
    return new HostOptions(nodeDefaults, limits, sessionTtl, sessionAutoExtend, laneThreads, predictionThreads,
        perNode, predictions, requestIdsPerNode, predictionMemoSize, sweepInterval, identity);
  }

  public HostOptions withPredictionMemoSize(int predictions) {
    return new HostOptions(nodeDefaults, limits, sessionTtl, sessionAutoExtend, laneThreads, predictionThreads,
        maxPendingPerNode, maxPendingPredictions, requestIdsPerNode, predictions, sweepInterval, identity);
  }

  public HostOptions withIdentity(WorkerIdentity worker) {
    return new HostOptions(nodeDefaults, limits, sessionTtl, sessionAutoExtend, laneThreads, predictionThreads,
        maxPendingPerNode, maxPendingPredictions, requestIdsPerNode, predictionMemoSize, sweepInterval, worker);
  }
}
