package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway and two worker processes (RocksDB) on loopback, reached over one transport: a whole
 * v3 session through the gateway, 200 nodes spread over both workers with results identical to
 * a one-worker cluster reached over gRPC (so the ZeroMQ run also proves the transports give
 * the same answers), a late worker receiving new nodes, and a gateway restart that keeps every
 * session usable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GatewayClusterSuite {
  /** The cluster's data root, a temporary directory of this class's run. */
  Path data;

  KatoCluster cluster;
  Http http;
  /** session id → node id of the sessions created by the spread test, for the restart test. */
  final Map<String, String> sessions = new HashMap<>();
  final Map<String, JsonNode> predictionsBefore = new HashMap<>();

  /** How this run's gateway reaches its workers. */
  abstract KatoCluster.Transport transport();

  @BeforeAll
  void start(@TempDir Path dataRoot) throws Exception {
    data = dataRoot;
    cluster = new KatoCluster(data.resolve("two"), "rocksdb", transport()).startGateway();
    cluster.startWorker("w1");
    cluster.startWorker("w2");
    http = new Http(cluster.baseUrl());
    Clusters.awaitLiveWorkers(http, 2);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aWholeSessionThroughTheGateway() throws Exception {
    Http.Reply created = http.post("/sessions", "{\"node_id\": \"it-whole\", \"metadata\": {\"app\": 1}}");
    assertThat(created.status()).isEqualTo(200);
    String sid = created.json().path("session_id").asText();
    assertThat(sid).matches("session-[0-9a-f]{32}-\\d+");
    assertThat(created.json().path("session_config").path("recall_threshold").isDouble()).isTrue();
    assertThat(created.header("X-Trace-ID")).startsWith("kato-");

    for (String s : List.of("[\"hello\"]", "[\"world\"]", "[\"test\"]")) {
      Http.Reply observed = http.post("/sessions/" + sid + "/observe", "{\"strings\": " + s
          + ", \"emotives\": {\"joy\": 1}}");
      assertThat(observed.status()).isEqualTo(200);
      assertThat(observed.json().path("processor_id").asText()).isEqualTo("it-whole");
      assertThat(observed.json().has("auto_learned_pattern")).isTrue();
      assertThat(observed.header("X-Session-ID")).isEqualTo(sid);
    }
    Http.Reply learned = http.post("/sessions/" + sid + "/learn", "{}");
    assertThat(learned.status()).isEqualTo(200);
    String pattern = learned.json().path("pattern_name").asText();
    assertThat(pattern).startsWith("PTRN|");
    assertThat(learned.json().path("processor_id").isNull()).isTrue();

    http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"hello\"]}");
    http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"world\"]}");
    Http.Reply predictions = http.get("/sessions/" + sid + "/predictions");
    assertThat(predictions.status()).isEqualTo(200);
    JsonNode first = predictions.json().path("predictions").get(0);
    assertThat(first.path("name").asText()).isEqualTo(pattern.substring(5));
    assertThat(first.path("future").toString()).isEqualTo("[[\"test\"]]");
    assertThat(predictions.json().path("count").asInt()).isEqualTo(predictions.json().path("predictions").size());

    Http.Reply found = http.get("/pattern/" + pattern.replace("|", "%7C") + "?node_id=it-whole");
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().path("pattern").path("pattern").path("frequency").asInt()).isEqualTo(1);
    assertThat(found.json().path("node_id").asText()).isEqualTo("it_whole_kato");
    assertThat(found.json().path("pattern").path("pattern").path("emotives").get(0).path("joy").isDouble()).isTrue();

    Http.Reply stats = http.get("/symbols/stats?node_id=it-whole");
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().path("symbols").path("hello").path("frequency").asInt()).isEqualTo(1);

    Http.Reply missing = http.get("/pattern/PTRN%7Cdeadbeef?node_id=it-whole");
    assertThat(missing.status()).isEqualTo(200);
    assertThat(missing.json().path("pattern").path("status").asText()).isEqualTo("error");

    Http.Reply stm = http.get("/sessions/" + sid + "/stm");
    assertThat(stm.json().path("stm").toString()).isEqualTo("[[\"hello\"],[\"world\"]]");
    assertThat(http.post("/sessions/" + sid + "/clear-stm", "{}").json().path("status").asText()).isEqualTo("cleared");
    Http.Reply empty = http.post("/sessions/" + sid + "/learn", "{}");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().path("detail").asText()).isEqualTo("Cannot learn from empty STM");
    assertThat(empty.json().path("error").path("code").asText()).isEqualTo("EMPTY_STM");

    Http.Reply root = http.post("/observe?node_id=it-root", "{\"strings\": [\"x\"], \"unique_id\": \"mine-1\"}");
    assertThat(root.status()).isEqualTo(200);
    assertThat(root.json().path("unique_id").asText()).isEqualTo("mine-1");
    assertThat(root.json().path("session_id").asText()).isEqualTo("__node__:it-root");
    Http.Reply status = http.get("/status?node_id=it-root");
    assertThat(status.json().path("processor_id").asText()).isEqualTo("it-root");
    assertThat(status.json().path("stm_length").asInt()).isEqualTo(1);
    assertThat(status.json().path("time").asInt()).isEqualTo(1);
    assertThat(http.get("/status?node_id=it-never-used").json().path("stm_length").asInt()).isZero();
    Http.Reply legacy = http.get("/it-root/stm");
    assertThat(legacy.json().path("short_term_memory").toString()).isEqualTo("[[\"x\"]]");
    assertThat(legacy.json().path("interval").asInt()).isEqualTo(1);

    assertThat(http.get("/sessions/" + sid + "/exists").json().path("exists").asBoolean()).isTrue();
    assertThat(http.delete("/sessions/" + sid).json().path("status").asText()).isEqualTo("deleted");
    Http.Reply gone = http.get("/sessions/" + sid + "/stm");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().path("error").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
    assertThat(http.delete("/sessions/" + sid).status()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void twoHundredNodesSpreadOverBothWorkersMatchAOneWorkerCluster() throws Exception {
    Map<String, List<JsonNode>> twoWorkers = runWorkload(http, 200, "spread", true);
    Set<String> servedBy = new HashSet<>();
    for (List<JsonNode> bodies : twoWorkers.values()) {
      servedBy.add(bodies.get(bodies.size() - 1).path("_worker").asText());
    }
    assertThat(servedBy).containsExactlyInAnyOrder("w1", "w2");

    try (KatoCluster single = new KatoCluster(data.resolve("one"), "rocksdb").startGateway()) {
      single.startWorker("solo");
      Http soloHttp = new Http(single.baseUrl());
      Clusters.awaitLiveWorkers(soloHttp, 1);
      Map<String, List<JsonNode>> oneWorker = runWorkload(soloHttp, 200, "spread", false);
      assertThat(oneWorker.keySet()).isEqualTo(twoWorkers.keySet());
      for (String node : oneWorker.keySet()) {
        assertThat(strip(twoWorkers.get(node))).as(node).isEqualTo(strip(oneWorker.get(node)));
      }
    }
  }

  @Test
  @Order(3)
  void aWorkerRegisteringLaterReceivesNewNodes() throws Exception {
    cluster.startWorker("w3");
    Clusters.awaitLiveWorkers(http, 3);
    Set<String> served = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      Http.Reply created = http.post("/sessions", "{\"node_id\": \"late-" + i + "\"}");
      assertThat(created.status()).isEqualTo(200);
      served.add(created.header("X-Kato-Worker"));
    }
    assertThat(served).contains("w3");
    // nodes placed before keep their owner (their knowledge base lives there)
    for (Map.Entry<String, String> e : sessions.entrySet()) {
      Http.Reply predictions = http.get("/sessions/" + e.getKey() + "/predictions");
      assertThat(predictions.status()).isEqualTo(200);
      assertThat(predictions.json().path("predictions")).isEqualTo(predictionsBefore.get(e.getKey()));
    }
  }

  @Test
  @Order(4)
  void aGatewayRestartKeepsEverySessionUsable() throws Exception {
    cluster.gateway().kill();
    cluster.startGateway();
    Clusters.awaitLiveWorkers(http, 3);
    for (Map.Entry<String, String> e : sessions.entrySet()) {
      Http.Reply predictions = http.get("/sessions/" + e.getKey() + "/predictions");
      assertThat(predictions.status()).as(() -> e.getKey() + " " + predictions.text() + "\n"
          + cluster.gateway().output()).isEqualTo(200);
      assertThat(predictions.json().path("predictions")).isEqualTo(predictionsBefore.get(e.getKey()));
      Http.Reply observed = http.post("/sessions/" + e.getKey() + "/observe", "{\"strings\": [\"after-restart\"]}");
      assertThat(observed.status()).isEqualTo(200);
      assertThat(observed.json().path("processor_id").asText()).isEqualTo(e.getValue());
    }
  }

  /**
   * Per node: create a session, observe a sequence and learn it twice, observe a prefix, read
   * predictions, the pattern and the symbol stats. Returns the bodies per node, the last one
   * tagged with the worker that served it.
   */
  Map<String, List<JsonNode>> runWorkload(Http client, int nodes, String prefix, boolean remember)
      throws Exception {
    Map<String, List<JsonNode>> out = new HashMap<>();
    for (int n = 0; n < nodes; n++) {
      String node = prefix + "-" + n;
      List<JsonNode> bodies = new ArrayList<>();
      Http.Reply created = client.post("/sessions", "{\"node_id\": \"" + node + "\"}");
      assertThat(created.status()).isEqualTo(200);
      String sid = created.json().path("session_id").asText();
      String sequence = "{\"observations\": [{\"strings\": [\"a" + (n % 7) + "\", \"b\"]}, {\"strings\": [\"c"
          + (n % 5) + "\"]}, {\"strings\": [\"d\"], \"emotives\": {\"e\": " + n + "}}], \"learn_at_end\": true}";
      for (int round = 0; round < 2; round++) {
        Http.Reply seq = client.post("/sessions/" + sid + "/observe-sequence", sequence);
        assertThat(seq.status()).isEqualTo(200);
        bodies.add(seq.json());
      }
      client.post("/sessions/" + sid + "/observe", "{\"strings\": [\"a" + (n % 7) + "\"]}");
      client.post("/sessions/" + sid + "/observe", "{\"strings\": [\"c" + (n % 5) + "\"]}");
      Http.Reply predictions = client.get("/sessions/" + sid + "/predictions");
      assertThat(predictions.status()).isEqualTo(200);
      bodies.add(predictions.json());
      String pattern = bodies.get(0).path("final_learned_pattern").asText();
      bodies.add(client.get("/pattern/" + pattern.replace("|", "%7C") + "?node_id=" + node).json());
      Http.Reply stats = client.get("/symbols/stats?node_id=" + node);
      ObjectNode tagged = ((ObjectNode) stats.json()).deepCopy();
      tagged.put("_worker", stats.header("X-Kato-Worker"));
      bodies.add(tagged);
      if (remember) {
        sessions.put(sid, node);
        predictionsBefore.put(sid, predictions.json().path("predictions"));
      }
      out.put(node, bodies);
    }
    return out;
  }

  /** Bodies without what legitimately differs between runs: session ids, generated ids, workers. */
  static List<String> strip(List<JsonNode> bodies) {
    List<String> out = new ArrayList<>();
    for (JsonNode body : bodies) {
      ObjectNode copy = ((ObjectNode) body).deepCopy();
      copy.remove(List.of("session_id", "_worker"));
      if (copy.has("results")) {
        copy.get("results").forEach(r -> ((ObjectNode) r).remove("unique_id"));
      }
      out.add(copy.toString());
    }
    return out;
  }
}
