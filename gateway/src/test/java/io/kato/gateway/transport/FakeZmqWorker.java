package io.kato.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.msgpack.MessagePackCodec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A scripted ZeroMQ worker for transport tests: a ROUTER socket on a loopback port whose replies
 * a test decides per request: answer (optionally late), garble or drop. Pings are answered
 * unless {@link #answerPings} is off; every other request is recorded.
 */
final class FakeZmqWorker implements AutoCloseable {

  /** What to do with one request: a reply, or null to drop it. */
  @FunctionalInterface
  interface Script {
    Reply reply(JsonNode request, int index);
  }

  /** A payload sent after {@code delayMillis}. */
  record Reply(byte[] payload, long delayMillis) {
    static Reply of(Map<String, ?> map) {
      return new Reply(MessagePackCodec.encode(map), 0);
    }

    static Reply late(Map<String, ?> map, long delayMillis) {
      return new Reply(MessagePackCodec.encode(map), delayMillis);
    }

    static Reply raw(byte[] payload) {
      return new Reply(payload, 0);
    }
  }

  private record Due(long at, List<byte[]> envelope, byte[] payload) {}

  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final Set<String> identities = ConcurrentHashMap.newKeySet();
  final AtomicInteger pings = new AtomicInteger();
  volatile Script script = (request, index) -> Reply.of(Map.of("status", "okay", "result", Map.of("ok", true)));
  volatile boolean answerPings = true;

  private final ZContext context = new ZContext(1);
  private final Thread thread;
  private final CountDownLatch bound = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile int port;

  FakeZmqWorker() throws InterruptedException {
    this(0);
  }

  /** On {@code bindPort} (0 = any free port). */
  FakeZmqWorker(int bindPort) throws InterruptedException {
    this.port = bindPort;
    thread = new Thread(this::serve, "fake-zmq-worker");
    thread.setDaemon(true);
    thread.start();
    if (!bound.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("fake worker did not bind");
    }
  }

  String address() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Requests other than pings, by method. */
  List<JsonNode> calls(String method) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : requests) {
      if (method.equals(r.path("method").asText())) {
        out.add(r);
      }
    }
    return out;
  }

  private void serve() {
    ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
    router.setLinger(0);
    router.bind("tcp://127.0.0.1:" + (port == 0 ? "*" : String.valueOf(port)));
    String endpoint = router.getLastEndpoint();
    port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    bound.countDown();
    PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    ZMQ.Poller poller = context.createPoller(1);
    poller.register(router, ZMQ.Poller.POLLIN);
    int index = 0;
    try {
      while (running) {
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek().at() <= now) {
          Due next = due.poll();
          for (byte[] frame : next.envelope()) {
            router.send(frame, ZMQ.SNDMORE);
          }
          router.send(next.payload(), 0);
        }
        long wait = due.isEmpty() ? 50 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(due.peek().at() - now));
        poller.poll(Math.min(50, wait));
        if (!poller.pollin(0)) {
          continue;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(router.recv(0));
        while (router.hasReceiveMore()) {
          frames.add(router.recv(0));
        }
        identities.add(HexFormat.of().formatHex(frames.get(0)));
        List<byte[]> envelope = frames.subList(0, frames.size() - 1);
        JsonNode request = MessagePackCodec.decodeTree(frames.get(frames.size() - 1));
        Reply reply;
        if ("ping".equals(request.path("method").asText()) && request.path("node_id").isMissingNode()) {
          pings.incrementAndGet();
          reply = answerPings ? Reply.of(Map.of("status", "okay", "message", "pong")) : null;
        } else {
          requests.add(request);
          reply = script.reply(request, index++);
        }
        if (reply != null) {
          due.add(new Due(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reply.delayMillis()),
              List.copyOf(envelope), reply.payload()));
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        throw e;
      }
    } finally {
      poller.close();
      router.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5000);
    context.close();
  }
}
