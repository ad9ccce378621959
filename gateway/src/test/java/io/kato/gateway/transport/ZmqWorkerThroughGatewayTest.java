package io.kato.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.json.JsonValues;
import io.kato.gateway.GatewayOptions;
import io.kato.gateway.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The wiring: a worker registered with {@code transport: "zmq"} serves the v3 routes through a
 * real gateway exactly as when registered over gRPC. Two gateways, one worker: the first knows it
 * by its gRPC address, the second by its ZeroMQ address; the same requests on fresh nodes get the
 * same statuses and bodies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZmqWorkerThroughGatewayTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ContractWorker worker;
  private GatewayServer overGrpc;
  private GatewayServer overZmq;
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  void start() throws Exception {
    worker = ContractWorker.start();
    overGrpc = gateway();
    overZmq = gateway();
    register(overGrpc, "{\"worker_id\": \"w-grpc\", \"transport\": \"grpc\", \"grpc_address\": \"127.0.0.1:"
        + worker.grpcServer.port() + "\"}");
    register(overZmq, "{\"worker_id\": \"w-zmq\", \"transport\": \"zmq\", \"zmq_address\": \"" + worker.zmqAddress()
        + "\"}");
    beats.scheduleAtFixedRate(this::heartbeats, 300, 300, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    beats.shutdownNow();
    if (overGrpc != null) {
      overGrpc.close();
    }
    if (overZmq != null) {
      overZmq.close();
    }
    worker.close();
  }

  private static GatewayServer gateway() {
    return GatewayServer.start(GatewayOptions.defaults(0));
  }

  /** The worker was registered by hand: the test beats for it. */
  private void heartbeats() {
    try {
      send(overGrpc, "POST", "/workers/w-grpc/heartbeat", "{}");
      send(overZmq, "POST", "/workers/w-zmq/heartbeat", "{}");
    } catch (Exception e) {
      // the next beat may get through; a dead worker fails the test by itself
    }
  }

  private void register(GatewayServer gateway, String body) throws Exception {
    HttpResponse<String> response = send(gateway, "POST", "/workers", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private HttpResponse<String> send(GatewayServer gateway, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The same v3 conversation, recorded as "status body" lines with run-specific values replaced. */
  private List<String> conversation(GatewayServer gateway) throws Exception {
    String run = WorkerTransportContractTest.freshRun();
    List<String> out = new ArrayList<>();
    HttpResponse<String> created = send(gateway, "POST", "/sessions", "{\"node_id\": \"" + run + "n\", "
        + "\"metadata\": {\"k\": 1}, \"config\": {\"max_predictions\": 4}}");
    out.add(created.statusCode() + " " + created.body());
    String sid = JsonValues.mapper().readTree(created.body()).path("session_id").asText();
    String s = "/sessions/" + sid;
    String[][] calls = {
        {"POST", s + "/observe", "{\"strings\": [\"b\", \"a\"], \"emotives\": {\"joy\": 0.5}}"},
        {"POST", s + "/observe", "{\"strings\": [\"c\"]}"},
        {"GET", s + "/stm", null},
        {"POST", s + "/learn", null},
        {"POST", s + "/learn", null},
        {"POST", s + "/observe", "{\"strings\": [\"a\", \"b\"]}"},
        {"GET", s + "/predictions", null},
        {"POST", s + "/observe-sequence", "{\"observations\": [{\"strings\": [\"x\"]}, {\"strings\": [\"y\"]}], "
            + "\"learn_at_end\": true}"},
        {"POST", s + "/config", "{\"config\": {\"persistence\": 0}}"},
        {"GET", s + "/config", null},
        {"GET", s + "/percept-data", null},
        {"GET", s + "/cognition-data", null},
        {"GET", s + "/exists", null},
        {"GET", "/symbols/stats?node_id=" + run + "n", null},
        {"GET", "/pattern/PTRN%7C0000?node_id=" + run + "n", null},
        {"POST", "/sessions/" + run + "-missing/observe", "{\"strings\": [\"a\"]}"},
        {"DELETE", s, null},
        {"GET", s + "/stm", null},
    };
    for (String[] call : calls) {
      HttpResponse<String> response = send(gateway, call[0], call[1], call[2]);
      out.add(call[0] + " " + call[1].replace(sid, "<sid>").replace(run, "<run>") + " -> " + response.statusCode()
          + " " + normalise(response.body(), sid, run));
    }
    return out;
  }

  private static String normalise(String body, String sid, String run) throws Exception {
    String text = body.replace(sid, "<sid>").replace(run, "<run>")
        .replaceAll("obs-[0-9a-f]{32}", "obs-<id>")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|\\+00:00)", "<time>")
        .replaceAll("\"(trace_id|request_id)\":\"[^\"]*\"", "\"$1\":\"<id>\"");
    JsonNode tree = JsonValues.mapper().readTree(text.isEmpty() ? "null" : text);
    return tree == null ? "" : tree.toString();
  }

  @Test
  void aZmqRegisteredWorkerAnswersTheV3RoutesLikeAGrpcOne() throws Exception {
    List<String> grpc = conversation(overGrpc);
    List<String> zmq = conversation(overZmq);
    assertThat(grpc.get(0)).startsWith("200 ");
    assertThat(grpc).anySatisfy(line -> assertThat(line).contains("/learn -> 400").contains("EMPTY_STM"));
    assertThat(zmq).hasSameSizeAs(grpc);
    for (int i = 1; i < grpc.size(); i++) {
      assertThat(zmq.get(i)).isEqualTo(grpc.get(i));
    }
    JsonNode pools = JsonValues.mapper().readTree(send(overZmq, "GET", "/connection-pools", null).body());
    assertThat(pools.toString()).contains("\"transport\":\"zmq\"");
  }
}
