package io.kato.gateway.it;

import static io.kato.gateway.it.Wire.JSON;
import static io.kato.gateway.it.Wire.assertError;
import static io.kato.gateway.it.Wire.assertSingleIssue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on every HTTP route of API.md §7 that the gateway serves, against real processes:
 * malformed JSON, wrong types, missing fields, non-JSON content types, empty bodies, NaN
 * literals, oversized bodies, request lines and header blocks, unknown sessions. Every answer is
 * checked for its status and the one error format of §1.4.3, and the state of a probe session, its
 * node, the node's implicit session, the session count and the worker registry is compared before
 * and after: bad input changes nothing, and is never a 500.
 */
@Timeout(value = 110, unit = java.util.concurrent.TimeUnit.SECONDS)
class BadInputIT {
  @TempDir
  static Path data;

  static KatoCluster cluster;
  static Wire wire;
  /** The probe: a node with a learned pattern, a session on it with state, its implicit session. */
  static final String NODE = "bad-node-" + UUID.randomUUID().toString().substring(0, 8);
  static String session;
  static String pattern;
  static Map<String, String> before;

  static final String UNKNOWN = "session-ffffffffffffffffffffffffffffffff-1700000000000";
  static final int MAX_BODY = 16 * 1024 * 1024;

  /** A route that reads a JSON body, with a body carrying a NaN literal and where it is reported. */
  record BodyRoute(String method, String path, String nanBody, String nanLoc) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every route of §7 that requires a JSON body. */
  static List<BodyRoute> bodyRoutes() {
    String s = "/sessions/" + session;
    return List.of(
        new BodyRoute("POST", "/sessions", "{\"node_id\": \"x\", \"ttl_seconds\": NaN}", "[\"body\",\"ttl_seconds\"]"),
        new BodyRoute("POST", "/session/create", "{\"node_id\": \"x\", \"ttl_seconds\": Infinity}",
            "[\"body\",\"ttl_seconds\"]"),
        new BodyRoute("POST", s + "/config", "{\"recall_threshold\": NaN}", "[\"body\",\"recall_threshold\"]"),
        new BodyRoute("POST", s + "/observe", "{\"strings\": [\"a\"], \"vectors\": [[1.0, NaN]]}",
            "[\"body\",\"vectors\",0,1]"),
        new BodyRoute("POST", "/session/" + session + "/observe", "{\"emotives\": {\"joy\": -Infinity}}",
            "[\"body\",\"emotives\",\"joy\"]"),
        new BodyRoute("POST", s + "/observe-sequence", "{\"observations\": [{\"strings\": [\"a\"]}, "
            + "{\"emotives\": {\"e\": NaN}}]}", "[\"body\",\"observations\",1,\"emotives\",\"e\"]"),
        new BodyRoute("POST", "/observe?node_id=" + NODE, "{\"strings\": [\"a\"], \"vectors\": [[Infinity]]}",
            "[\"body\",\"vectors\",0,0]"),
        new BodyRoute("POST", "/observe-sequence?node_id=" + NODE, "{\"observations\": [{\"emotives\": "
            + "{\"e\": NaN}}]}", "[\"body\",\"observations\",0,\"emotives\",\"e\"]"),
        new BodyRoute("POST", "/genes/update?node_id=" + NODE, "{\"genes\": {\"recall_threshold\": NaN}}",
            "[\"body\",\"genes\",\"recall_threshold\"]"),
        new BodyRoute("POST", "/" + NODE + "/observe", "{\"strings\": [\"a\"], \"emotives\": {\"x\": NaN}}",
            "[\"body\",\"emotives\",\"x\"]"),
        new BodyRoute("PUT", "/nodes/" + NODE + "/pin", "{\"worker_id\": \"bad-w1\", \"x\": NaN}", "[\"body\",\"x\"]"),
        new BodyRoute("POST", "/workers", "{\"worker_id\": \"never-registered\", \"capacity\": NaN}",
            "[\"body\",\"capacity\"]"));
  }

  /** The seed-002 gene routes, which also need a JSON body (see the disabled test below). */
  static List<BodyRoute> legacyGeneRoutes() {
    return List.of(
        new BodyRoute("POST", "/" + NODE + "/genes/change", "{\"gene_name\": \"recall_threshold\", \"gene_value\": "
            + "NaN}", "[\"body\",\"gene_value\"]"),
        new BodyRoute("POST", "/" + NODE + "/gene/recall_threshold/change", "{\"value\": NaN}", "[\"body\",\"value\"]"));
  }

