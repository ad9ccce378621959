package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining a worker (API.md §6.2) of a cluster on the shared PostgreSQL store, as real
 * processes: its nodes are handed over to the other worker (release, then acquire, under a new
 * epoch) and keep their knowledge base and sessions; observations sent while the drain runs
 * are all applied exactly once; the drained worker gets no new nodes.
 */
class DrainIT {
  private static final String PG_URL = env("KATO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String PG_USER = env("KATO_TEST_PG_USER", "postgres");
  private static final String PG_PASSWORD = env("KATO_TEST_PG_PASSWORD", "");

  @TempDir
  static Path data;
  static KatoCluster cluster;
  static Http http;

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  @BeforeAll
  static void start() throws Exception {
    String schema = "kato_drain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    cluster = new KatoCluster(data, "postgres").withWorkerArgs("--pg-url", PG_URL, "--pg-user", PG_USER,
        "--pg-password", PG_PASSWORD, "--pg-schema", schema).startGateway();
    cluster.startWorker("pg-1");
    cluster.startWorker("pg-2");
    http = new Http(cluster.baseUrl());
    Clusters.awaitLiveWorkers(http, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDrainedWorkersNodesMoveWithTheirKnowledgeAndLoseNoObservation() throws Exception {
    Map<String, String> sessionOfNode = new HashMap<>();
    Map<String, JsonNode> predictionsBefore = new HashMap<>();
    List<String> onFirst = new ArrayList<>();
    for (int n = 0; n < 24; n++) {
      String node = "drain-" + n;
      String sid = http.post("/sessions", "{\"node_id\": \"" + node + "\"}").json().path("session_id").asText();
      http.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": [{\"strings\": [\"a" + n
          + "\"]}, {\"strings\": [\"b\"]}, {\"strings\": [\"c\"]}], \"learn_at_end\": true}");
      http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"a" + n + "\"]}");
      Http.Reply observed = http.post("/sessions/" + sid + "/observe", "{\"strings\": [\"b\"]}");
      Http.Reply predictions = http.get("/sessions/" + sid + "/predictions");
      assertThat(predictions.json().path("predictions").size()).isPositive();
      sessionOfNode.put(node, sid);
      predictionsBefore.put(node, predictions.json().path("predictions"));
      if ("pg-1".equals(observed.header("X-Kato-Worker"))) {
        onFirst.add(node);
      }
    }
    assertThat(onFirst).as("some nodes live on pg-1").isNotEmpty();

    // a client keeps observing on one of pg-1's nodes while it drains
    String busy = sessionOfNode.get(onFirst.get(0));
    int before = http.get("/sessions/" + busy + "/stm").json().path("stm").size();
    CompletableFuture<Integer> acknowledged = CompletableFuture.supplyAsync(() -> {
      int ok = 0;
      Http client = new Http(cluster.baseUrl());
      for (int i = 0; i < 60; i++) {
        try {
          if (client.post("/sessions/" + busy + "/observe", "{\"strings\": [\"x" + i + "\"]}").status() == 200) {
            ok++;
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return ok;
    });
    Thread.sleep(100);
    Http.Reply drained = http.post("/workers/pg-1/drain", "{}");
    assertThat(drained.status()).isEqualTo(200);
    assertThat(drained.json().path("state").asText()).isEqualTo("draining");
    int acked = acknowledged.get(60, TimeUnit.SECONDS);
    assertThat(acked).isEqualTo(60);

    long deadline = System.currentTimeMillis() + 30_000;
    for (String node : onFirst) {
      JsonNode placed = http.get("/nodes/" + node).json();
      while (!("pg-2".equals(placed.path("worker_id").asText()) && "assigned".equals(placed.path("state").asText()))) {
        assertThat(System.currentTimeMillis()).as(node + " " + placed).isLessThan(deadline);
        Thread.sleep(100);
        placed = http.get("/nodes/" + node).json();
      }
    }
    Http.Reply stm = http.get("/sessions/" + busy + "/stm");
    assertThat(stm.json().path("stm").size()).as("every acknowledged observation, once")
        .isEqualTo(before + acked);
    assertThat(stm.header("X-Kato-Worker")).isEqualTo("pg-2");

    for (Map.Entry<String, String> e : sessionOfNode.entrySet()) {
      if (e.getValue().equals(busy)) {
        continue;
      }
      Http.Reply predictions = http.get("/sessions/" + e.getValue() + "/predictions");
      assertThat(predictions.status()).isEqualTo(200);
      assertThat(predictions.header("X-Kato-Worker")).isEqualTo("pg-2");
      assertThat(predictions.json().path("predictions")).as(e.getKey()).isEqualTo(predictionsBefore.get(e.getKey()));
    }
    JsonNode workers = http.get("/workers").json();
    for (JsonNode w : workers.path("workers")) {
      if (w.path("worker_id").asText().equals("pg-1")) {
        assertThat(w.path("state").asText()).isEqualTo("draining");
        assertThat(w.path("node_count").asInt()).isZero();
      }
    }
    for (int i = 0; i < 20; i++) {
      assertThat(http.post("/sessions", "{\"node_id\": \"after-drain-" + i + "\"}").header("X-Kato-Worker"))
          .isEqualTo("pg-2");
    }
  }
}
