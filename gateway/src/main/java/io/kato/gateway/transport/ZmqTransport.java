package io.kato.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.NodeIds;
import io.kato.common.msgpack.MessagePackCodec;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.Vector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * {@link WorkerTransport} over a worker's legacy ZeroMQ/MessagePack endpoint (API.md §5), for
 * workers registered with {@code transport: "zmq"}. Every method calls the ZeroMQ method whose
 * {@code result} is the exact v3 body the gRPC transport builds, so both transports answer the
 * same bytes for the same worker state (held to that by one contract test suite).
 *
 * <p>Design. REQ sockets are blocking and not thread-safe, so:
 * <ul>
 *   <li>a bounded pool of REQ sockets per worker ({@link Options#minSockets()} to {@link
 *       Options#maxSockets()}); a socket is owned by one call at a time and handed between
 *       threads only through the pool's concurrent deque;
 *   <li>all socket work runs on a small dedicated executor (one thread per pooled socket), never
 *       on a Vert.x event loop; a call captures {@link Vertx#currentContext()} and its future is
 *       completed back on that context (directly when called from outside Vert.x);
 *   <li>lazy pirate (§5.1): a REQ socket that timed out is unusable, so it is closed and replaced;
 *       the call is retried (same {@code request_id}) only when it is read-only or carries a
 *       request id, at most {@value #MAX_ATTEMPTS} attempts, then {@link
 *       WorkerCallException.Outcome#UNKNOWN};
 *   <li>every socket has a monitor: a request is sent only once its connection has completed
 *       the ZMTP handshake (waiting up to the timeout), so "nothing reached the worker" is known
 *       ({@link ErrorCode#WORKER_UNAVAILABLE}, {@link WorkerCallException.Outcome#NOT_APPLIED}).
 *       JeroMQ 0.5.4 ignores {@code ZMQ_IMMEDIATE} on REQ sockets, hence the monitor;
 *   <li>a health check every {@link Options#healthInterval()} pings each idle socket (1 s); a
 *       failed one is closed, and the pool is refilled to its minimum with a back-off of 1 s
 *       doubling to 30 s while checks keep failing. A socket's own reconnects back off the same
 *       way ({@code RECONNECT_IVL} 1 s, {@code RECONNECT_IVL_MAX} 30 s).
 * </ul>
 *
 * <p>Timeouts: {@link Options#timeout()} per attempt ({@code KATO_ZMQ_TIMEOUT_MS}), plus 50 ms
 * per observation for {@code observe_sequence} (and {@code finalize_training}, which carries
 * none), capped at 120 s; a caller's shorter {@link CallContext#deadlineMillis()} (monitoring,
 * lookups) wins. The attempt's timeout travels as {@code deadline_ms}.
 */
public final class ZmqTransport implements WorkerTransport {
  private static final Logger LOG = LoggerFactory.getLogger(ZmqTransport.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final AtomicLong MONITORS = new AtomicLong();

  static final int MAX_ATTEMPTS = 3;
  static final long PER_OBSERVATION_MILLIS = 50;
  static final long MAX_TIMEOUT_MILLIS = 120_000;
  static final int HEALTH_PING_TIMEOUT_MILLIS = 1000;
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** Calls waiting for a socket before the transport answers OVERLOADED. */
  private static final int MAX_QUEUED_CALLS = 10_000;
  private static final String EMPTY_STM_MESSAGE = "Cannot learn from empty STM";

  /**
   * Settings of one worker's transport.
   *
   * @param timeout per-attempt timeout ({@code KATO_ZMQ_TIMEOUT_MS}, default 5000 ms)
   * @param healthInterval pause between health checks ({@code KATO_ZMQ_HEALTH_INTERVAL_S}, default 30 s)
   * @param minSockets sockets kept open (default 1)
   * @param maxSockets sockets open at most, one per call in flight (default 10)
   */
  public record Options(Duration timeout, Duration healthInterval, int minSockets, int maxSockets) {
    public Options {
      if (timeout == null || timeout.toMillis() < 1) {
        throw new IllegalArgumentException("timeout must be at least 1 ms");
      }
      if (healthInterval == null || healthInterval.toMillis() < 1) {
        throw new IllegalArgumentException("healthInterval must be at least 1 ms");
      }
      if (minSockets < 0 || maxSockets < 1 || minSockets > maxSockets) {
        throw new IllegalArgumentException("need 0 <= minSockets <= maxSockets and maxSockets >= 1");
      }
    }

    public static Options defaults() {
      return new Options(Duration.ofMillis(5000), Duration.ofSeconds(30), 1, 10);
    }

    /** The defaults with {@code KATO_ZMQ_TIMEOUT_MS} and {@code KATO_ZMQ_HEALTH_INTERVAL_S} applied. */
    public static Options fromEnvironment(Map<String, String> env) {
      Options options = defaults();
      String timeout = env.get("KATO_ZMQ_TIMEOUT_MS");
      if (timeout != null && !timeout.isBlank()) {
        options = options.withTimeout(Duration.ofMillis(Long.parseLong(timeout.trim())));
      }
      String health = env.get("KATO_ZMQ_HEALTH_INTERVAL_S");
      if (health != null && !health.isBlank()) {
        options = options.withHealthInterval(Duration.ofSeconds(Long.parseLong(health.trim())));
      }
      return options;
    }

    public Options withTimeout(Duration value) {
      return new Options(value, healthInterval, minSockets, maxSockets);
    }

    public Options withHealthInterval(Duration value) {
      return new Options(timeout, value, minSockets, maxSockets);
    }

    public Options withPoolSize(int min, int max) {
      return new Options(timeout, healthInterval, min, max);
    }
  }

  /** One request: the method, its params and how it may be retried and timed. */
  private record Request(String method, Map<String, Object> params, String nodeId, String sessionId,
      boolean readOnly, boolean sendRequestId, int observations) {}

  private final String address;
  private final Options options;
  private final ZContext context = new ZContext(1);
  private final Pool pool;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService health;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong reconnections = new AtomicLong();
  /** Consecutive failed health checks (drives the back-off). */
  private volatile int failedChecks;
  private volatile boolean closed;

  public ZmqTransport(String address, Options options) {
    if (address == null || !address.startsWith("tcp://")) {
      throw new IllegalArgumentException("zmq_address must be tcp://host:port, got " + address);
    }
    this.address = address;
    this.options = options;
    this.pool = new Pool(options.maxSockets());
    String name = "kato-zmq-" + INSTANCES.incrementAndGet();
    this.executor = new ThreadPoolExecutor(options.maxSockets(), options.maxSockets(), 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(MAX_QUEUED_CALLS), daemonThreads(name + "-call"));
    this.executor.allowCoreThreadTimeOut(true);
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads(name + "-health"));
    timer.setRemoveOnCancelPolicy(true);
    this.health = timer;
    // the minimum pool is opened by the health thread: the constructor touches no socket
    health.execute(this::fillMinimum);
    health.schedule(this::checkHealth, options.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  public ZmqTransport(String address) {
    this(address, Options.defaults());
  }

  public String address() {
    return address;
  }

  // ---- sessions -------------------------------------------------------------------------------

  @Override
  public Future<ObjectNode> createSession(CreateSessionRequest r, CallContext call) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("node_id", r.getNodeId());
    params.put("config", ProtoValues.toJavaMap(r.getConfig()));
    params.put("metadata", ProtoValues.toJavaMap(r.getMetadata()));
    params.put("ttl_seconds", r.getTtlSeconds());
    if (!r.getSessionId().isEmpty()) {
      params.put("session_id", r.getSessionId());
    }
    return call(new Request("create_session", params, r.getNodeId(), r.getSessionId(), false, true, 0), call,
        ZmqTransport::result);
  }

  @Override
  public Future<ObjectNode> getSession(SessionRef session, CallContext call) {
    return session("get_session", session, Map.of(), true, call);
  }

  @Override
  public Future<ObjectNode> lookupSession(String sessionId, CallContext call) {
    // a lookup names no node: it is answered from the worker's session index
    return call(new Request("session_exists", Map.of(), "", sessionId, true, false, 0), call, ZmqTransport::result);
  }

  @Override
  public Future<ObjectNode> deleteSession(SessionRef session, CallContext call) {
    return session("delete_session", session, Map.of(), false, call);
  }

  @Override
  public Future<ObjectNode> extendSession(SessionRef session, long ttlSeconds, CallContext call) {
    return session("extend_session", session, Map.of("ttl_seconds", ttlSeconds), false, call);
  }

  @Override
  public Future<ObjectNode> getConfig(SessionRef session, CallContext call) {
    return session("get_config", session, Map.of(), true, call);
  }

  @Override
  public Future<ObjectNode> updateConfig(SessionRef session, MapValue update, CallContext call) {
    return session("update_config", session, Map.of("config", ProtoValues.toJavaMap(update)), false, call);
  }

  // ---- session operations ---------------------------------------------------------------------

  @Override
  public Future<ObjectNode> observe(SessionRef session, Observation observation, CallContext call) {
    return session("observe", session, observation(observation), false, call);
  }

  @Override
  public Future<ObjectNode> observeSequence(SessionRef session, ObserveSequenceRequest request, CallContext call) {
    List<Map<String, Object>> observations = new ArrayList<>(request.getObservationsCount());
    for (Observation o : request.getObservationsList()) {
      observations.add(observation(o));
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("observations", observations);
    params.put("learn_after_each", request.getLearnAfterEach());
    params.put("learn_at_end", request.getLearnAtEnd());
    params.put("clear_stm_between", request.getClearStmBetween());
    return call(sessionRequest("observe_sequence", session, params, false, observations.size()), call,
        ZmqTransport::result);
  }

  @Override
  public Future<ObjectNode> learn(SessionRef session, CallContext call) {
    return call(sessionRequest("learn", session, Map.of(), false, 0), call, reply -> {
      if (reply.path("empty_stm").asBoolean(false)) {
        // the legacy learn answers an empty STM as a success; v3 (and the gRPC service) reject it
        throw new WorkerCallException(ErrorCode.EMPTY_STM, EMPTY_STM_MESSAGE, NODES.objectNode(),
            WorkerCallException.Outcome.REJECTED);
      }
      return result(reply);
    });
  }

  @Override
  public Future<ObjectNode> stm(SessionRef session, CallContext call) {
    return session("get_stm", session, Map.of(), true, call);
  }

  @Override
  public Future<ObjectNode> predictions(SessionRef session, CallContext call) {
    return session("get_predictions", session, Map.of(), true, call);
  }

  @Override
  public Future<ObjectNode> clearStm(SessionRef session, CallContext call) {
    return session("clear_stm", session, Map.of(), false, call);
  }

  @Override
  public Future<ObjectNode> clearAll(SessionRef session, CallContext call) {
    return session("clear_all", session, Map.of(), false, call);
  }

  @Override
  public Future<ObjectNode> perceptData(SessionRef session, CallContext call) {
    return session("get_percept_data", session, Map.of(), true, call);
  }

  @Override
  public Future<ObjectNode> cognitionData(SessionRef session, CallContext call) {
    return session("get_cognition_data", session, Map.of(), true, call);
  }

  @Override
  public Future<ObjectNode> finalizeTraining(SessionRef session, CallContext call) {
    return session("finalize_training", session, Map.of(), false, call);
  }

  // ---- node data ------------------------------------------------------------------------------

  @Override
  public Future<ObjectNode> pattern(String nodeId, String patternId, CallContext call) {
    Request request = new Request("get_pattern", Map.of("pattern_id", patternId), nodeId, "", true, false, 0);
    return exchange(request, call, reply -> {
      try {
        return result(decode(reply));
      } catch (WorkerCallException e) {
        if (e.code() != ErrorCode.PATTERN_NOT_FOUND) {
          throw e;
        }
        // the legacy method errors; v3 answers a missing pattern with 200 and an error wrapper (§2.4.1)
        ObjectNode body = NODES.objectNode();
        body.putObject("pattern").put("status", "error").put("message", e.getMessage());
        body.put("node_id", NodeIds.kbId(nodeId));
        return body;
      }
    });
  }

  @Override
  public Future<ObjectNode> symbolStats(String nodeId, CallContext call) {
    return node("get_symbol_stats", nodeId, Map.of(), call);
  }

  @Override
  public Future<ObjectNode> symbolAffinities(String nodeId, CallContext call) {
    return node("get_all_symbol_affinities", nodeId, Map.of(), call);
  }

  @Override
  public Future<ObjectNode> symbolAffinity(String nodeId, String symbol, CallContext call) {
    return node("get_symbol_affinity", nodeId, Map.of("symbol", symbol), call);
  }

  @Override
  public Future<ObjectNode> ping(String nodeId, CallContext call) {
    return node("ping", nodeId, Map.of(), call);
  }

  @Override
  public Future<ObjectNode> releaseNode(String nodeId, CallContext call) {
    return node("release_node", nodeId, Map.of(), call);
  }

  @Override
  public Future<ObjectNode> acquireNode(String nodeId, CallContext call) {
    return node("acquire_node", nodeId, Map.of(), call);
  }

  @Override
  public Future<ObjectNode> workerStats(int maxNodes, CallContext call) {
    return call(new Request("get_worker_stats", Map.of("max_nodes", maxNodes), "", "", true, false, 0), call,
        ZmqTransport::result);
  }

  @Override
  public ObjectNode poolStatistics() {
    ObjectNode o = NODES.objectNode();
    long total = requests.get();
    long failed = failures.get();
    o.put("transport", "zmq");
    o.put("address", address);
    o.put("total_connections", pool.open.get());
    o.put("active_connections", pool.active.get());
    o.put("total_requests", total);
    o.put("failed_requests", failed);
    o.put("reconnections", reconnections.get());
    o.put("failure_rate", total == 0 ? 0.0 : (double) failed / total);
    return o;
  }

  /** Stops accepting calls, lets the calls in flight end (bounded by their timeouts), closes every socket. */
  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    Context caller = Vertx.currentContext();
    Promise<Void> done = Promise.promise();
    health.shutdownNow();
    executor.shutdown();
    Thread closer = new Thread(() -> {
      try {
        // a blocked REQ socket must be left to its own thread until its timeout ends
        long wait = MAX_TIMEOUT_MILLIS + HEALTH_PING_TIMEOUT_MILLIS;
        if (!executor.awaitTermination(wait, TimeUnit.MILLISECONDS)
            || !health.awaitTermination(HEALTH_PING_TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS)) {
          LOG.warn("zmq transport {}: calls still running at close", address);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pool.closeIdle();
      context.close();
      completeOn(caller, done::complete);
    }, "kato-zmq-close");
    closer.setDaemon(true);
    closer.start();
    return done.future();
  }

  // ---- requests -------------------------------------------------------------------------------

  private Future<ObjectNode> session(String method, SessionRef session, Map<String, Object> params,
      boolean readOnly, CallContext call) {
    return call(sessionRequest(method, session, params, readOnly, 0), call, ZmqTransport::result);
  }

  /** An explicit session by id; an implicit one by its node alone (the worker resolves {@code __node__:<node>}). */
  private static Request sessionRequest(String method, SessionRef session, Map<String, Object> params,
      boolean readOnly, int observations) {
    return new Request(method, params, session.nodeId(), session.isImplicit() ? "" : session.sessionId(), readOnly,
        true, observations);
  }

  private Future<ObjectNode> node(String method, String nodeId, Map<String, Object> params, CallContext call) {
    return call(new Request(method, params, nodeId, "", true, false, 0), call, ZmqTransport::result);
  }

  private static Map<String, Object> observation(Observation o) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("strings", o.getStringsList());
    List<List<Double>> vectors = new ArrayList<>(o.getVectorsCount());
    for (Vector v : o.getVectorsList()) {
      vectors.add(v.getValuesList());
    }
    params.put("vectors", vectors);
    Map<String, Double> emotives = new LinkedHashMap<>();
    for (Emotive e : o.getEmotivesList()) {
      emotives.put(e.getName(), e.getValue());
    }
    params.put("emotives", emotives);
    params.put("metadata", ProtoValues.toJavaMap(o.getMetadata()));
    if (!o.getUniqueId().isEmpty()) {
      params.put("unique_id", o.getUniqueId());
    }
    return params;
  }

  /** The v3 body of a success reply. */
  private static ObjectNode result(ObjectNode reply) {
    JsonNode body = reply.get("result");
    if (body == null || !body.isObject()) {
      throw new WorkerCallException(ErrorCode.WORKER_ERROR, "Worker reply has no v3 result (a legacy worker?)",
          NODES.objectNode(), WorkerCallException.Outcome.UNKNOWN);
    }
    return (ObjectNode) body;
  }

  /** The per-attempt timeout of a request. */
  private long attemptTimeoutMillis(Request request, CallContext call) {
    long timeout = options.timeout().toMillis();
    if ("observe_sequence".equals(request.method()) || "finalize_training".equals(request.method())) {
      timeout = Math.min(MAX_TIMEOUT_MILLIS, timeout + PER_OBSERVATION_MILLIS * request.observations());
    }
    long deadline = call.deadlineMillis();
    return deadline > 0 && deadline < options.timeout().toMillis() ? deadline : timeout;
  }

  private byte[] encode(Request request, CallContext call, long timeoutMillis) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("method", request.method());
    message.put("params", request.params());
    if (!request.nodeId().isEmpty()) {
      message.put("node_id", request.nodeId());
    }
    if (!request.sessionId().isEmpty()) {
      message.put("session_id", request.sessionId());
    }
    message.put("epoch", call.epoch());
    if (request.sendRequestId() && hasRequestId(call)) {
      message.put("request_id", call.requestId());
    }
    message.put("deadline_ms", timeoutMillis);
    if (call.traceId() != null) {
      message.put("trace_id", call.traceId());
    }
    // W3C trace context as extra fields (traceparent, tracestate); workers ignore unknown keys
    call.traceContext().forEach(message::put);
    return MessagePackCodec.encode(message);
  }

  /**
   * Sends {@code request} from the executor and completes the future on the caller's context
   * with {@code body} of the success reply (which may itself throw a {@link WorkerCallException}).
   */
  private Future<ObjectNode> call(Request request, CallContext call, UnaryOperator<ObjectNode> body) {
    return exchange(request, call, reply -> body.apply(decode(reply)));
  }

  /** As {@link #call}, with the raw reply's interpretation (success or error map) left to {@code reply}. */
  private Future<ObjectNode> exchange(Request request, CallContext call, Function<byte[], ObjectNode> reply) {
    requests.incrementAndGet();
    Context caller = Vertx.currentContext();
    Promise<ObjectNode> promise = Promise.promise();
    if (closed) {
      failures.incrementAndGet();
      return Future.failedFuture(unavailable("transport is closed"));
    }
    try {
      executor.execute(() -> {
        ObjectNode answer;
        try {
          answer = reply.apply(roundTrip(request, call));
        } catch (WorkerCallException e) {
          failures.incrementAndGet();
          completeOn(caller, () -> promise.fail(e));
          return;
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          LOG.warn("zmq call {} to {} failed", request.method(), address, e);
          WorkerCallException failure = new WorkerCallException(ErrorCode.WORKER_ERROR, "ZeroMQ call failed: " + e,
              NODES.objectNode(), WorkerCallException.Outcome.UNKNOWN);
          completeOn(caller, () -> promise.fail(failure));
          return;
        }
        completeOn(caller, () -> promise.complete(answer));
      });
    } catch (RejectedExecutionException e) {
      failures.incrementAndGet();
      return Future.failedFuture(closed ? unavailable("transport is closed")
          : new WorkerCallException(ErrorCode.OVERLOADED, "Too many ZeroMQ calls waiting for worker " + address,
              NODES.objectNode(), WorkerCallException.Outcome.NOT_APPLIED));
    }
    return promise.future();
  }

  private static void completeOn(Context context, Runnable completion) {
    if (context == null) {
      completion.run();
    } else {
      context.runOnContext(v -> completion.run());
    }
  }

  /** On the executor: up to {@value #MAX_ATTEMPTS} attempts; the reply payload. */
  private byte[] roundTrip(Request request, CallContext call) {
    long timeout = attemptTimeoutMillis(request, call);
    byte[] payload = encode(request, call, timeout);
    // a retried mutation is applied once only when the worker can recognise it by its request id
    boolean retryable = request.readOnly() || (request.sendRequestId() && hasRequestId(call));
    boolean sent = false;
    for (int attempt = 1; ; attempt++) {
      if (closed) {
        throw sent ? unanswered(request, attempt - 1) : unavailable("transport is closed");
      }
      Connection connection = pool.borrow(timeout);
      if (connection == null) {
        throw new WorkerCallException(ErrorCode.OVERLOADED, "No ZeroMQ socket to worker " + address
            + " became free within " + timeout + " ms", NODES.objectNode(),
            sent ? WorkerCallException.Outcome.UNKNOWN : WorkerCallException.Outcome.NOT_APPLIED);
      }
      byte[] reply;
      try {
        if (!connection.awaitConnected(timeout) || !connection.send(payload, timeout)) {
          // nothing left this socket: it is still fine to reuse
          pool.release(connection);
          if (sent) {
            throw unanswered(request, attempt - 1);
          }
          throw unavailable("no connection within " + timeout + " ms");
        }
        sent = true;
        reply = connection.receive(timeout);
      } catch (ZMQException e) {
        discard(connection);
        throw sent ? unanswered(request, attempt) : unavailable(e.toString());
      }
      if (reply != null) {
        pool.release(connection);
        return reply;
      }
      // lazy pirate: a REQ socket that timed out cannot send again; replace it
      discard(connection);
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        throw unanswered(request, attempt);
      }
      LOG.debug("zmq {} to {}: no reply in {} ms (attempt {}), retrying", request.method(), address, timeout,
          attempt);
    }
  }

  private static boolean hasRequestId(CallContext call) {
    return call.requestId() != null && !call.requestId().isEmpty();
  }

  private ObjectNode decode(byte[] reply) {
    JsonNode tree;
    try {
      tree = MessagePackCodec.decodeTree(reply);
    } catch (RuntimeException e) {
      throw workerError("Worker " + address + " sent an undecodable reply: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode)) {
      throw workerError("Worker " + address + " sent a reply that is not a map");
    }
    ObjectNode map = (ObjectNode) tree;
    String status = map.path("status").asText("");
    if ("okay".equals(status)) {
      return map;
    }
    if ("error".equals(status)) {
      throw errorReply(map);
    }
    throw workerError("Worker " + address + " sent a reply without a status");
  }

  /**
   * §5.4 error map → the API error: code, message, details. A code this gateway does not know,
   * and {@code UNKNOWN_METHOD} (a worker older than this gateway), are {@code WORKER_ERROR}.
   */
  static WorkerCallException errorReply(ObjectNode reply) {
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(reply.path("code").asText(""));
    } catch (IllegalArgumentException e) {
      code = ErrorCode.WORKER_ERROR;
    }
    if (code == ErrorCode.UNKNOWN_METHOD) {
      code = ErrorCode.WORKER_ERROR;
    }
    JsonNode details = reply.get("details");
    ObjectNode detailsObject = details instanceof ObjectNode ? (ObjectNode) details : NODES.objectNode();
    String message = reply.path("message").isTextual() ? reply.get("message").textValue() : code.name();
    WorkerCallException.Outcome outcome = code == ErrorCode.OVERLOADED || code == ErrorCode.STALE_EPOCH
        ? WorkerCallException.Outcome.NOT_APPLIED : WorkerCallException.Outcome.REJECTED;
    return new WorkerCallException(code, message, detailsObject, outcome);
  }

  private static WorkerCallException workerError(String message) {
    return new WorkerCallException(ErrorCode.WORKER_ERROR, message, NODES.objectNode(),
        WorkerCallException.Outcome.UNKNOWN);
  }

  private WorkerCallException unavailable(String why) {
    return new WorkerCallException(ErrorCode.WORKER_UNAVAILABLE, "Worker " + address + " is unreachable: " + why,
        NODES.objectNode(), WorkerCallException.Outcome.NOT_APPLIED);
  }

  private WorkerCallException unanswered(Request request, int attempts) {
    return new WorkerCallException(ErrorCode.GATEWAY_TIMEOUT, "Worker " + address + " did not answer "
        + request.method() + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")", NODES.objectNode(),
        WorkerCallException.Outcome.UNKNOWN);
  }

  private void discard(Connection connection) {
    pool.discard(connection);
    reconnections.incrementAndGet();
  }

  // ---- health ---------------------------------------------------------------------------------

  /** On the health thread: opens sockets up to the pool minimum (a fresh socket connects in the background). */
  private void fillMinimum() {
    while (!closed && pool.open.get() < options.minSockets()) {
      if (!pool.addIdle()) {
        return;
      }
    }
  }

  /** On the health thread: pings every idle socket; failures close it and shorten the next check. */
  private void checkHealth() {
    if (closed) {
      return;
    }
    boolean failed = false;
    try {
      for (Connection connection : pool.takeIdle()) {
        if (ping(connection)) {
          pool.release(connection);
        } else {
          discard(connection);
          failed = true;
        }
      }
      if (failed) {
        LOG.info("zmq transport {}: health check failed; reconnecting", address);
      } else {
        fillMinimum();
      }
    } catch (RuntimeException e) {
      LOG.warn("zmq transport {}: health check failed", address, e);
      failed = true;
    }
    long delay;
    if (failed) {
      failedChecks++;
      delay = Math.min(MAX_BACKOFF.toMillis(), INITIAL_BACKOFF.toMillis() << Math.min(20, failedChecks - 1));
      // the back-off delays the refill: a dead worker is not hammered with fresh sockets
      scheduleQuietly(this::fillMinimum, delay);
    } else {
      failedChecks = 0;
      delay = options.healthInterval().toMillis();
    }
    scheduleQuietly(this::checkHealth, failed ? delay + HEALTH_PING_TIMEOUT_MILLIS : delay);
  }

  private void scheduleQuietly(Runnable task, long delayMillis) {
    try {
      health.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private static boolean ping(Connection connection) {
    try {
      if (!connection.awaitConnected(HEALTH_PING_TIMEOUT_MILLIS)
          || !connection.send(MessagePackCodec.encode(Map.of("method", "ping")), HEALTH_PING_TIMEOUT_MILLIS)) {
        return false;
      }
      byte[] reply = connection.receive(HEALTH_PING_TIMEOUT_MILLIS);
      return reply != null && "okay".equals(MessagePackCodec.decodeTree(reply).path("status").asText());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Consecutive failed health checks (tests). */
  int failedHealthChecks() {
    return failedChecks;
  }

  // ---- the socket pool ------------------------------------------------------------------------

  /**
   * One pooled REQ socket and its monitor, which tells whether the connection has completed its
   * handshake. Used by one thread at a time.
   */
  private final class Connection {
    private static final int EVENTS = ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_CLOSED;

    private final ZMQ.Socket req;
    private final ZMQ.Socket monitor;
    private boolean connected;

    Connection() {
      req = context.createSocket(SocketType.REQ);
      req.setLinger(0);
      req.setTCPKeepAlive(1);
      req.setReconnectIVL(INITIAL_BACKOFF.toMillis());
      req.setReconnectIVLMax(MAX_BACKOFF.toMillis());
      String monitorAddress = "inproc://kato-zmq-monitor-" + MONITORS.incrementAndGet();
      req.monitor(monitorAddress, EVENTS);
      monitor = context.createSocket(SocketType.PAIR);
      monitor.setLinger(0);
      monitor.connect(monitorAddress); // before connecting: no event is missed
      req.connect(address);
    }

    /** Whether the connection is (or within {@code timeoutMillis} becomes) ready for a request. */
    boolean awaitConnected(long timeoutMillis) {
      ZMQ.Event event;
      while ((event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT)) != null) {
        apply(event);
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (!connected) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        monitor.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, left));
        event = ZMQ.Event.recv(monitor);
        if (event == null) {
          return false;
        }
        apply(event);
      }
      return true;
    }

    private void apply(ZMQ.Event event) {
      if (event.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
        connected = true;
      } else if (event.getEvent() == ZMQ.EVENT_DISCONNECTED || event.getEvent() == ZMQ.EVENT_CLOSED) {
        connected = false;
      }
    }

    boolean send(byte[] payload, long timeoutMillis) {
      req.setSendTimeOut((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
      return req.send(payload, 0);
    }

    /** The reply, or null when none came within {@code timeoutMillis} (the socket is then unusable). */
    byte[] receive(long timeoutMillis) {
      req.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
      return req.recv(0);
    }

    void close() {
      try {
        context.destroySocket(req);
        context.destroySocket(monitor);
      } catch (RuntimeException e) {
        LOG.debug("closing a zmq socket failed: {}", e.toString());
      }
    }
  }

  /** At most {@code max} connections, each either idle in the deque or owned by exactly one thread. */
  private final class Pool {
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger active = new AtomicInteger();

    Pool(int max) {
      this.permits = new Semaphore(max, true);
    }

    /** A connection for one call, waiting up to {@code waitMillis} for a free slot; null if none. */
    Connection borrow(long waitMillis) {
      try {
        if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      Connection connection = idle.pollFirst(); // most recently used first: warm connections
      if (connection == null) {
        try {
          connection = open();
        } catch (RuntimeException e) {
          permits.release();
          throw e;
        }
      }
      active.incrementAndGet();
      return connection;
    }

    void release(Connection connection) {
      active.decrementAndGet();
      if (closed) {
        close(connection);
      } else {
        idle.offerFirst(connection);
      }
      permits.release();
    }

    void discard(Connection connection) {
      active.decrementAndGet();
      close(connection);
      permits.release();
    }

    /** Every idle connection, each now owned by the caller (to be released or discarded). */
    List<Connection> takeIdle() {
      List<Connection> taken = new ArrayList<>();
      while (permits.tryAcquire()) {
        Connection connection = idle.pollFirst();
        if (connection == null) {
          permits.release();
          break;
        }
        active.incrementAndGet();
        taken.add(connection);
      }
      return taken;
    }

    /** Opens one more idle connection if a slot is free. */
    boolean addIdle() {
      if (!permits.tryAcquire()) {
        return false;
      }
      try {
        idle.offerFirst(open());
        return true;
      } finally {
        permits.release();
      }
    }

    void closeIdle() {
      Connection connection;
      while ((connection = idle.pollFirst()) != null) {
        close(connection);
      }
    }

    private Connection open() {
      Connection connection = new Connection();
      open.incrementAndGet();
      return connection;
    }

    private void close(Connection connection) {
      open.decrementAndGet();
      connection.close();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