  /** Every route of §7 the gateway serves over plain HTTP (method, path); {id} is the probe session. */
  static List<String[]> allRoutes() {
    String s = "/sessions/" + session;
    String[][] routes = {
        {"GET", "/"}, {"GET", "/openapi.json"}, {"GET", "/docs"}, {"GET", "/redoc"},
        {"POST", "/sessions"}, {"GET", "/sessions/count"}, {"GET", s}, {"DELETE", s}, {"GET", s + "/exists"},
        {"GET", s + "/config"}, {"POST", s + "/config"}, {"POST", s + "/extend"}, {"GET", "/sessions/test/x"},
        {"POST", s + "/observe"}, {"POST", s + "/observe-sequence"}, {"POST", s + "/learn"}, {"GET", s + "/stm"},
        {"GET", s + "/predictions"}, {"POST", s + "/clear-stm"}, {"POST", s + "/clear-all"},
        {"GET", s + "/percept-data"}, {"GET", s + "/cognition-data"}, {"POST", s + "/finalize-training"},
        {"GET", "/pattern/" + pattern.substring(5) + "?node_id=" + NODE}, {"GET", "/percept-data?node_id=" + NODE},
        {"GET", "/cognition-data?node_id=" + NODE}, {"GET", "/symbols/affinity?node_id=" + NODE},
        {"GET", "/symbols/stats?node_id=" + NODE}, {"GET", "/symbols/a/affinity?node_id=" + NODE},
        {"GET", "/health"}, {"GET", "/status"}, {"GET", "/metrics"}, {"GET", "/metrics/kato_requests_total"},
        {"GET", "/stats"}, {"GET", "/concurrency"}, {"GET", "/cache/stats"}, {"POST", "/cache/invalidate"},
        {"GET", "/distributed-stm/stats"}, {"GET", "/connection-pools"}, {"GET", "/ready"}, {"GET", "/kato-api/ping"},
        {"GET", "/" + NODE + "/ping"}, {"GET", "/" + NODE + "/status"}, {"POST", "/" + NODE + "/observe"},
        {"GET", "/" + NODE + "/short-term-memory"}, {"GET", "/" + NODE + "/stm"}, {"POST", "/" + NODE + "/learn"},
        {"GET", "/" + NODE + "/predictions"}, {"POST", "/" + NODE + "/predictions"},
        {"POST", "/" + NODE + "/clear-short-term-memory"}, {"POST", "/" + NODE + "/clear-stm"},
        {"POST", "/" + NODE + "/short-term-memory/clear"}, {"POST", "/" + NODE + "/stm/clear"},
        {"POST", "/" + NODE + "/clear-all-memory"}, {"POST", "/" + NODE + "/memory/clear-all"},
        {"GET", "/" + NODE + "/percept-data"}, {"GET", "/" + NODE + "/cognition-data"},
        {"GET", "/" + NODE + "/gene/persistence"}, {"POST", "/" + NODE + "/genes/change"},
        {"POST", "/" + NODE + "/gene/persistence/change"}, {"GET", "/" + NODE + "/pattern/" + pattern.substring(5)},
        {"GET", "/connect"}, {"POST", "/connect"}, {"POST", "/observe?node_id=" + NODE},
        {"POST", "/observe-sequence?node_id=" + NODE}, {"GET", "/stm?node_id=" + NODE},
        {"GET", "/short-term-memory?node_id=" + NODE}, {"POST", "/learn?node_id=" + NODE},
        {"POST", "/clear-stm?node_id=" + NODE}, {"POST", "/clear-short-term-memory?node_id=" + NODE},
        {"POST", "/clear-all?node_id=" + NODE}, {"POST", "/clear-all-memory?node_id=" + NODE},
        {"GET", "/predictions?node_id=" + NODE}, {"POST", "/predictions?node_id=" + NODE},
        {"POST", "/genes/update?node_id=" + NODE}, {"GET", "/gene/persistence?node_id=" + NODE},
        {"POST", "/session/create"}, {"POST", "/session/" + session + "/observe"},
        {"GET", "/session/" + session + "/stm"}, {"DELETE", "/session/" + session},
        {"POST", "/workers"}, {"GET", "/workers"}, {"GET", "/workers/bad-w1"}, {"DELETE", "/workers/no-such-worker"},
        {"POST", "/workers/no-such-worker/heartbeat"}, {"POST", "/workers/no-such-worker/drain"},
        {"GET", "/nodes/" + NODE}, {"PUT", "/nodes/" + NODE + "/pin"}, {"DELETE", "/nodes/" + NODE + "/pin"},
        {"GET", "/metrics/prometheus"}, {"GET", "/ingest/stats"}};
    return Arrays.asList(routes);
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = new KatoCluster(data, "rocksdb").startGateway();
    cluster.startWorker("bad-w1");
    Clusters.awaitLiveWorkers(new Http(cluster.baseUrl()), 1);
    wire = new Wire(cluster.gatewayPort());
    Http.Reply created = wire.post("/sessions", "{\"node_id\": \"" + NODE + "\", \"metadata\": {\"probe\": true}}");
    assertThat(created.status()).isEqualTo(200);
    session = created.json().path("session_id").asText();
    ok(wire.post("/sessions/" + session + "/observe", "{\"strings\": [\"a\", \"b\"], \"emotives\": {\"joy\": 2}}"));
    ok(wire.post("/sessions/" + session + "/observe", "{\"strings\": [\"c\"]}"));
    pattern = ok(wire.post("/sessions/" + session + "/learn", "{}")).json().path("pattern_name").asText();
    ok(wire.post("/sessions/" + session + "/observe", "{\"strings\": [\"a\"], \"metadata\": {\"m\": 1}}"));
    ok(wire.post("/sessions/" + session + "/config", "{\"recall_threshold\": 0.3}"));
    ok(wire.post("/observe?node_id=" + NODE, "{\"strings\": [\"implicit\"]}"));
    ok(wire.post("/genes/update?node_id=" + NODE, "{\"genes\": {\"max_predictions\": 7}}"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Http.Reply ok(Http.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply;
  }

  /** Everything bad input must not change (reads only; none of them changes state). */
  static Map<String, String> state() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    String s = "/sessions/" + session;
    for (String path : List.of(s + "/stm", s + "/config", s + "/percept-data", s + "/cognition-data",
        "/symbols/stats?node_id=" + NODE, "/symbols/affinity?node_id=" + NODE,
        "/pattern/" + pattern.substring(5) + "?node_id=" + NODE, "/stm?node_id=" + NODE,
        "/cognition-data?node_id=" + NODE, "/connect?processor_id=" + NODE, "/sessions/count", "/nodes/" + NODE)) {
      Http.Reply r = wire.get(path);
      assertThat(r.status()).as(path + " " + r.text()).isEqualTo(200);
      out.put(path, r.text());
    }
    JsonNode workers = wire.get("/workers").json();
    out.put("/workers", workers.path("count").asText() + "/" + workers.path("live").asText() + "/"
        + workers.path("workers").get(0).path("worker_id").asText());
    JsonNode info = wire.get(s).json();
    info = ((com.fasterxml.jackson.databind.node.ObjectNode) info).without(List.of("expires_at", "ttl_seconds"));
    out.put(s, info.toString());
    return out;
  }

  @BeforeEach
  void snapshot() throws Exception {
    before = state();
  }

  @AfterEach
  void nothingChanged() throws Exception {
    Map<String, String> after = state();
    assertThat(after).as("bad input changed state").isEqualTo(before);
    assertThat(cluster.gateway().isAlive()).isTrue();
  }

  static Http.Reply send(BodyRoute route, String body, String... headers) throws Exception {
    Http.Reply r = wire.send(route.method(), route.path(), body, headers);
    assertThat(r.status()).as(route + " never a 500: " + r.text()).isLessThan(500);
    return r;
  }

  // ---- §1.2 JSON-level errors on every body route ---------------------------------------------

  @Test
  void malformedJsonIs422JsonInvalidWithThePythonOffset() throws Exception {
    String[][] cases = {{"{\"a\": [1, 2", "11"}, {"{\"a\" 1}", "5"}, {"{\"a\": 1,}", "8"}, {"{\"a\": tru}", "6"},
        {"x", "0"}, {"{} {}", "3"}, {"   ", "3"}};
    for (BodyRoute route : bodyRoutes()) {
      for (String[] c : cases) {
        Http.Reply r = send(route, c[0], "Content-Type", JSON);
        JsonNode item = assertSingleIssue(r, "json_invalid", "[\"body\"," + c[1] + "]", "JSON decode error");
        assertThat(item.path("input").toString()).as(route + " " + c[0]).isEqualTo("{}");
        assertThat(item.path("ctx").path("error").isTextual()).isTrue();
        assertThat(item.path("ctx").path("error").asText()).isNotBlank().doesNotContain("\n").doesNotContain("Source");
      }
    }
  }

  @Test
  void aNonJsonContentTypeIs422ModelAttributesTypeNot415() throws Exception {
    for (BodyRoute route : bodyRoutes()) {
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
          "application/xml", "text/json")) {
        Http.Reply r = send(route, "{\"node_id\": \"x\"}", "Content-Type", type);
        JsonNode item = assertSingleIssue(r, "model_attributes_type", "[\"body\"]",
            "Input should be a valid dictionary or object to extract fields from");
        assertThat(item.path("input").isTextual()).as(route + " " + type).isTrue();
        if (!type.startsWith("multipart/")) {
          // (the body handler does not keep multipart bytes, so only their type is checked)
          assertThat(item.path("input").asText()).as(route + " " + type).isEqualTo("{\"node_id\": \"x\"}");
        }
      }
      // as FastAPI: an empty body is missing, whatever its content type
      assertSingleIssue(wire.send(route.method(), route.path(), "", "Content-Type", "text/plain"), "missing",
          "[\"body\"]", "Field required");
    }
  }

