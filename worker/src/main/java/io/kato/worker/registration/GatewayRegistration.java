package io.kato.worker.registration;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kato.proto.v1.DeregisterRequest;
import io.kato.proto.v1.HeartbeatRequest;
import io.kato.proto.v1.RegisterRequest;
import io.kato.proto.v1.RegisterResponse;
import io.kato.proto.v1.RegistryGrpc;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.storage.NodeStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker registered with a gateway (API.md §6.2): {@code Register} once the worker
 * serves, {@code Heartbeat} every {@code heartbeat_interval_ms} the gateway asks for, register
 * again when a heartbeat is refused (NOT_FOUND: the gateway forgot the worker, e.g. it
 * restarted; FAILED_PRECONDITION: the generation is old), {@code Deregister} on {@link #close}.
 *
 * <p>Design: one daemon thread runs the protocol as a chain of scheduled steps, each one blocking
 * call with a deadline, so at most one call is in flight and the protocol state is confined to
 * that thread. The gateway is never needed to serve: an unreachable or refusing gateway only
 * delays the next step (back-off 1 s doubling to 10 s), and each outage is logged once at WARN
 * and its end once at INFO. The gRPC channel's own reconnect back-off (up to 2 min) is reset
 * before every retry, so a gateway that comes back is found at the next step.
 */
public final class GatewayRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayRegistration.class);
  private static final long DEFAULT_HEARTBEAT_MILLIS = 1000;

  /**
   * What the worker registers, and the protocol's timing.
   *
   * @param gateway the gateway's address: {@code host:port} or {@code http://host:port}
   * @param grpcAddress {@code host:port} clients and the gateway reach this worker's gRPC service at
   * @param zmqAddress {@code tcp://host:port} of the ZeroMQ endpoint, or null when it is off
   * @param sharedStore the store is shared by every worker (PostgreSQL): no kb ids are pinned here
   * @param callDeadline deadline of every registry call
   * @param initialBackoff first retry delay after a failed call; doubles up to {@code maxBackoff}
   */
  public record Options(String gateway, String workerId, String grpcAddress, String zmqAddress, int capacity,
      String version, boolean sharedStore, Duration callDeadline, Duration initialBackoff, Duration maxBackoff) {

    public static Options of(String gateway, String workerId, String grpcAddress, String zmqAddress, int capacity,
        String version, boolean sharedStore) {
      return new Options(gateway, workerId, grpcAddress, zmqAddress, capacity, version, sharedStore,
          Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    public Options withBackoff(Duration initial, Duration max) {
      return new Options(gateway, workerId, grpcAddress, zmqAddress, capacity, version, sharedStore, callDeadline,
          initial, max);
    }
  }

  /** A parsed gateway address. */
  public record Address(String host, int port) {
    /** {@code host:port}, {@code http://host:port} (a trailing {@code /} allowed), IPv6 in brackets. */
    public static Address parse(String text) {
      String rest = text.trim();
      if (rest.startsWith("http://")) {
        rest = rest.substring("http://".length());
      }
      if (rest.endsWith("/")) {
        rest = rest.substring(0, rest.length() - 1);
      }
      int colon = rest.lastIndexOf(':');
      if (colon <= 0 || rest.contains("/")) {
        throw new IllegalArgumentException("gateway address must be host:port or http://host:port: " + text);
      }
      String host = rest.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new IllegalArgumentException("an IPv6 gateway host needs brackets ([::1]:port): " + text);
      }
      int port;
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("gateway address must be host:port or http://host:port: " + text);
      }
      return new Address(host, port);
    }
  }

  private final Options options;
  private final NodeStore store;
  private final ProcessorHost host;
  private final ManagedChannel channel;
  private final ScheduledExecutorService thread;
  private volatile boolean closed;
  /** Set once a Register succeeded: only then is there a record to deregister. */
  private volatile boolean everRegistered;

  // confined to the registration thread
  private long generation;
  private long heartbeatMillis = DEFAULT_HEARTBEAT_MILLIS;
  private long backoffMillis;
  private boolean failing;

  private GatewayRegistration(Options options, NodeStore store, ProcessorHost host) {
    Address address = Address.parse(options.gateway());
    this.options = options;
    this.store = store;
    this.host = host;
    this.channel = NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build();
    this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread t = new Thread(runnable, "kato-registration");
      t.setDaemon(true);
      return t;
    });
    this.backoffMillis = options.initialBackoff().toMillis();
  }

  /**
   * Starts registering in the background and returns at once. {@code hosted_kb_ids} are read
   * from {@code store} at every (re)registration; {@code nodes_loaded} from {@code host}.
   *
   * @throws IllegalArgumentException for a malformed gateway address
   */
  public static GatewayRegistration start(Options options, NodeStore store, ProcessorHost host) {
    GatewayRegistration registration = new GatewayRegistration(options, store, host);
    registration.schedule(registration::register, 0);
    return registration;
  }

  // ---- protocol steps (registration thread) ---------------------------------------------------

  private void register() {
    try {
      RegisterResponse response = stub().register(registerRequest());
      generation = response.getWorker().getGeneration();
      heartbeatMillis = response.getHeartbeatIntervalMs() > 0 ? response.getHeartbeatIntervalMs()
          : DEFAULT_HEARTBEAT_MILLIS;
      everRegistered = true;
      succeeded();
      LOG.info("registered with gateway gateway={} worker_id={} generation={} heartbeat_interval_ms={}",
          options.gateway(), options.workerId(), generation, heartbeatMillis);
      schedule(this::heartbeat, heartbeatMillis);
    } catch (StatusRuntimeException e) {
      failed("Register", describe(e));
      schedule(this::register, nextBackoff());
    } catch (RuntimeException e) { // the store could not list its nodes: try again later
      failed("Register", e.toString());
      schedule(this::register, nextBackoff());
    }
  }

  private void heartbeat() {
    try {
      stub().heartbeat(HeartbeatRequest.newBuilder().setWorkerId(options.workerId()).setGeneration(generation)
          .setNodesLoaded(host.loadedNodes()).build());
      succeeded();
      schedule(this::heartbeat, heartbeatMillis);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.NOT_FOUND || code == Status.Code.FAILED_PRECONDITION) {
        // the gateway answered: it lost or superseded our record, so a new registration restores it
        succeeded();
        LOG.info("gateway refused heartbeat, registering again gateway={} worker_id={} generation={} status={}",
            options.gateway(), options.workerId(), generation, code);
        schedule(this::register, 0);
      } else {
        failed("Heartbeat", describe(e));
        schedule(this::heartbeat, nextBackoff());
      }
    }
  }

  private RegisterRequest registerRequest() {
    RegisterRequest.Builder request = RegisterRequest.newBuilder().setWorkerId(options.workerId())
        .setTransport("grpc").setGrpcAddress(options.grpcAddress()).setCapacity(options.capacity())
        .setVersion(options.version()).setSharedStore(options.sharedStore());
    if (options.zmqAddress() != null) {
      request.setZmqAddress(options.zmqAddress());
    }
    if (!options.sharedStore()) {
      // the data of these nodes lives in this worker's own store, so the gateway must keep them here
      request.addAllHostedKbIds(store.nodeIds());
    }
    return request.build();
  }

  private RegistryGrpc.RegistryBlockingStub stub() {
    return RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(options.callDeadline().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void succeeded() {
    if (failing) {
      LOG.info("gateway reachable again gateway={} worker_id={}", options.gateway(), options.workerId());
    }
    failing = false;
    backoffMillis = options.initialBackoff().toMillis();
  }

  private static String describe(StatusRuntimeException e) {
    Status status = e.getStatus();
    return status.getDescription() == null ? status.getCode().name()
        : status.getCode() + ": " + status.getDescription();
  }

  private void failed(String call, String reason) {
    if (closed) {
      return;
    }
    if (!failing) {
      LOG.warn("gateway call failed, serving on and retrying with back-off gateway={} worker_id={} call={} error={}",
          options.gateway(), options.workerId(), call, reason);
    } else {
      LOG.debug("gateway call failed again call={} error={}", call, reason);
    }
    failing = true;
    channel.resetConnectBackoff();
  }

  private long nextBackoff() {
    long delay = backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, options.maxBackoff().toMillis());
    return delay;
  }

  private void schedule(Runnable step, long delayMillis) {
    if (closed) {
      return;
    }
    try {
      thread.schedule(() -> {
        if (!closed) {
          step.run();
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: the chain ends here
    }
  }

  // ---- shutdown -------------------------------------------------------------------------------

  /**
   * Stops heartbeating and deregisters (bounded by the call deadline), so the gateway moves this
   * worker's nodes at once instead of waiting for missed heartbeats. Call before stopping the
   * server. Never throws for the gateway's sake; a second call does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.shutdownNow(); // interrupts a call in flight
    try {
      thread.awaitTermination(options.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (everRegistered) {
      try {
        stub().deregister(DeregisterRequest.newBuilder().setWorkerId(options.workerId()).build());
        LOG.info("deregistered from gateway gateway={} worker_id={}", options.gateway(), options.workerId());
      } catch (StatusRuntimeException e) {
        LOG.warn("deregistering failed gateway={} worker_id={} status={}", options.gateway(), options.workerId(),
            e.getStatus().getCode());
      }
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
