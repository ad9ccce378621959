package io.kato.worker.zmq;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.ErrorCode;
import io.kato.common.msgpack.MessagePackCodec;
import io.kato.worker.host.HostException;
import io.kato.worker.host.ProcessorHost;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The legacy ZeroMQ/MessagePack endpoint of a worker (API.md §5): one ROUTER socket on {@code
 * tcp://<host>:<port>}, served by one I/O thread.
 *
 * <p>Framing (§5.1): REQ clients send {@code [identity][empty][payload]}, DEALER clients {@code
 * [identity][payload]}; every reply goes back with exactly the envelope received (all frames up
 * to and including the first empty one, else the identity alone) followed by one payload frame.
 * Zero or several payload frames → {@code BAD_REQUEST "Invalid message format"}; a payload that
 * is not one MessagePack map → {@code BAD_REQUEST}; the socket keeps serving either way. Frames
 * over {@code MAXMSGSIZE} make JeroMQ drop the peer (no reply, per spec).
 *
 * <p>Threading: ZeroMQ sockets are not thread-safe, so only the I/O thread touches the ROUTER. It
 * decodes a request, calls the {@link ProcessorHost} (which returns at once with a future: no
 * engine work on this thread) and goes back to polling. When a future completes on a host
 * thread, the encoded reply is queued and the I/O thread is woken through an inproc PAIR socket
 * (one wake-up per batch, the sending PAIR guarded by a lock); it then sends the queued replies.
 * Replies sent to a peer that has gone away are dropped ({@code ROUTER_MANDATORY} reports them).
 */
public final class ZmqEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZmqEndpoint.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final int POLL_TIMEOUT_MS = 1000;
  /** Requests read per poll round before queued replies get their turn. */
  private static final int READ_BATCH = 256;
  /** Frames kept per message; further frames are read and dropped (the request is invalid anyway). */
  private static final int MAX_FRAMES = 64;

  /**
   * Settings of the endpoint.
   *
   * @param bindHost interface to bind ({@code *} = all)
   * @param port TCP port ({@code ZMQ_PORT}); 0 = any free port
   * @param processorName {@code PROCESSOR_NAME}, returned by get_name and get_genome
   * @param defaultNodeId node of calls that name none ({@code PROCESSOR_ID}, else {@code default_node})
   * @param workerId this worker's id (get_worker_info)
   * @param capacity this worker's capacity (get_worker_info)
   * @param maxInFlight requests being processed at once before answering OVERLOADED
   * @param maxMessageBytes {@code MAXMSGSIZE}: larger frames drop the peer
   */
  public record Options(String bindHost, int port, String processorName, String defaultNodeId, String workerId,
      int capacity, int maxInFlight, long maxMessageBytes) {

    public static Options defaults() {
      return new Options("*", 5555, "KatoProcessor", "default_node", "worker-1", 100, 10_000, 16L * 1024 * 1024);
    }

    public Options withBind(String host, int bindPort) {
      return new Options(host, bindPort, processorName, defaultNodeId, workerId, capacity, maxInFlight,
          maxMessageBytes);
    }

    public Options withIdentity(String name, String nodeId, String worker, int workerCapacity) {
      return new Options(bindHost, port, name, nodeId, worker, workerCapacity, maxInFlight, maxMessageBytes);
    }

    public Options withLimits(int inFlight, long messageBytes) {
      return new Options(bindHost, port, processorName, defaultNodeId, workerId, capacity, inFlight, messageBytes);
    }
  }

  /** A reply waiting for the I/O thread. */
  private record Outgoing(List<byte[]> envelope, byte[] payload) {}

  private final ZmqMethods methods;
  private final Options options;
  private final ZContext context = new ZContext(1);
  private final String wakeAddress = "inproc://kato-zmq-wake-" + INSTANCES.incrementAndGet();
  private final ConcurrentLinkedQueue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Object wakeLock = new Object();
  private final Thread ioThread;
  /** Completed by the I/O thread with the bound port, or with the bind failure. */
  private final CompletableFuture<Integer> startup = new CompletableFuture<>();
  private volatile boolean running = true;
  private volatile int boundPort = -1;
  /** The sending end of the wake-up pair; used under {@link #wakeLock} by any thread. */
  private ZMQ.Socket wakeSender;

  private ZmqEndpoint(ProcessorHost host, Options options, Clock clock) {
    this.options = options;
    this.methods = new ZmqMethods(host, options, clock);
    this.ioThread = new Thread(this::run, "kato-zmq-io");
    this.ioThread.setDaemon(true);
  }

  /** Binds and starts serving; returns once the socket is bound (throws if it cannot bind). */
  public static ZmqEndpoint start(ProcessorHost host, Options options) {
    return start(host, options, Clock.systemUTC());
  }

  public static ZmqEndpoint start(ProcessorHost host, Options options, Clock clock) {
    ZmqEndpoint endpoint = new ZmqEndpoint(host, options, clock);
    endpoint.ioThread.start();
    try {
      endpoint.boundPort = endpoint.startup.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      endpoint.close();
      throw new IllegalStateException("cannot bind the ZeroMQ endpoint tcp://" + options.bindHost() + ":"
          + options.port() + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      endpoint.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the ZeroMQ endpoint did not start", e);
    }
    LOG.info("worker ZeroMQ listening on tcp://{}:{}", options.bindHost(), endpoint.boundPort);
    return endpoint;
  }

  /** The bound TCP port. */
  public int port() {
    return boundPort;
  }

  /** Requests answered so far (for tests and monitoring). */
  public long served() {
    return served.get();
  }

  /** Replies that could not be delivered (peer gone, or its queue full). */
  public long dropped() {
    return dropped.get();
  }

  // ---- the I/O thread -------------------------------------------------------------------------

  private void run() {
    ZMQ.Socket router = null;
    ZMQ.Socket wakeReceiver = null;
    ZMQ.Poller poller = null;
    try {
      router = context.createSocket(SocketType.ROUTER);
      router.setRouterMandatory(true);
      router.setSndHWM(1000);
      router.setRcvHWM(1000);
      router.setLinger(0);
      router.setMaxMsgSize(options.maxMessageBytes());
      router.setTCPKeepAlive(1);
      keepAliveOption(router::setTCPKeepAliveIdle, 120);
      keepAliveOption(router::setTCPKeepAliveInterval, 30);
      keepAliveOption(router::setTCPKeepAliveCount, 3);
      router.bind("tcp://" + options.bindHost() + ":" + (options.port() == 0 ? "*" : options.port()));
      int port = portOf(router.getLastEndpoint());

      wakeReceiver = context.createSocket(SocketType.PAIR);
      wakeReceiver.setLinger(0);
      wakeReceiver.bind(wakeAddress);
      ZMQ.Socket sender = context.createSocket(SocketType.PAIR);
      sender.setLinger(0);
      sender.connect(wakeAddress);
      synchronized (wakeLock) {
        wakeSender = sender;
      }
      poller = context.createPoller(2);
      int routerIndex = poller.register(router, ZMQ.Poller.POLLIN);
      int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
      startup.complete(port);

      while (running) {
        try {
          serveOnce(poller, router, routerIndex, wakeReceiver, wakeIndex);
        } catch (ZMQException e) {
          if (e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
            throw e;
          }
          LOG.error("ZeroMQ I/O round failed; serving on", e);
          pause();
        } catch (RuntimeException | AssertionError e) { // a bug, or a JeroMQ-internal assert under -ea
          LOG.error("ZeroMQ I/O round failed; serving on", e);
          pause(); // a failure that repeats must not spin the thread
        }
      }
    } catch (ZMQException e) {
      if (!startup.isDone()) {
        startup.completeExceptionally(e);
      } else if (running) {
        LOG.error("ZeroMQ I/O thread failed", e);
      }
    } catch (RuntimeException | Error e) {
      if (!startup.isDone()) {
        startup.completeExceptionally(e);
      }
      LOG.error("ZeroMQ I/O thread failed", e);
    } finally {
      running = false;
      if (poller != null) {
        poller.close();
      }
      if (wakeReceiver != null) {
        wakeReceiver.close();
      }
      if (router != null) {
        router.close();
      }
    }
  }

  /** One poll round: queued replies out, then up to {@link #READ_BATCH} requests in. */
  private void serveOnce(ZMQ.Poller poller, ZMQ.Socket router, int routerIndex, ZMQ.Socket wakeReceiver,
      int wakeIndex) {
    poller.poll(POLL_TIMEOUT_MS);
    if (poller.pollin(wakeIndex)) {
      while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
        // drain the wake-up signals
      }
    }
    wakePending.set(false); // before draining: a reply queued from now on wakes us again
    sendQueued(router);
    if (poller.pollin(routerIndex)) {
      for (int i = 0; i < READ_BATCH && running; i++) {
        if (!receiveOne(router)) {
          break;
        }
      }
    }
  }

  /**
   * Reads one multipart message; false when none is waiting. A failure while handling one message
   * is logged and costs that message only: the I/O thread keeps serving.
   */
  private boolean receiveOne(ZMQ.Socket router) {
    List<byte[]> frames = new ArrayList<>(3);
    int total = readMessage(router, frames);
    if (total == 0) {
      return false;
    }
    try {
      handle(router, frames, total);
    } catch (ZMQException e) {
      throw e;
    } catch (RuntimeException | LinkageError | AssertionError e) {
      LOG.error("ZeroMQ request could not be handled", e);
    }
    return true;
  }

  /** The frames of one message (at most {@link #MAX_FRAMES} kept); returns how many it had, 0 if none. */
  private static int readMessage(ZMQ.Socket router, List<byte[]> frames) {
    byte[] first = router.recv(ZMQ.DONTWAIT);
    if (first == null) {
      return 0;
    }
    frames.add(first);
    int total = 1;
    while (router.hasReceiveMore()) {
      byte[] frame = router.recv(0);
      total++;
      if (frames.size() < MAX_FRAMES) {
        frames.add(frame);
      }
    }
    return total;
  }

  private void handle(ZMQ.Socket router, List<byte[]> frames, int total) {
    // the envelope: the identity and, for REQ clients (or routed chains), every frame up to and
    // including the first empty delimiter; what follows is the payload
    int delimiter = -1;
    for (int i = 1; i < frames.size(); i++) {
      if (frames.get(i).length == 0) {
        delimiter = i;
        break;
      }
    }
    int payloadStart = delimiter < 0 ? 1 : delimiter + 1;
    List<byte[]> envelope = List.copyOf(frames.subList(0, payloadStart));
    int payloadFrames = total - payloadStart;
    if (payloadFrames != 1) {
      send(router, envelope, encodeReply(ZmqMethods.badRequest("Invalid message format")));
      return;
    }
    JsonNode request;
    try {
      request = MessagePackCodec.decodeTree(frames.get(payloadStart));
    } catch (MessagePackCodec.MessagePackFormatException e) {
      send(router, envelope, encodeReply(ZmqMethods.badRequest("Invalid MessagePack payload: " + e.getMessage())));
      return;
    }
    if (inFlight.incrementAndGet() > options.maxInFlight()) {
      inFlight.decrementAndGet();
      HostException overloaded = new HostException(ErrorCode.OVERLOADED, "worker is overloaded; retry later");
      send(router, envelope, encodeReply(ZmqMethods.error(overloaded, ZmqCall.idOf(request), null)));
      return;
    }
    CompletableFuture<Map<String, Object>> reply;
    try {
      reply = methods.handle(request);
    } catch (RuntimeException e) { // handle() never throws; belt and braces
      reply = CompletableFuture.completedFuture(ZmqMethods.error(e, ZmqCall.idOf(request), null));
    }
    JsonNode id = ZmqCall.idOf(request);
    reply.whenComplete((map, failure) -> {
      inFlight.decrementAndGet();
      try {
        byte[] payload = encodeReply(failure == null ? map : ZmqMethods.error(failure, id, null));
        if (Thread.currentThread() == ioThread) {
          send(router, envelope, payload); // completed at once (ping, validation errors)
        } else {
          outgoing.add(new Outgoing(envelope, payload));
          wake();
        }
      } catch (RuntimeException | LinkageError e) { // never lose a reply silently
        LOG.error("ZeroMQ reply could not be queued", e);
      }
    });
  }

  private void sendQueued(ZMQ.Socket router) {
    Outgoing next;
    while ((next = outgoing.poll()) != null) {
      send(router, next.envelope(), next.payload());
    }
  }

  private void send(ZMQ.Socket router, List<byte[]> envelope, byte[] payload) {
    try {
      for (byte[] frame : envelope) {
        if (!router.send(frame, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
          dropped.incrementAndGet();
          LOG.debug("dropped a reply: the peer's queue is full");
          return;
        }
      }
      if (router.send(payload, ZMQ.DONTWAIT)) {
        served.incrementAndGet();
      } else {
        dropped.incrementAndGet();
      }
    } catch (ZMQException e) {
      // EHOSTUNREACH (ROUTER_MANDATORY): the client went away before its reply was ready
      dropped.incrementAndGet();
      LOG.debug("dropped a reply: {}", e.getMessage());
    }
  }

  private static byte[] encodeReply(Map<String, Object> reply) {
    try {
      return MessagePackCodec.encode(reply);
    } catch (RuntimeException e) {
      LOG.warn("could not encode a ZeroMQ reply", e);
      return MessagePackCodec.encode(ZmqMethods.error(e, null, null));
    }
  }

  /** Any thread: makes the I/O thread look at the reply queue (one signal per batch). */
  private void wake() {
    if (!wakePending.compareAndSet(false, true)) {
      return;
    }
    synchronized (wakeLock) {
      if (wakeSender != null) {
        try {
          wakeSender.send(new byte[] {1}, ZMQ.DONTWAIT);
        } catch (ZMQException e) {
          LOG.debug("wake-up failed: {}", e.getMessage());
        }
      }
    }
  }

  @FunctionalInterface
  private interface LongOption {
    boolean set(long value);
  }

  private static void keepAliveOption(LongOption option, long value) {
    try {
      option.set(value);
    } catch (RuntimeException e) { // not every JDK/OS exposes the keepalive timings
      LOG.debug("TCP keepalive option not applied: {}", e.toString());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int portOf(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    return Integer.parseInt(endpoint.substring(colon + 1));
  }

  /** Stops serving: the I/O thread closes its sockets; queued and in-flight replies are dropped. */
  @Override
  public void close() {
    running = false;
    wakePending.set(false);
    wake();
    if (Thread.currentThread() != ioThread && ioThread.isAlive()) {
      try {
        ioThread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (wakeLock) {
      if (wakeSender != null) {
        wakeSender.close();
        wakeSender = null;
      }
    }
    context.close();
    LOG.info("worker ZeroMQ endpoint stopped (served={}, dropped={})", served.get(), dropped.get());
  }
}