  @Test
  void jsonContentTypesAreRecognisedCaseInsensitivelyWithParametersAndSuffixes() throws Exception {
    // accepted as JSON: the body is then validated (not an object → 422 at the body, never content-type)
    for (String type : List.of("application/json", "APPLICATION/JSON; charset=utf-8", "application/vnd.kato+json",
        "application/problem+json")) {
      Http.Reply r = wire.send("POST", "/sessions", "{\"metadata\": {}}", "Content-Type", type);
      assertSingleIssue(r, "missing", "[\"body\",\"node_id\"]", "Field required");
    }
    Http.Reply noType = wire.sendBytes("POST", "/sessions/" + session + "/observe", "[1]".getBytes(StandardCharsets.UTF_8));
    assertSingleIssue(noType, "model_attributes_type", "[\"body\"]",
        "Input should be a valid dictionary or object to extract fields from");
  }

  @Test
  void anEmptyBodyIs422MissingWhereABodyIsRequired() throws Exception {
    for (BodyRoute route : bodyRoutes()) {
      for (String[] headers : List.of(new String[] {"Content-Type", JSON}, new String[0])) {
        Http.Reply r = wire.send(route.method(), route.path(), "", headers);
        JsonNode item = assertSingleIssue(r, "missing", "[\"body\"]", "Field required");
        assertThat(item.path("input").isNull()).as(route.toString()).isTrue();
      }
    }
  }

  @Test
  void nanAndInfinityLiteralsAre422FiniteNumber() throws Exception {
    for (BodyRoute route : bodyRoutes()) {
      assertSingleIssue(send(route, route.nanBody(), "Content-Type", JSON), "finite_number", route.nanLoc(),
          "Input should be a finite number");
    }
  }

