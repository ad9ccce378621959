package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.json.JsonValues;
import io.kato.gateway.bench.LoadGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./kato bench} against a real gateway and worker (bounded: 4 clients, 1 s per size): it
 * preloads every node to each knowledge-base size, measures each operation of the mix and
 * writes the JSON report and the SVG chart; a second run on the same nodes can skip the preload.
 */
class LoadGeneratorIT {
  @TempDir
  static Path data;
  static KatoCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new KatoCluster(data, "memory").startGateway();
    cluster.startWorker("lg-1");
    Clusters.awaitLiveWorkers(new Http(cluster.baseUrl()), 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int bench(Path out, Path chart, String... extra) {
    String[] base = {"--url", cluster.baseUrl(), "--clients", "4", "--seconds", "1", "--warmup-seconds", "0",
        "--nodes", "2", "--mix", "observe:2,predictions:1", "--node-prefix", "lgit", "--out", out.toString(),
        "--chart", chart.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return new CommandLine(new LoadGenerator()).execute(args);
  }

  @Test
  void preloadsMeasuresEachSizeAndWritesTheReportAndChart() throws Exception {
    Path out = data.resolve("bench.json");
    Path chart = data.resolve("bench.svg");

    assertThat(bench(out, chart, "--patterns", "5,20")).isZero();

    JsonNode report = JsonValues.mapper().readTree(out.toFile());
    assertThat(report.path("clients").asInt()).isEqualTo(4);
    JsonNode runs = report.path("runs");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).path("patterns_per_node").asInt()).isEqualTo(5);
    assertThat(runs.get(0).path("patterns_preloaded").asLong()).as("2 nodes to 5 patterns").isEqualTo(10);
    assertThat(runs.get(1).path("patterns_per_node").asInt()).isEqualTo(20);
    assertThat(runs.get(1).path("patterns_preloaded").asLong()).as("15 more on each node").isEqualTo(30);
    for (JsonNode run : runs) {
      for (String op : new String[] {"observe", "predictions"}) {
        JsonNode r = run.path("operations").path(op);
        assertThat(r.path("requests").asLong()).as(op).isPositive();
        assertThat(r.path("errors").asLong()).as(op).isZero();
        assertThat(r.path("p50_ms").asDouble()).isPositive()
            .isLessThanOrEqualTo(r.path("p95_ms").asDouble());
        assertThat(r.path("p95_ms").asDouble()).isLessThanOrEqualTo(r.path("p99_ms").asDouble());
      }
    }
    String svg = Files.readString(chart);
    assertThat(svg).startsWith("<svg").contains("observe").contains("predictions").endsWith("</svg>\n");

    // the same nodes again, as they are
    Path again = data.resolve("again.json");
    assertThat(bench(again, data.resolve("again.svg"), "--patterns", "20", "--skip-preload")).isZero();
    JsonNode second = JsonValues.mapper().readTree(again.toFile()).path("runs").get(0);
    assertThat(second.path("patterns_preloaded").asLong()).isZero();
    assertThat(second.path("operations").path("predictions").path("errors").asLong()).isZero();
  }

  @Test
  void anUnknownOperationIsRefused() {
    assertThat(new CommandLine(new LoadGenerator()).execute("--url", cluster.baseUrl(), "--mix", "teleport:1"))
        .isNotZero();
  }
}
