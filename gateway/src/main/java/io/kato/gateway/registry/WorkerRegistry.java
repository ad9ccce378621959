package io.kato.gateway.registry;

import io.kato.common.ErrorCode;
import io.kato.gateway.transport.WorkerTransport;
import io.kato.proto.v1.RegisterRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers a gateway routes to, with their leases (API.md §6.2). Registration is an
 * idempotent upsert that bumps the worker's generation; a heartbeat renews the lease; {@link
 * #tick} ages leases: two missed beats make a worker suspect (no new nodes), {@code misses}
 * make it dead (its nodes move on their next call). Static workers (the {@code PROCESSORS} list)
 * and ZeroMQ workers are not aged by beats; the gateway pings them instead ({@link #pinged}).
 *
 * <p>Thread-safe: records are replaced atomically in a concurrent map, leases are volatile.
 */
public final class WorkerRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);
  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
  private final Function<RegisterRequest, WorkerTransport> transports;
  private final Duration heartbeatInterval;
  private final int misses;
  private final Clock clock;

  public WorkerRegistry(Function<RegisterRequest, WorkerTransport> transports, Duration heartbeatInterval, int misses,
      Clock clock) {
    this.transports = transports;
    this.heartbeatInterval = heartbeatInterval;
    this.misses = misses;
    this.clock = clock;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Registers or updates a worker; the new record starts live with the next generation. */
  public Worker register(RegisterRequest request, boolean isStatic) {
    String id = request.getWorkerId();
    if (!WORKER_ID.matcher(id).matches()) {
      throw new RegistryException(ErrorCode.VALIDATION_ERROR, "worker_id must be 1-128 characters of [A-Za-z0-9._-]");
    }
    String transport = request.getTransport().isEmpty() ? "grpc" : request.getTransport();
    if (!transport.equals("grpc") && !transport.equals("zmq")) {
      throw new RegistryException(ErrorCode.VALIDATION_ERROR, "transport must be grpc or zmq");
    }
    if (transport.equals("grpc") && !hostPort(request.getGrpcAddress())) {
      throw new RegistryException(ErrorCode.VALIDATION_ERROR, "grpc_address must be host:port");
    }
    if (transport.equals("zmq") && !request.getZmqAddress().startsWith("tcp://")) {
      throw new RegistryException(ErrorCode.VALIDATION_ERROR, "zmq_address must be tcp://host:port");
    }
    if (request.getCapacity() < 0) {
      throw new RegistryException(ErrorCode.VALIDATION_ERROR, "capacity must be >= 1");
    }
    boolean exclusive = request.getExclusive()
        || (transport.equals("zmq") && !request.getProcessorsList().isEmpty());
    Worker previous = workers.get(id);
    boolean sameEndpoint = previous != null && previous.grpcAddress.equals(request.getGrpcAddress())
        && previous.zmqAddress.equals(request.getZmqAddress()) && previous.transportKind.equals(transport);
    WorkerTransport channel = sameEndpoint ? previous.transport : transports.apply(request);
    Worker worker = new Worker(id, transport, request.getGrpcAddress(), request.getZmqAddress(),
        request.getCapacity() == 0 ? 1 : request.getCapacity(), request.getProcessorsList(), exclusive,
        request.getLabelsMap(), request.getVersion(), isStatic, new HashSet<>(request.getHostedKbIdsList()),
        request.getSharedStore(), clock.instant(), previous == null ? 1 : previous.generation + 1, channel,
        sameEndpoint ? previous.circuit : WorkerCircuit.create(id));
    if (previous != null && previous.state == WorkerState.DRAINING) {
      worker.state = WorkerState.DRAINING; // a drain outlives re-registration: it ends when the worker leaves
    }
    workers.put(id, worker);
    if (previous != null && !sameEndpoint) {
      previous.transport.close();
    }
    LOG.info("worker registered: worker_id={} transport={} grpc={} zmq={} capacity={} generation={} hosted_nodes={}",
        id, transport, worker.grpcAddress, worker.zmqAddress, worker.capacity, worker.generation,
        worker.hostedKbIds.size());
    return worker;
  }

  /** Renews a lease. {@code generation} 0 means "any". */
  public Worker heartbeat(String workerId, long generation) {
    Worker worker = workers.get(workerId);
    if (worker == null) {
      throw new RegistryException(ErrorCode.WORKER_NOT_FOUND, "Worker " + workerId + " not found");
    }
    if (generation != 0 && generation != worker.generation) {
      throw new RegistryException(ErrorCode.STALE_EPOCH, "Worker " + workerId + " generation " + generation
          + " is not the current " + worker.generation + ": register again");
    }
    worker.lastHeartbeat = clock.instant();
    worker.missedHeartbeats = 0;
    if (worker.state == WorkerState.SUSPECT || worker.state == WorkerState.DEAD) {
      LOG.info("worker live again: worker_id={}", workerId);
      worker.state = WorkerState.LIVE;
    }
    return worker;
  }

  public boolean deregister(String workerId) {
    Worker removed = workers.remove(workerId);
    if (removed != null) {
      removed.transport.close();
      LOG.info("worker deregistered: worker_id={}", workerId);
    }
    return removed != null;
  }

  public Worker drain(String workerId) {
    Worker worker = get(workerId).orElseThrow(() ->
        new RegistryException(ErrorCode.WORKER_NOT_FOUND, "Worker " + workerId + " not found"));
    worker.state = WorkerState.DRAINING;
    return worker;
  }

  /** Ages the leases of heartbeating workers. */
  public void tick() {
    Instant now = clock.instant();
    for (Worker worker : workers.values()) {
      if (worker.pingedByGateway()) {
        continue;
      }
      long missed = Duration.between(worker.lastHeartbeat, now).toMillis() / Math.max(1, heartbeatInterval.toMillis());
      worker.missedHeartbeats = missed;
      WorkerState before = worker.state;
      if (before == WorkerState.DRAINING) {
        continue;
      }
      WorkerState after = missed >= misses ? WorkerState.DEAD : missed >= 2 ? WorkerState.SUSPECT : WorkerState.LIVE;
      if (after != before) {
        worker.state = after;
        LOG.warn("worker state changed: worker_id={} from={} to={} missed_heartbeats={}", worker.workerId,
            before.wireName(), after.wireName(), missed);
      }
    }
  }

  /** Marks a static (pinged) worker live or failed. */
  public void pinged(String workerId, boolean ok, int consecutiveFailures) {
    Worker worker = workers.get(workerId);
    if (worker == null) {
      return;
    }
    if (ok) {
      worker.lastHeartbeat = clock.instant();
      worker.missedHeartbeats = 0;
      worker.state = WorkerState.LIVE;
    } else {
      worker.missedHeartbeats = consecutiveFailures;
      if (consecutiveFailures >= misses) {
        worker.state = WorkerState.DEAD;
      }
    }
  }

  public Optional<Worker> get(String workerId) {
    return Optional.ofNullable(workers.get(workerId));
  }

  /** Every worker, by id. */
  public List<Worker> all() {
    List<Worker> list = new ArrayList<>(workers.values());
    list.sort(Comparator.comparing(Worker::workerId));
    return list;
  }

  /** Workers that may be called (live, suspect or draining). */
  public List<Worker> serving() {
    List<Worker> list = new ArrayList<>();
    for (Worker w : all()) {
      if (w.state.serves()) {
        list.add(w);
      }
    }
    return list;
  }

  public long liveCount() {
    return workers.values().stream().filter(w -> w.state == WorkerState.LIVE).count();
  }

  private static boolean hostPort(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      return false;
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      return port > 0 && port < 65536;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