  @Test
  void legacyGeneRoutesValidateTheirBodyLikeEveryOtherBodyRoute() throws Exception {
    for (BodyRoute route : legacyGeneRoutes()) {
      assertSingleIssue(send(route, "{\"a\": 1,}", "Content-Type", JSON), "json_invalid", "[\"body\",8]",
          "JSON decode error");
      assertSingleIssue(send(route, route.nanBody(), "Content-Type", JSON), "finite_number", route.nanLoc(),
          "Input should be a finite number");
      assertSingleIssue(send(route, "{\"value\": 1}", "Content-Type", "text/plain"), "model_attributes_type",
          "[\"body\"]", "Input should be a valid dictionary or object to extract fields from");
      assertSingleIssue(send(route, "", "Content-Type", JSON), "missing", "[\"body\"]", "Field required");
    }
  }

  @Test
  void legacyGeneRoutesRejectBadInputWithoutA500() throws Exception {
    for (BodyRoute route : legacyGeneRoutes()) {
      for (String body : List.of("{\"a\": 1,}", route.nanBody(), "", "[1]", "{\"gene_name\": 5}",
          "{\"gene_name\": \"persistence\", \"gene_value\": 5.0}", "{\"value\": \"0.5\"}")) {
        Http.Reply r = send(route, body, "Content-Type", JSON);
        assertThat(r.status()).as(route + " " + body + " " + r.text()).isIn(400, 404, 422);
        assertError(r, r.status(), r.json().path("error").path("code").asText());
      }
    }
  }

  // ---- §1.2 wrong types and missing fields, all issues reported together ----------------------

  /** The (type, loc) pairs of a 422 body, in order. */
  static List<String> issues(Http.Reply reply) {
    JsonNode body = assertError(reply, 422, "VALIDATION_ERROR");
    List<String> out = new ArrayList<>();
    body.path("detail").forEach(i -> out.add(i.path("type").asText() + " " + i.path("loc").toString()));
    return out;
  }

  @Test
  void createSessionWrongTypesAndMissingFields() throws Exception {
    for (String path : List.of("/sessions", "/session/create")) {
      assertThat(issues(wire.post(path, "{\"node_id\": 5, \"config\": \"x\", \"metadata\": [], \"ttl_seconds\": "
          + "\"abc\", \"session_id\": 7}"))).containsExactlyInAnyOrder("string_type [\"body\",\"node_id\"]",
          "dict_type [\"body\",\"config\"]", "dict_type [\"body\",\"metadata\"]",
          "int_parsing [\"body\",\"ttl_seconds\"]", "string_type [\"body\",\"session_id\"]");
      JsonNode item = assertSingleIssue(wire.post(path, "{\"node_id\": null}"), "string_type", "[\"body\",\"node_id\"]",
          "Input should be a valid string");
      assertThat(item.path("input").isNull()).isTrue();
      assertSingleIssue(wire.post(path, "{\"node_id\": [\"a\"]}"), "string_type", "[\"body\",\"node_id\"]",
          "Input should be a valid string");
      assertSingleIssue(wire.post(path, "{\"metadata\": {}}"), "missing", "[\"body\",\"node_id\"]", "Field required");
      assertSingleIssue(wire.post(path, "{\"node_id\": \"x\", \"ttl_seconds\": 1.5}"), "int_from_float",
          "[\"body\",\"ttl_seconds\"]", "Input should be a valid integer, got a number with a fractional part");
      assertSingleIssue(wire.post(path, "{\"node_id\": \"x\", \"ttl_seconds\": 99999999999999999999}"),
          "int_parsing_size", "[\"body\",\"ttl_seconds\"]",
          "Unable to parse input string as an integer, exceeded maximum size");
      assertSingleIssue(wire.post(path, "{\"node_id\": \"x\", \"ttl_seconds\": [1]}"), "int_type",
          "[\"body\",\"ttl_seconds\"]", "Input should be a valid integer");
      JsonNode negative = assertSingleIssue(wire.post(path, "{\"node_id\": \"x\", \"ttl_seconds\": -5}"),
          "greater_than_equal", "[\"body\",\"ttl_seconds\"]", "Input should be greater than or equal to 0");
      assertThat(negative.path("ctx").toString()).isEqualTo("{\"ge\":0}");
      for (String body : List.of("[1]", "\"text\"", "5", "null", "true")) {
        assertSingleIssue(wire.post(path, body), "model_attributes_type", "[\"body\"]",
            "Input should be a valid dictionary or object to extract fields from");
      }
      JsonNode tooLong = assertSingleIssue(wire.post(path, "{\"node_id\": \"" + "n".repeat(1025) + "\"}"), "too_long",
          "[\"body\",\"node_id\"]", "String should have at most 1024 characters");
      assertThat(tooLong.path("ctx").toString()).isEqualTo("{\"max_length\":1024}");
      assertThat(issues(wire.post(path, "{\"node_id\": \"x\", \"session_id\": \"__node__:x\"}")))
          .containsExactly("string_pattern_mismatch [\"body\",\"session_id\"]");
      assertThat(issues(wire.post(path, "{\"node_id\": \"x\", \"session_id\": \"has space\"}")))
          .containsExactly("string_pattern_mismatch [\"body\",\"session_id\"]");
      // invalid config values at creation: 400, no session
      assertError(wire.post(path, "{\"node_id\": \"" + NODE + "\", \"config\": {\"persistence\": 5.0}}"), 400,
          "CONFIG_VALIDATION_ERROR");
    }
  }

