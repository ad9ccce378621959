package io.kato.worker.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.msgpack.MessagePackCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

/** Framing, envelopes, malformed input and concurrency of the ZeroMQ endpoint (API.md §5.1–§5.3). */
class ZmqEndpointTest extends ZmqFixture {

  @Test
  void pingOverReq() {
    JsonNode reply = call("ping");
    assertThat(reply.get("status").textValue()).isEqualTo("okay");
    assertThat(reply.get("message").textValue()).isEqualTo("pong");
    assertThat(reply.get("timestamp").isDouble()).isTrue();
    assertThat(reply.get("timestamp").doubleValue()).isCloseTo(System.currentTimeMillis() / 1000.0,
        org.assertj.core.data.Offset.offset(60.0));
    assertThat(reply.has("id")).isFalse();
    assertThat(endpoint.port()).isPositive();
  }

  @Test
  void paramsAreOptionalAndIdIsEchoed() {
    JsonNode reply = send(map("method", "ping", "id", 42));
    assertThat(reply.get("status").textValue()).isEqualTo("okay");
    assertThat(reply.get("id").intValue()).isEqualTo(42);
    reply = send(map("method", "ping", "id", "req-7"));
    assertThat(reply.get("id").textValue()).isEqualTo("req-7");
  }

  @Test
  void dealerClientGetsItsEnvelopeBackAndMatchesRepliesById() {
    ZMQ.Socket dealer = dealerSocket();
    // pipelined: several requests before any reply
    for (int i = 0; i < 20; i++) {
      assertThat(dealer.send(MessagePackCodec.encode(map("method", i % 2 == 0 ? "ping" : "get_stm", "id", i)))).isTrue();
    }
    Map<Integer, JsonNode> byId = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      byte[] frame = dealer.recv();
      assertThat(frame).isNotNull();
      assertThat(dealer.hasReceiveMore()).as("one payload frame, no delimiter for a DEALER").isFalse();
      JsonNode reply = MessagePackCodec.decodeTree(frame);
      byId.put(reply.get("id").intValue(), reply);
    }
    assertThat(byId).hasSize(20);
    assertThat(byId.get(0).get("message").textValue()).isEqualTo("pong");
    assertThat(byId.get(1).get("short_term_memory").isArray()).isTrue();
  }

  @Test
  void dealerEmulatingReqKeepsTheDelimiter() {
    ZMQ.Socket dealer = dealerSocket();
    dealer.sendMore(new byte[0]);
    dealer.send(MessagePackCodec.encode(map("method", "ping")));
    assertThat(dealer.recv()).isEmpty();
    assertThat(dealer.hasReceiveMore()).isTrue();
    JsonNode reply = MessagePackCodec.decodeTree(dealer.recv());
    assertThat(reply.get("message").textValue()).isEqualTo("pong");
    assertThat(dealer.hasReceiveMore()).isFalse();
  }

  @Test
  void dealerHeartbeat() {
    ZMQ.Socket dealer = dealerSocket();
    dealer.send(MessagePackCodec.encode(map("type", "heartbeat", "timestamp", 1764000000.25)));
    JsonNode reply = MessagePackCodec.decodeTree(dealer.recv());
    assertThat(reply.get("status").textValue()).isEqualTo("ok");
    assertThat(reply.get("timestamp").isDouble()).isTrue();
    assertThat(reply.size()).isEqualTo(2);
    // REQ clients get it too
    assertThat(send(map("type", "heartbeat")).get("status").textValue()).isEqualTo("ok");
  }

  @Test
  void malformedMessagePackGetsBadRequestAndTheSocketKeepsServing() {
    for (String hex : List.of("c1", "0102", "82a16101", "a56162", "d40100", "8101a0", "")) {
      JsonNode reply = roundTrip(req, HexFormat.of().parseHex(hex));
      assertError(reply, "BAD_REQUEST", 400);
      assertThat(reply.get("message").textValue()).as(hex).startsWith("Invalid MessagePack payload");
    }
    assertThat(call("ping").get("message").textValue()).isEqualTo("pong");
  }

  @Test
  void requestsThatAreNotMapsOrLackAMethod() {
    assertError(roundTrip(req, MessagePackCodec.encode(List.of("ping"))), "BAD_REQUEST", 400);
    assertError(roundTrip(req, MessagePackCodec.encode("ping")), "BAD_REQUEST", 400);
    JsonNode reply = roundTrip(req, MessagePackCodec.encode(map("params", Map.of(), "id", 5)));
    assertError(reply, "BAD_REQUEST", 400);
    assertThat(reply.get("message").textValue()).isEqualTo("Missing method");
    assertThat(reply.get("id").intValue()).isEqualTo(5);
    assertError(roundTrip(req, MessagePackCodec.encode(map("method", 7))), "BAD_REQUEST", 400);
    assertError(roundTrip(req, MessagePackCodec.encode(map("method", "ping", "params", List.of()))),
        "BAD_REQUEST", 400);
    assertError(roundTrip(req, MessagePackCodec.encode(map("method", "ping", "epoch", "x"))), "BAD_REQUEST", 400);
  }

  @Test
  void binKeysAndRawTextAreAccepted() {
    // {b"method": b"ping", b"id": 3}: an old encoder that writes text as bin
    byte[] packed = HexFormat.of().parseHex("82c4066d6574686f64c40470696e67c402696403");
    JsonNode reply = roundTrip(req, packed);
    assertThat(reply.get("message").textValue()).isEqualTo("pong");
    assertThat(reply.get("id").intValue()).isEqualTo(3);
    // bin that is not UTF-8 is refused
    assertError(roundTrip(req, HexFormat.of().parseHex("82a66d6574686f64a470696e67a178c401ff")), "BAD_REQUEST", 400);
  }

  @Test
  void unknownMethod() {
    JsonNode reply = call("frobnicate");
    assertError(reply, "UNKNOWN_METHOD", 400);
    assertThat(reply.get("message").textValue()).isEqualTo("Unknown method: frobnicate");
  }

  @Test
  void errorRepliesHaveTheDocumentedShape() {
    JsonNode reply = call("get_gene", Map.of(), "id", 9);
    assertThat(reply.get("status").textValue()).isEqualTo("error");
    assertThat(reply.get("message").textValue()).isEqualTo("gene_name parameter required");
    assertThat(reply.get("code").textValue()).isEqualTo("BAD_REQUEST");
    assertThat(reply.get("http_status").intValue()).isEqualTo(400);
    assertThat(reply.get("details").isObject()).isTrue();
    assertThat(reply.get("id").intValue()).isEqualTo(9);
    List<String> keys = new ArrayList<>();
    reply.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("status", "message", "code", "http_status", "details", "id");
  }

  @Test
  void moreThanOnePayloadFrameIsAnInvalidMessageFormat() {
    byte[] ping = MessagePackCodec.encode(map("method", "ping"));
    req.sendMore(ping);
    req.send(ping);
    JsonNode reply = MessagePackCodec.decodeTree(req.recv());
    assertError(reply, "BAD_REQUEST", 400);
    assertThat(reply.get("message").textValue()).isEqualTo("Invalid message format");

    // a DEALER sending [empty] only: an envelope and no payload
    ZMQ.Socket dealer = dealerSocket();
    dealer.send(new byte[0]);
    assertThat(dealer.recv()).isEmpty();
    assertError(MessagePackCodec.decodeTree(dealer.recv()), "BAD_REQUEST", 400);

    // a DEALER sending two payload frames
    dealer.sendMore(ping);
    dealer.send(ping);
    reply = MessagePackCodec.decodeTree(dealer.recv());
    assertThat(reply.get("message").textValue()).isEqualTo("Invalid message format");
    assertThat(call("ping").get("message").textValue()).isEqualTo("pong");
  }

  @Test
  void anOversizedFrameDropsThatPeerOnlyAndTheEndpointKeepsServing() throws Exception {
    ZMQ.Socket big = dealerSocket();
    big.setReceiveTimeOut(1500);
    byte[] oversized = new byte[16 * 1024 * 1024 + 1];
    oversized[0] = (byte) 0x81; // would start a map; it is never read
    assertThat(big.send(oversized)).isTrue();
    // meanwhile another client is served
    assertThat(call("ping").get("message").textValue()).isEqualTo("pong");
    assertThat(big.recv()).as("no reply for an oversized frame (the peer is dropped)").isNull();
    big.close();

    // and afterwards, fresh clients of both kinds are served
    ZMQ.Socket fresh = reqSocket();
    assertThat(roundTrip(fresh, MessagePackCodec.encode(map("method", "ping"))).get("message").textValue())
        .isEqualTo("pong");
    ZMQ.Socket dealer = dealerSocket();
    dealer.send(MessagePackCodec.encode(map("method", "ping", "id", 1)));
    assertThat(MessagePackCodec.decodeTree(dealer.recv()).get("id").intValue()).isEqualTo(1);
  }

  @Test
  void aLargeRequestUnderTheLimitIsServed() {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      strings.add("s" + i);
    }
    double[] vector = new double[768];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = i / 768.0;
    }
    JsonNode reply = ok("observe", map("strings", strings, "vectors", List.of(vector)));
    assertThat(reply.get("short_term_memory").get(0).size()).isEqualTo(1001); // one VCTR| symbol + 1000 strings
  }

  @Test
  void manyClientsAtOnce() throws Exception {
    int clientsCount = 8;
    int callsEach = 25;
    ExecutorService pool = Executors.newFixedThreadPool(clientsCount);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < clientsCount; c++) {
        String node = "concurrent-" + c;
        // one socket per thread (ZeroMQ sockets are not thread-safe), created here, used there only
        ZMQ.Socket socket = reqSocket();
        results.add(pool.submit((Callable<Integer>) () -> {
          int last = 0;
          for (int i = 0; i < callsEach; i++) {
            JsonNode reply = roundTrip(socket, MessagePackCodec.encode(map("method", "observe",
                "params", map("strings", List.of("x" + i)), "node_id", node)));
            last = reply.get("interval").intValue();
          }
          return last;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(callsEach);
      }
    } finally {
      pool.shutdownNow();
    }
    // the counter is bumped right after the send that the client may already have read
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (endpoint.served() < (long) clientsCount * (callsEach + 1) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(endpoint.served()).isGreaterThanOrEqualTo((long) clientsCount * (callsEach + 1)); // + the pings
  }

  @Test
  void aClientThatLeavesBeforeItsReplyDoesNotDisturbOthers() {
    for (int i = 0; i < 20; i++) {
      ZMQ.Socket gone = dealerSocket();
      gone.send(MessagePackCodec.encode(map("method", "observe", "params", map("strings", List.of("a", "b")))));
      gone.close();
    }
    assertThat(call("ping").get("message").textValue()).isEqualTo("pong");
    JsonNode stm = ok("get_stm", Map.of());
    assertThat(stm.get("short_term_memory").size()).isLessThanOrEqualTo(20);
  }

  @Test
  void aBusyPortIsAStartupError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZmqEndpoint.start(host,
        ZmqEndpoint.Options.defaults().withBind("127.0.0.1", endpoint.port())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot bind");
    assertThat(call("ping").get("message").textValue()).isEqualTo("pong");
  }

  @Test
  void closingStopsTheEndpointAndFreesThePort() {
    int port = endpoint.port();
    endpoint.close();
    ZmqEndpoint again = ZmqEndpoint.start(host, ZmqEndpoint.Options.defaults().withBind("127.0.0.1", port));
    try {
      ZMQ.Socket socket = reqSocket();
      assertThat(roundTrip(socket, MessagePackCodec.encode(map("method", "ping"))).get("message").textValue())
          .isEqualTo("pong");
    } finally {
      again.close();
    }
    endpoint = ZmqEndpoint.start(host, ZmqEndpoint.Options.defaults().withBind("127.0.0.1", 0));
  }
}
