package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway with API keys on (an ordinary key and an admin key) and one worker, as real
 * processes: 401/403 and their precedence (§1.5), exempt probes, WebSocket handshakes, and
 * Idempotency-Key replay, conflicts and scopes (§1.7). Every refused request changes nothing.
 */
class ApiKeysAndIdempotencyIT {
  private static final String KEY = "k-user-1";
  private static final String ADMIN = "k-admin-1";

  @TempDir
  static Path data;
  static KatoCluster cluster;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    cluster = new KatoCluster(data, "rocksdb").withGatewayArgs("--api-key", KEY, "--admin-api-key", ADMIN)
        .startGateway();
    cluster.startWorker("wk");
    http = new Http(cluster.baseUrl());
    long deadline = System.currentTimeMillis() + 30_000;
    while (http.get("/workers", Map.of("X-API-Key", KEY)).json().path("live").asInt() < 1) {
      assertThat(System.currentTimeMillis()).as("worker registered").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Map<String, String> json(String... headers) {
    Map<String, String> out = new HashMap<>();
    out.put("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      out.put(headers[i], headers[i + 1]);
    }
    return out;
  }

  private static long sessionCount() throws Exception {
    return http.get("/sessions/count", Map.of("X-API-Key", KEY)).json().path("active_session_count").asLong();
  }

  private static String newSession(String node) throws Exception {
    Http.Reply created = http.post("/sessions", "{\"node_id\": \"" + node + "\"}", json("X-API-Key", KEY));
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    return created.json().path("session_id").asText();
  }

  private static int stmLength(String sid) throws Exception {
    return http.get("/sessions/" + sid + "/stm", Map.of("X-API-Key", KEY)).json().path("stm").size();
  }

  // ---- API keys -------------------------------------------------------------------------------

  @Test
  void aMissingOrWrongKeyIs401AndCreatesNothing() throws Exception {
    long before = sessionCount();
    Wire.assertError(http.post("/sessions", "{\"node_id\": \"a\"}"), 401, "UNAUTHORIZED");
    Wire.assertError(http.post("/sessions", "{\"node_id\": \"a\"}", json("X-API-Key", "nope")), 401, "UNAUTHORIZED");
    Wire.assertError(http.post("/sessions", "{\"node_id\": \"a\"}", json("Authorization", "Bearer nope")), 401,
        "UNAUTHORIZED");
    assertThat(sessionCount()).isEqualTo(before);
    assertThat(http.post("/sessions", "{\"node_id\": \"a\"}", json("Authorization", "Bearer " + KEY)).status())
        .isEqualTo(200);
    assertThat(sessionCount()).isEqualTo(before + 1);
  }

  @Test
  void probesAndPreflightsAreExempt() throws Exception {
    assertThat(http.get("/health").status()).isEqualTo(200);
    assertThat(http.get("/ready").status()).isEqualTo(200);
    assertThat(http.get("/kato-api/ping").status()).isEqualTo(200);
    Http.Reply preflight = http.send("OPTIONS", "/sessions", null, Map.of("Origin", "http://app.example",
        "Access-Control-Request-Method", "POST"));
    assertThat(preflight.status()).isEqualTo(200);
    Wire.assertError(http.get("/status"), 401, "UNAUTHORIZED");
  }

  @Test
  void precedenceSizeLimitsFirstThenKeysThenTheSessionCheck() throws Exception {
    String oversized = "{\"strings\": [\"" + "x".repeat(16 * 1024 * 1024) + "\"]}";
    Wire.assertError(http.post("/sessions/none/observe", oversized), 413, "PAYLOAD_TOO_LARGE");
    Wire.assertError(http.post("/sessions/none/observe", "{\"strings\": 5}"), 401, "UNAUTHORIZED");
    Wire.assertError(http.post("/sessions/none/observe", "{\"strings\": 5}", json("X-API-Key", KEY)), 404,
        "SESSION_NOT_FOUND");
  }

  @Test
  void adminWritesNeedTheAdminKey() throws Exception {
    assertThat(http.get("/workers", Map.of("X-API-Key", KEY)).status()).isEqualTo(200);
    Wire.assertError(http.post("/workers/nobody/drain", "{}", json("X-API-Key", KEY)), 403, "FORBIDDEN");
    Wire.assertError(http.send("PUT", "/nodes/n1/pin", "{\"worker_id\": \"wk\"}", json("X-API-Key", KEY)), 403,
        "FORBIDDEN");
    assertThat(http.get("/nodes/n1", Map.of("X-API-Key", KEY)).json().path("pinned").asBoolean()).isFalse();
    Wire.assertError(http.post("/workers/nobody/drain", "{}", json("X-API-Key", ADMIN)), 404, "WORKER_NOT_FOUND");
    // the router resolves dot segments; the key check judges the same path
    Wire.assertError(http.post("/sessions/../workers/nobody/drain", "{}", json("X-API-Key", KEY)), 403, "FORBIDDEN");
    // the admin key is a valid key everywhere
    assertThat(http.get("/sessions/count", Map.of("X-API-Key", ADMIN)).status()).isEqualTo(200);
  }

  @Test
  void webSocketHandshakesNeedAKeyInAHeaderOrTheQuery() throws Exception {
    WebSocket.Listener listener = new WebSocket.Listener() {};
    String ws = "ws://127.0.0.1:" + cluster.gatewayPort();
    CompletableFuture<WebSocket> refused = http.client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(ws + "/ws/events"), listener);
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
            .isEqualTo(401));
    WebSocket byQuery = http.client().newWebSocketBuilder().buildAsync(URI.create(ws + "/ws/events?api_key=" + KEY),
        listener).get(10, TimeUnit.SECONDS);
    byQuery.abort();
    WebSocket byHeader = http.client().newWebSocketBuilder().header("X-API-Key", KEY)
        .buildAsync(URI.create(ws + "/ws?node_id=ws-node"), listener).get(10, TimeUnit.SECONDS);
    byHeader.abort();
  }

  // ---- Idempotency-Key ------------------------------------------------------------------------

  @Test
  void aRepeatedCreateIsReplayedNotRepeated() throws Exception {
    long before = sessionCount();
    Map<String, String> headers = json("X-API-Key", KEY, "Idempotency-Key", "create-1");
    Http.Reply first = http.post("/sessions", "{\"node_id\": \"idem-create\"}", headers);
    Http.Reply again = http.post("/sessions", "{\"node_id\": \"idem-create\"}", headers);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.text()).isEqualTo(first.text());
    assertThat(sessionCount()).isEqualTo(before + 1);
  }

  @Test
  void aRepeatedObserveIsAppliedOnceAndADifferentBodyIs409() throws Exception {
    String sid = newSession("idem-observe");
    Map<String, String> headers = json("X-API-Key", KEY, "Idempotency-Key", "obs-1");
    Http.Reply first = http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"a\"]}", headers);
    Http.Reply again = http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"a\"]}", headers);
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.text()).isEqualTo(first.text());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(stmLength(sid)).isEqualTo(1);

    Http.Reply reused = http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"b\"]}", headers);
    Wire.assertError(reused, 409, "IDEMPOTENCY_KEY_REUSED");
    assertThat(stmLength(sid)).isEqualTo(1);

    // the key is scoped to the session: another session may use it
    String other = newSession("idem-observe");
    assertThat(http.post("/sessions/" + other + "/observe", "{\"strings\": [\"b\"]}", headers).header(
        "Idempotent-Replayed")).isNull();
    assertThat(stmLength(other)).isEqualTo(1);
  }

  @Test
  void aRetriedDeleteGetsItsFirstAnswerNotSessionNotFound() throws Exception {
    String sid = newSession("idem-delete");
    Map<String, String> headers = Map.of("X-API-Key", KEY, "Idempotency-Key", "delete-1");
    Http.Reply first = http.send("DELETE", "/sessions/" + sid, null, headers);
    Http.Reply again = http.send("DELETE", "/sessions/" + sid, null, headers);
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.text()).isEqualTo(first.text());
    Wire.assertError(http.send("DELETE", "/sessions/" + sid, null, Map.of("X-API-Key", KEY)), 404,
        "SESSION_NOT_FOUND");
  }

  @Test
  void concurrentDuplicatesAreAppliedOnce() throws Exception {
    String sid = newSession("idem-concurrent");
    Map<String, String> headers = json("X-API-Key", KEY, "Idempotency-Key", "burst-1");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        replies.add(pool.submit(() -> new Http(cluster.baseUrl()).post("/sessions/" + sid + "/observe",
            "{\"strings\": [\"once\"]}", headers)));
      }
      String body = null;
      for (Future<Http.Reply> f : replies) {
        Http.Reply r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        body = body == null ? r.text() : body;
        assertThat(r.text()).isEqualTo(body);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stmLength(sid)).isEqualTo(1);
  }

  @Test
  void anInvalidKeyIs422AndChangesNothing() throws Exception {
    String sid = newSession("idem-invalid");
    for (String bad : List.of("has space", "x".repeat(256), "tab\tkey")) {
      Http.Reply refused = http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"a\"]}",
          json("X-API-Key", KEY, "Idempotency-Key", bad));
      JsonNode body = Wire.assertError(refused, 422, "VALIDATION_ERROR");
      assertThat(body.path("detail").get(0).path("loc").toString()).isEqualTo("[\"header\",\"idempotency-key\"]");
    }
    assertThat(stmLength(sid)).isZero();
  }

  @Test
  void readsIgnoreTheKeyAndErrorsTheClientCausedAreReplayed() throws Exception {
    String sid = newSession("idem-reads");
    Map<String, String> headers = json("X-API-Key", KEY, "Idempotency-Key", "learn-empty");
    Http.Reply empty = http.post("/sessions/" + sid + "/learn", "{}", headers);
    Wire.assertError(empty, 400, "EMPTY_STM");
    http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"a\"]}", json("X-API-Key", KEY));
    Http.Reply replayed = http.post("/sessions/" + sid + "/learn", "{}", headers);
    assertThat(replayed.status()).isEqualTo(400);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    Map<String, String> read = Map.of("X-API-Key", KEY, "Idempotency-Key", "learn-empty");
    assertThat(http.get("/sessions/" + sid + "/stm", read).header("Idempotent-Replayed")).isNull();
    assertThat(stmLength(sid)).isEqualTo(1);
  }
}