  @Test
  void observeWrongTypesAreReportedTogether() throws Exception {
    for (String path : List.of("/sessions/" + session + "/observe", "/session/" + session + "/observe",
        "/observe?node_id=" + NODE, "/" + NODE + "/observe")) {
      assertThat(issues(wire.post(path, "{\"strings\": [null, 1], \"vectors\": \"no\", \"emotives\": {\"joy\": \"x\"}, "
          + "\"metadata\": 3}"))).as(path).containsExactly("string_type [\"body\",\"strings\",0]",
          "string_type [\"body\",\"strings\",1]", "list_type [\"body\",\"vectors\"]",
          "float_parsing [\"body\",\"emotives\",\"joy\"]", "dict_type [\"body\",\"metadata\"]");
      assertThat(issues(wire.post(path, "{\"strings\": \"abc\", \"vectors\": [1, [1, \"x\"], null], \"emotives\": "
          + "{\"a\": null, \"b\": [1]}}"))).as(path).containsExactly("list_type [\"body\",\"strings\"]",
          "list_type [\"body\",\"vectors\",0]", "float_parsing [\"body\",\"vectors\",1,1]",
          "list_type [\"body\",\"vectors\",2]", "float_type [\"body\",\"emotives\",\"a\"]",
          "float_type [\"body\",\"emotives\",\"b\"]");
      assertSingleIssue(wire.post(path, "{\"emotives\": []}"), "dict_type", "[\"body\",\"emotives\"]",
          "Input should be a valid dictionary");
      assertSingleIssue(wire.post(path, "{\"strings\": null}"), "list_type", "[\"body\",\"strings\"]",
          "Input should be a valid list");
      JsonNode tooMany = assertSingleIssue(wire.post(path, "{\"strings\": [" + "\"s\",".repeat(10_000) + "\"s\"]}"),
          "too_long", "[\"body\",\"strings\"]", "List should have at most 10000 items");
      assertThat(tooMany.path("input").asText()).startsWith("<omitted");
      for (String body : List.of("[1, 2]", "\"text\"", "null")) {
        assertSingleIssue(wire.post(path, body), "model_attributes_type", "[\"body\"]",
            "Input should be a valid dictionary or object to extract fields from");
      }
    }
  }

  @Test
  void observeSequenceRejectsTheWholeSequenceWhenOneItemIsInvalid() throws Exception {
    for (String path : List.of("/sessions/" + session + "/observe-sequence", "/observe-sequence?node_id=" + NODE)) {
      assertThat(issues(wire.post(path, "{\"observations\": \"not_a_list\", \"learn_at_end\": \"maybe\"}")))
          .containsExactly("list_type [\"body\",\"observations\"]", "bool_parsing [\"body\",\"learn_at_end\"]");
      assertThat(issues(wire.post(path, "{\"observations\": [{\"strings\": [\"applied?\"]}, {\"strings\": [1]}, 5], "
          + "\"learn_at_end\": true}"))).containsExactly("string_type [\"body\",\"observations\",1,\"strings\",0]",
          "model_attributes_type [\"body\",\"observations\",2]");
      assertSingleIssue(wire.post(path, "{\"learn_at_end\": true}"), "missing", "[\"body\",\"observations\"]",
          "Field required");
      assertSingleIssue(wire.post(path, "{\"observations\": null}"), "list_type", "[\"body\",\"observations\"]",
          "Input should be a valid list");
      assertSingleIssue(wire.post(path, "{\"observations\": [], \"clear_stm_between\": null}"), "bool_type",
          "[\"body\",\"clear_stm_between\"]", "Input should be a valid boolean");
      assertSingleIssue(wire.post(path, "{\"observations\": [{\"unique_id\": 5}]}"), "string_type",
          "[\"body\",\"observations\",0,\"unique_id\"]", "Input should be a valid string");
      assertSingleIssue(wire.post(path, "[]"), "model_attributes_type", "[\"body\"]",
          "Input should be a valid dictionary or object to extract fields from");
    }
  }

  @Test
  void configUpdatesRejectNonObjectsAndInvalidValuesWithoutApplyingAnything() throws Exception {
    String path = "/sessions/" + session + "/config";
    assertSingleIssue(wire.post(path, "{\"config\": 5}"), "dict_type", "[\"body\",\"config\"]",
        "Input should be a valid dictionary");
    assertSingleIssue(wire.post(path, "{\"config\": null}"), "dict_type", "[\"body\",\"config\"]",
        "Input should be a valid dictionary");
    for (String body : List.of("[1]", "\"text\"", "5", "null")) {
      assertSingleIssue(wire.post(path, body), "dict_type", "[\"body\"]", "Input should be a valid dictionary");
    }
    JsonNode e = assertError(wire.post(path, "{\"recall_threshold\": 0.9, \"persistence\": 5.0}"), 400,
        "CONFIG_VALIDATION_ERROR");
    assertThat(e.path("detail").path("validation_errors").toString()).isEqualTo(
        "{\"persistence\":\"Must be an integer between 1 and 100\"}");
    assertError(wire.post(path, "{\"config\": {\"max_predictions\": 0, \"rank_sort_algo\": \"best\"}}"), 400,
        "CONFIG_VALIDATION_ERROR");

    String genes = "/genes/update?node_id=" + NODE;
    for (String body : List.of("[1]", "5", "\"x\"")) {
      assertSingleIssue(wire.post(genes, body), "dict_type", "[\"body\"]", "Input should be a valid dictionary");
    }
    assertError(wire.post(genes, "{\"genes\": {\"persistence\": 5.0, \"max_predictions\": 9}}"), 400,
        "CONFIG_VALIDATION_ERROR");
    assertError(wire.post(genes, "{\"recall_threshold\": \"0.5\"}"), 400, "CONFIG_VALIDATION_ERROR");
  }

  @Test
  void adminBodiesAreValidatedAndNothingIsRegistered() throws Exception {
    assertThat(issues(wire.post("/workers", "{\"worker_id\": 5, \"capacity\": \"x\", \"processors\": \"p\", "
        + "\"exclusive\": \"maybe\", \"grpc_address\": 7}"))).containsExactlyInAnyOrder(
        "string_type [\"body\",\"worker_id\"]", "string_type [\"body\",\"grpc_address\"]",
        "int_parsing [\"body\",\"capacity\"]", "list_type [\"body\",\"processors\"]",
        "bool_parsing [\"body\",\"exclusive\"]");
    assertSingleIssue(wire.post("/workers", "{\"grpc_address\": \"127.0.0.1:1\"}"), "missing",
        "[\"body\",\"worker_id\"]", "Field required");
    assertSingleIssue(wire.post("/workers", "[1]"), "model_attributes_type", "[\"body\"]",
        "Input should be a valid dictionary or object to extract fields from");
    assertSingleIssue(wire.post("/workers", "{\"worker_id\": \"never\", \"capacity\": 0}"), "greater_than_equal",
        "[\"body\",\"capacity\"]", "Input should be greater than or equal to 1");

    String pin = "/nodes/" + NODE + "/pin";
    assertSingleIssue(wire.send("PUT", pin, "{\"worker_id\": 5}", "Content-Type", JSON), "string_type",
        "[\"body\",\"worker_id\"]", "Input should be a valid string");
    assertSingleIssue(wire.send("PUT", pin, "{}", "Content-Type", JSON), "missing", "[\"body\",\"worker_id\"]",
        "Field required");
    assertSingleIssue(wire.send("PUT", pin, "[\"bad-w1\"]", "Content-Type", JSON), "model_attributes_type",
        "[\"body\"]", "Input should be a valid dictionary or object to extract fields from");
    assertError(wire.send("PUT", pin, "{\"worker_id\": \"no-such-worker\"}", "Content-Type", JSON), 404,
        "WORKER_NOT_FOUND");
    // an optional body on an unknown worker's heartbeat: 404, whatever the body
    for (String body : List.of("{bad", "{\"generation\": \"x\"}", "")) {
      assertError(wire.send("POST", "/workers/no-such-worker/heartbeat", body, "Content-Type", JSON), 404,
          "WORKER_NOT_FOUND");
    }
  }

  @Test
  void extendValidatesItsQueryAndItsOptionalBody() throws Exception {
    String path = "/sessions/" + session + "/extend";
    for (String q : List.of("x", "1.5", "", "0", "-3", "99999999999999999999")) {
      Http.Reply r = wire.send("POST", path + "?ttl_seconds=" + q, null);
      assertThat(issues(r)).as(q).hasSize(1).allMatch(i -> i.endsWith("[\"query\",\"ttl_seconds\"]"));
    }
    assertSingleIssue(wire.post(path, "{\"ttl_seconds\": \"x\"}"), "int_parsing", "[\"body\",\"ttl_seconds\"]",
        "Input should be a valid integer, unable to parse string as an integer");
    assertSingleIssue(wire.post(path, "{\"ttl_seconds\": 0}"), "greater_than_equal", "[\"body\",\"ttl_seconds\"]",
        "Input should be greater than or equal to 1");
    // the query wins over the body, and the body is then ignored
    Http.Reply r = wire.send("POST", path + "?ttl_seconds=3600", "{bad json", "Content-Type", JSON);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("ttl_seconds").asInt()).isEqualTo(3600);
    assertThat(wire.send("POST", path, "{bad json", "Content-Type", "text/plain").json().path("ttl_seconds").asInt())
        .isEqualTo(3600);
  }

  @Test
  void queryParametersOfMonitoringRoutesAreValidated() throws Exception {
    for (String path : List.of("/stats?minutes=x", "/metrics/kato_requests_total?minutes=1.5")) {
      Http.Reply r = wire.get(path);
      assertThat(issues(r)).hasSize(1).allMatch(i -> i.endsWith("[\"query\",\"minutes\"]"));
    }
    JsonNode missing = assertError(wire.get("/metrics/no_such_metric"), 404, "METRIC_NOT_FOUND");
    assertThat(missing.path("detail").asText()).isEqualTo("No data available for metric 'no_such_metric' in the last "
        + "10 minutes");
  }

  // ---- §1.5 step 3: unknown sessions before routing and body validation -----------------------

  @Test
  void anUnknownSessionIs404BeforeBodyValidationOnEverySessionRoute() throws Exception {
    String u = "/sessions/" + UNKNOWN;
    String[][] routes = {{"DELETE", u}, {"GET", u + "/config"}, {"POST", u + "/config"}, {"POST", u + "/extend"},
        {"POST", u + "/observe"}, {"POST", u + "/observe-sequence"}, {"POST", u + "/learn"}, {"GET", u + "/stm"},
        {"GET", u + "/predictions"}, {"POST", u + "/clear-stm"}, {"POST", u + "/clear-all"},
        {"GET", u + "/percept-data"}, {"GET", u + "/cognition-data"}, {"POST", u + "/finalize-training"},
        {"GET", u + "/no-such-route"}, {"PUT", u + "/observe"}, {"PATCH", u}, {"POST", u},
        {"POST", "/session/" + UNKNOWN + "/observe"}, {"GET", "/session/" + UNKNOWN + "/stm"},
        {"DELETE", "/session/" + UNKNOWN}};
    String[][] bodies = {{"{\"strings\": [\"a\"]}", JSON}, {"{\"a\": 1,}", JSON}, {"{\"strings\": 5, \"observations\": "
        + "7, \"config\": 1}", JSON}, {"{\"x\": NaN}", JSON}, {"", JSON}, {"{\"strings\": [\"a\"]}", "text/plain"},
        {"[1]", JSON}};
    for (String[] route : routes) {
      for (String[] body : bodies) {
        Http.Reply r = wire.send(route[0], route[1] + (route[1].endsWith("/extend") ? "?ttl_seconds=x" : ""),
            body[0], "Content-Type", body[1]);
        JsonNode e = assertError(r, 404, "SESSION_NOT_FOUND");
        String label = route[0] + " " + route[1] + " " + body[0];
        assertThat(e.path("detail").asText()).as(label).isEqualTo("Session " + UNKNOWN + " not found or expired");
        assertThat(e.path("error").path("session_id").asText()).as(label).isEqualTo(UNKNOWN);
        assertThat(e.path("error").path("details").path("session_id").asText()).isEqualTo(UNKNOWN);
        assertThat(r.header("X-Session-ID")).as("no session passed the check").isNull();
      }
    }
    JsonNode info = assertError(wire.get(u), 404, "SESSION_NOT_FOUND");
    assertThat(info.path("detail").asText()).isEqualTo("Session " + UNKNOWN + " not found or expired");
    Http.Reply exists = wire.get(u + "/exists");
    assertThat(exists.status()).isEqualTo(200);
    assertThat(exists.text()).isEqualTo("{\"exists\":false,\"expired\":false,\"session_id\":\"" + UNKNOWN + "\"}");
    // percent-encoded ids are decoded before the lookup
    JsonNode encoded = assertError(wire.get("/sessions/no%20such%2Fid/stm"), 404, "SESSION_NOT_FOUND");
    assertThat(encoded.path("error").path("session_id").asText()).isEqualTo("no such/id");
  }

  @Test
  void aKnownSessionWithAWrongMethodIs405WithAllow() throws Exception {
    Http.Reply r = wire.send("PUT", "/sessions/" + session + "/observe", "{}", "Content-Type", JSON);
    assertError(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(r.header("Allow")).isEqualTo("POST");
    Http.Reply get = wire.get("/sessions/" + session + "/learn");
    assertError(get, 405, "METHOD_NOT_ALLOWED");
    assertThat(get.header("Allow")).isEqualTo("POST");
    Http.Reply config = wire.send("DELETE", "/sessions/" + session + "/config", null);
    assertError(config, 405, "METHOD_NOT_ALLOWED");
    assertThat(config.header("Allow")).isEqualTo("GET, POST");
  }

  // ---- §1.2 routes without a body ignore any body ---------------------------------------------

  @Test
  void routesWithoutABodyIgnoreAnyBodyEvenInvalidJson() throws Exception {
    // a scratch node and session: these calls do change state, the probe's must not
    String scratchNode = "bad-scratch-" + UUID.randomUUID().toString().substring(0, 8);
    String sid = ok(wire.post("/sessions", "{\"node_id\": \"" + scratchNode + "\"}")).json().path("session_id")
        .asText();
    String s = "/sessions/" + sid;
    String[][] garbage = {{"{not json", JSON}, {"{not json", "text/plain"}, {"{\"x\": NaN}", JSON}, {"[1]", JSON},
        {"\u0000\u0001", "application/octet-stream"}};
    for (String[] g : garbage) {
      ok(wire.post(s + "/observe", "{\"strings\": [\"a\", \"b\"]}"));
      Http.Reply learned = ok(wire.send("POST", s + "/learn", g[0], "Content-Type", g[1]));
      assertThat(learned.json().path("pattern_name").asText()).startsWith("PTRN|");
      ok(wire.post(s + "/observe", "{\"strings\": [\"c\"]}"));
      assertThat(ok(wire.send("POST", s + "/clear-stm", g[0], "Content-Type", g[1])).json().path("status").asText())
          .isEqualTo("cleared");
      ok(wire.send("POST", s + "/finalize-training", g[0], "Content-Type", g[1]));
      ok(wire.send("POST", s + "/extend?ttl_seconds=600", g[0], "Content-Type", g[1]));
      for (String path : List.of(s, s + "/exists", s + "/config", s + "/stm", s + "/predictions", s + "/percept-data",
          s + "/cognition-data", "/sessions/count", "/health", "/status", "/metrics", "/",
          "/symbols/stats?node_id=" + scratchNode, "/pattern/abc?node_id=" + scratchNode,
          "/stm?node_id=" + scratchNode, "/" + scratchNode + "/stm", "/gene/persistence?node_id=" + scratchNode)) {
        Http.Reply r = wire.send("GET", path, g[0], "Content-Type", g[1]);
        assertThat(r.status()).as("GET " + path + " with body " + g[0] + ": " + r.text()).isEqualTo(200);
      }
      ok(wire.post("/observe?node_id=" + scratchNode, "{\"strings\": [\"p\", \"q\"]}"));
      ok(wire.send("POST", "/learn?node_id=" + scratchNode, g[0], "Content-Type", g[1]));
      ok(wire.send("POST", "/predictions?node_id=" + scratchNode, g[0], "Content-Type", g[1]));
      ok(wire.send("POST", "/clear-stm?node_id=" + scratchNode, g[0], "Content-Type", g[1]));
      ok(wire.post("/" + scratchNode + "/observe", "{\"strings\": [\"r\", \"s\"]}"));
      ok(wire.send("POST", "/" + scratchNode + "/learn", g[0], "Content-Type", g[1]));
      ok(wire.send("POST", "/" + scratchNode + "/predictions", g[0], "Content-Type", g[1]));
      ok(wire.send("POST", "/" + scratchNode + "/clear-stm", g[0], "Content-Type", g[1]));
      ok(wire.send("POST", "/cache/invalidate", g[0], "Content-Type", g[1]));
      ok(wire.send("DELETE", "/nodes/" + scratchNode + "/pin", g[0], "Content-Type", g[1]));
    }
    ok(wire.send("POST", s + "/clear-all", "{not json", "Content-Type", "text/plain"));
    ok(wire.send("POST", "/clear-all?node_id=" + scratchNode, "{not json", "Content-Type", JSON));
    ok(wire.send("POST", "/" + scratchNode + "/clear-all-memory", "{not json", "Content-Type", JSON));
    Http.Reply deleted = ok(wire.send("DELETE", s, "{not json", "Content-Type", "text/plain"));
    assertThat(deleted.json().path("status").asText()).isEqualTo("deleted");
  }

  // ---- §1.6 limits ----------------------------------------------------------------------------

  static byte[] head(String method, String target, String extraHeaders) {
    return (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  static void assertRawError(Wire.Raw r, int status, String code, String label) throws Exception {
    assertThat(r.status()).as(label + " " + r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(label).isEqualTo(JSON);
    JsonNode body = r.json();
    Wire.assertErrorBody(body, status, code);
    assertThat(body.path("error").path("trace_id").asText()).isEqualTo(r.header("X-Trace-ID"));
    assertThat(body.path("detail").asText()).isEqualTo(body.path("error").path("message").asText());
  }

  @Test
  void aBodyOverSixteenMebibytesIs413OnEveryRoute() throws Exception {
    byte[] big = new byte[MAX_BODY + 1];
    Arrays.fill(big, (byte) ' ');
    for (String[] route : allRoutes()) {
      Wire.Raw r = wire.raw(head(route[0], route[1], "Content-Type: application/json\r\nContent-Length: "
          + big.length + "\r\n"), big);
      assertRawError(r, 413, "PAYLOAD_TOO_LARGE", route[0] + " " + route[1]);
    }
    // size limits come before the session check, also when the body is chunked
    Wire.Raw unknown = wire.raw(head("POST", "/sessions/" + UNKNOWN + "/observe",
        "Content-Type: application/json\r\nContent-Length: " + big.length + "\r\n"), big);
    assertRawError(unknown, 413, "PAYLOAD_TOO_LARGE", "unknown session");
    byte[] chunked = chunked(big);
    for (String target : List.of("/sessions/" + session + "/observe", "/sessions", "/health")) {
      String method = target.equals("/health") ? "GET" : "POST";
      Wire.Raw r = wire.raw(head(method, target, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"),
          chunked);
      assertRawError(r, 413, "PAYLOAD_TOO_LARGE", "chunked " + target);
    }
  }

  @Test
  void aBodyOfExactlySixteenMebibytesIsAccepted() throws Exception {
    byte[] body = new byte[MAX_BODY];
    Arrays.fill(body, (byte) ' ');
    body[0] = '[';
    body[MAX_BODY - 1] = ']';
    Wire.Raw r = wire.raw(head("POST", "/sessions/" + session + "/observe", "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n"), body);
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    JsonNode item = r.json().path("detail").get(0);
    assertThat(item.path("type").asText()).isEqualTo("model_attributes_type");
  }

  static byte[] chunked(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 4096);
    int chunk = 1 << 20;
    for (int off = 0; off < body.length; off += chunk) {
      int n = Math.min(chunk, body.length - off);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, off, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  @Test
  void aRequestLineOverEightKibibytesIs414OnEveryRoute() throws Exception {
    for (String[] route : allRoutes()) {
      String target = route[1] + (route[1].contains("?") ? "&" : "?") + "pad=" + "p".repeat(8 * 1024);
      Wire.Raw r = wire.raw(head(route[0], target, "Content-Type: application/json\r\nContent-Length: 2\r\n"),
          "{}".getBytes(StandardCharsets.US_ASCII));
      assertRawError(r, 414, "URI_TOO_LONG", route[0] + " " + route[1]);
    }
    // just under the limit is served
    String path = "/health?pad=";
    String fitting = path + "p".repeat(8 * 1024 - 200);
    Wire.Raw ok = wire.raw(head("GET", fitting, ""), null);
    assertThat(ok.status()).isEqualTo(200);
  }

  @Test
  void aHeaderBlockOverSixteenKibibytesIs431OnEveryRoute() throws Exception {
    String pad = "X-Pad: " + "h".repeat(8000) + "\r\nX-Pad-2: " + "h".repeat(8000) + "\r\nX-Pad-3: "
        + "h".repeat(1000) + "\r\n";
    for (String[] route : allRoutes()) {
      Wire.Raw r = wire.raw(head(route[0], route[1], "Content-Type: application/json\r\nContent-Length: 2\r\n" + pad),
          "{}".getBytes(StandardCharsets.US_ASCII));
      assertRawError(r, 431, "HEADERS_TOO_LARGE", route[0] + " " + route[1]);
    }
    Wire.Raw fits = wire.raw(head("GET", "/health", "X-Pad: " + "h".repeat(12 * 1024) + "\r\n"), null);
    assertThat(fits.status()).isEqualTo(200);
  }
}
