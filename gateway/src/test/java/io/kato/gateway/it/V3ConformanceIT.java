package io.kato.gateway.it;

import static io.kato.gateway.it.Wire.JSON;
import static io.kato.gateway.it.Wire.assertError;
import static io.kato.gateway.it.Wire.assertSingleIssue;
import static io.kato.gateway.it.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.json.JsonValues;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v3 wire contract of API.md (§1, §2.2–§2.5, §4.1) checked against real processes: one
 * gateway and one worker (in-memory store) started from their shaded jars. Every assertion is on
 * exact statuses, headers, key orders, JSON types (floats with a decimal point: the raw text is
 * checked) and values, as an unmodified v3 client would see them.
 */
@Timeout(value = 110, unit = java.util.concurrent.TimeUnit.SECONDS)
class V3ConformanceIT {
  @TempDir
  static Path data;

  static KatoCluster cluster;
  static Wire wire;

  static final Pattern SESSION_ID = Pattern.compile("session-[0-9a-f]{32}-\\d{13}");
  static final Pattern SESSION_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?Z");
  static final Pattern EVENT_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
  static final Pattern NAIVE_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
  static final Pattern TRACE_ID = Pattern.compile("kato-[0-9a-f]{32}");
  static final Pattern PATTERN_NAME = Pattern.compile("PTRN\\|[0-9a-f]{40}");

  static final List<String> CONFIG_KEYS = List.of("max_pattern_length", "persistence", "recall_threshold",
      "indexer_type", "max_predictions", "sort_symbols", "process_predictions", "use_token_matching", "stm_mode",
      "rank_sort_algo", "filter_pipeline", "length_min_ratio", "length_max_ratio", "jaccard_threshold",
      "jaccard_min_overlap", "minhash_threshold", "minhash_bands", "minhash_rows", "minhash_num_hashes",
      "bloom_false_positive_rate", "max_candidates_per_stage", "enable_filter_metrics");
  static final String DEFAULT_CONFIG = "{\"max_pattern_length\":0,\"persistence\":5,\"recall_threshold\":0.1,"
      + "\"indexer_type\":\"VI\",\"max_predictions\":100,\"sort_symbols\":true,\"process_predictions\":true,"
      + "\"use_token_matching\":true,\"stm_mode\":\"CLEAR\",\"rank_sort_algo\":\"potential\",\"filter_pipeline\":[],"
      + "\"length_min_ratio\":0.5,\"length_max_ratio\":2.0,\"jaccard_threshold\":0.3,\"jaccard_min_overlap\":2,"
      + "\"minhash_threshold\":0.7,\"minhash_bands\":20,\"minhash_rows\":5,\"minhash_num_hashes\":100,"
      + "\"bloom_false_positive_rate\":0.01,\"max_candidates_per_stage\":100000,\"enable_filter_metrics\":true}";

  @BeforeAll
  static void start() throws Exception {
    cluster = new KatoCluster(data, "memory").startGateway();
    cluster.startWorker("conf-w1");
    Clusters.awaitLiveWorkers(new Http(cluster.baseUrl()), 1);
    wire = new Wire(cluster.gatewayPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String create(String nodeId) throws Exception {
    Http.Reply created = wire.post("/sessions", "{\"node_id\": \"" + nodeId + "\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    return created.json().path("session_id").asText();
  }

  static Http.Reply observe(String sid, String body) throws Exception {
    Http.Reply r = wire.post("/sessions/" + sid + "/observe", body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r;
  }

  static String learn(String sid) throws Exception {
    Http.Reply r = wire.send("POST", "/sessions/" + sid + "/learn", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("pattern_name").asText();
  }

  static long count() throws Exception {
    Http.Reply r = wire.get("/sessions/count");
    assertThat(r.status()).isEqualTo(200);
    assertThat(keys(r.json())).containsExactly("active_session_count");
    assertThat(r.json().path("active_session_count").isIntegralNumber()).isTrue();
    return r.json().path("active_session_count").asLong();
  }

  /** {@code "key":value} in the raw body (floats must keep their decimal point). */
  static void assertRaw(Http.Reply reply, String key, String literal) {
    assertThat(reply.text()).containsPattern(Pattern.quote("\"" + key + "\"") + "\\s*:\\s*" + Pattern.quote(literal)
        + "\\s*[,}\\]]");
  }

  // ---- §2.2.1 create --------------------------------------------------------------------------

  @Test
  void createSessionAnswers200WithTheDocumentedShape() throws Exception {
    Instant before = Instant.now().minusSeconds(2);
    Http.Reply r = wire.post("/sessions", "{\"node_id\": \"conf-create\", \"metadata\": {\"app_version\": \"2.0\"}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo(JSON);
    JsonNode b = r.json();
    assertThat(keys(b)).containsExactly("session_id", "node_id", "created_at", "expires_at", "ttl_seconds", "metadata",
        "session_config");
    assertThat(b.path("session_id").asText()).matches(SESSION_ID);
    assertThat(b.path("node_id").asText()).isEqualTo("conf-create");
    assertThat(b.path("created_at").asText()).matches(SESSION_TIME);
    assertThat(b.path("expires_at").asText()).matches(SESSION_TIME);
    Instant created = Instant.parse(b.path("created_at").asText());
    Instant expires = Instant.parse(b.path("expires_at").asText());
    assertThat(created).isAfter(before).isBefore(Instant.now().plusSeconds(2));
    assertThat(Duration.between(created, expires)).isEqualTo(Duration.ofSeconds(3600));
    assertThat(b.path("ttl_seconds").isInt()).isTrue();
    assertThat(b.path("ttl_seconds").asInt()).isEqualTo(3600);
    assertThat(b.path("metadata").toString()).isEqualTo("{\"app_version\":\"2.0\"}");
    assertThat(keys(b.path("session_config"))).containsExactlyElementsOf(CONFIG_KEYS);
    assertThat(b.path("session_config")).isEqualTo(Wire.MAPPER.readTree(DEFAULT_CONFIG));
    JsonNode c = b.path("session_config");
    for (String intKey : List.of("max_pattern_length", "persistence", "max_predictions", "jaccard_min_overlap",
        "minhash_bands", "minhash_rows", "minhash_num_hashes", "max_candidates_per_stage")) {
      assertThat(c.path(intKey).isIntegralNumber()).as(intKey).isTrue();
    }
    for (String floatKey : List.of("recall_threshold", "length_min_ratio", "length_max_ratio", "jaccard_threshold",
        "minhash_threshold", "bloom_false_positive_rate")) {
      assertThat(c.path(floatKey).isFloatingPointNumber()).as(floatKey).isTrue();
    }
    assertRaw(r, "recall_threshold", "0.1");
    assertRaw(r, "length_min_ratio", "0.5");
    assertRaw(r, "length_max_ratio", "2.0");
    assertRaw(r, "bloom_false_positive_rate", "0.01");
    assertRaw(r, "persistence", "5");
    assertRaw(r, "ttl_seconds", "3600");
    // the metadata default is {} and null means {}
    Http.Reply nullMeta = wire.post("/sessions", "{\"node_id\": \"conf-create\", \"metadata\": null, \"config\": null}");
    assertThat(nullMeta.status()).isEqualTo(200);
    assertThat(nullMeta.json().path("metadata").toString()).isEqualTo("{}");
    assertThat(nullMeta.json().path("session_config")).isEqualTo(Wire.MAPPER.readTree(DEFAULT_CONFIG));
  }

  @Test
  void ttlSecondsIsEchoedAndDefaultsTo3600() throws Exception {
    String[][] cases = {{"120", "120"}, {"\"60\"", "60"}, {"60.0", "60"}, {"0", "3600"}, {"null", "3600"},
        {"false", "3600"}, {"\" 90 \"", "90"}};
    for (String[] c : cases) {
      Http.Reply r = wire.post("/sessions", "{\"node_id\": \"conf-ttl\", \"ttl_seconds\": " + c[0] + "}");
      assertThat(r.status()).as(c[0] + " " + r.text()).isEqualTo(200);
      assertThat(r.json().path("ttl_seconds").isInt()).isTrue();
      assertThat(r.json().path("ttl_seconds").asText()).as(c[0]).isEqualTo(c[1]);
      Instant created = Instant.parse(r.json().path("created_at").asText());
      Instant expires = Instant.parse(r.json().path("expires_at").asText());
      assertThat(Duration.between(created, expires).getSeconds()).as(c[0]).isEqualTo(Long.parseLong(c[1]));
      assertThat(wire.delete("/sessions/" + r.json().path("session_id").asText()).status()).isEqualTo(200);
    }
    assertSingleIssue(wire.post("/sessions", "{\"node_id\": \"conf-ttl\", \"ttl_seconds\": -1}"), "greater_than_equal",
        "[\"body\",\"ttl_seconds\"]", "Input should be greater than or equal to 0");
    assertSingleIssue(wire.post("/sessions", "{\"node_id\": \"conf-ttl\", \"ttl_seconds\": 1.5}"), "int_from_float",
        "[\"body\",\"ttl_seconds\"]", "Input should be a valid integer, got a number with a fractional part");
  }

  @Test
  void twoCreatesWithTheSameNodeGiveTwoSessions() throws Exception {
    String node = unique("conf-same");
    String a = create(node);
    String b = create(node);
    assertThat(a).isNotEqualTo(b);
    observe(a, "{\"strings\": [\"only-a\"]}");
    assertThat(wire.get("/sessions/" + b + "/stm").json().path("length").asInt()).isEqualTo(0);
    assertThat(wire.get("/sessions/" + a + "/stm").json().path("length").asInt()).isEqualTo(1);
  }

  @Test
  void aClientChosenSessionIdIsIdempotentForItsNodeAndConflictsForAnother() throws Exception {
    String id = unique("my.session") + "@x:1";
    Http.Reply first = wire.post("/sessions", "{\"node_id\": \"conf-chosen\", \"session_id\": \"" + id + "\", "
        + "\"metadata\": {\"n\": 1}}");
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.json().path("session_id").asText()).isEqualTo(id);
    observe(id, "{\"strings\": [\"kept\"]}");
    long before = count();
    Http.Reply again = wire.post("/sessions", "{\"node_id\": \"conf-chosen\", \"session_id\": \"" + id + "\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("session_id").asText()).isEqualTo(id);
    assertThat(again.json().path("created_at").asText()).isEqualTo(first.json().path("created_at").asText());
    assertThat(again.json().path("metadata").toString()).isEqualTo("{\"n\":1}");
    assertThat(count()).isEqualTo(before);
    assertThat(wire.get("/sessions/" + id + "/stm").json().path("stm").toString()).isEqualTo("[[\"kept\"]]");

    Http.Reply other = wire.post("/sessions", "{\"node_id\": \"conf-chosen-other\", \"session_id\": \"" + id + "\"}");
    JsonNode e = assertError(other, 409, "SESSION_EXISTS");
    assertThat(e.path("detail").isTextual()).isTrue();
    assertThat(count()).isEqualTo(before);
    assertThat(wire.get("/sessions/" + id).json().path("node_id").asText()).isEqualTo("conf-chosen");
    assertThat(wire.delete("/sessions/" + id).status()).isEqualTo(200);
  }

  // ---- §2.2.3–§2.2.5, §2.2.8 info, delete, exists, extend -------------------------------------

  @Test
  void sessionInfoShowsTheRemainingTtl() throws Exception {
    String sid = create("conf-info");
    Http.Reply r = wire.get("/sessions/" + sid);
    assertThat(r.status()).isEqualTo(200);
    assertThat(keys(r.json())).containsExactly("session_id", "node_id", "created_at", "expires_at", "ttl_seconds",
        "metadata", "session_config");
    assertThat(r.json().path("ttl_seconds").isInt()).isTrue();
    assertThat(r.json().path("ttl_seconds").asInt()).isBetween(3598, 3600);
    assertThat(r.json().path("session_config")).isEqualTo(Wire.MAPPER.readTree(DEFAULT_CONFIG));

    JsonNode missing = assertError(wire.get("/sessions/session-00000000000000000000000000000000-1"), 404,
        "SESSION_NOT_FOUND");
    assertThat(missing.path("detail").asText()).isEqualTo(
        "Session session-00000000000000000000000000000000-1 not found or expired");
    assertThat(missing.path("error").path("session_id").asText()).isEqualTo(
        "session-00000000000000000000000000000000-1");
    assertThat(missing.path("error").path("details").path("session_id").asText()).isEqualTo(
        "session-00000000000000000000000000000000-1");

    Http.Reply deleted = wire.delete("/sessions/" + sid);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.text()).isEqualTo("{\"status\":\"deleted\",\"session_id\":\"" + sid + "\"}");
    assertError(wire.delete("/sessions/" + sid), 404, "SESSION_NOT_FOUND");
    Http.Reply exists = wire.get("/sessions/" + sid + "/exists");
    assertThat(exists.status()).isEqualTo(200);
    assertThat(exists.text()).isEqualTo("{\"exists\":false,\"expired\":false,\"session_id\":\"" + sid + "\"}");
  }

  /** Polls /exists only; returns the milliseconds from {@code since} until it said false. */
  static long millisUntilGone(String sid, Instant since, long maxMillis) throws Exception {
    long deadline = System.currentTimeMillis() + maxMillis;
    while (System.currentTimeMillis() < deadline) {
      Http.Reply r = wire.get("/sessions/" + sid + "/exists");
      assertThat(r.status()).isEqualTo(200);
      assertThat(keys(r.json())).containsExactly("exists", "expired", "session_id");
      if (!r.json().path("exists").asBoolean()) {
        return Duration.between(since, Instant.now()).toMillis();
      }
      Thread.sleep(150);
    }
    return -1;
  }

  @Test
  void existsNeverExtendsTheTtl() throws Exception {
    Instant before = Instant.now();
    Http.Reply r = wire.post("/sessions", "{\"node_id\": \"conf-exists\", \"ttl_seconds\": 2}");
    String sid = r.json().path("session_id").asText();
    Http.Reply first = wire.get("/sessions/" + sid + "/exists");
    assertThat(first.text()).isEqualTo("{\"exists\":true,\"expired\":false,\"session_id\":\"" + sid + "\"}");
    long gone = millisUntilGone(sid, before, 6000);
    assertThat(gone).as("polling /exists must not keep the session alive").isBetween(1500L, 6000L);
    assertError(wire.get("/sessions/" + sid + "/stm"), 404, "SESSION_NOT_FOUND");
  }

  @Test
  void extendTakesTtlSecondsFromTheQueryAndKeepsTheSlidingWindow() throws Exception {
    String sid = create("conf-extend");
    Http.Reply r = wire.send("POST", "/sessions/" + sid + "/extend?ttl_seconds=2", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"status\":\"extended\",\"session_id\":\"" + sid + "\",\"ttl_seconds\":2}");
    assertThat(r.header("X-Session-ID")).isEqualTo(sid);
    Instant extended = Instant.now();
    long gone = millisUntilGone(sid, extended, 6000);
    assertThat(gone).as("expires_at = now + 2 s").isBetween(500L, 6000L);

    // the sliding window is still the creation TTL: the next access resets expires_at to now + 3600
    String kept = create("conf-extend");
    assertThat(wire.send("POST", "/sessions/" + kept + "/extend?ttl_seconds=5", null).status()).isEqualTo(200);
    Http.Reply info = wire.get("/sessions/" + kept);
    assertThat(info.json().path("ttl_seconds").asInt()).isBetween(3598, 3600);

    // the default is 3600, and [ext] a JSON body is honoured when the query is absent
    Http.Reply byDefault = wire.send("POST", "/sessions/" + kept + "/extend", null);
    assertThat(byDefault.json().path("ttl_seconds").asInt()).isEqualTo(3600);
    Http.Reply byBody = wire.post("/sessions/" + kept + "/extend", "{\"ttl_seconds\": 7}");
    assertThat(byBody.json().path("ttl_seconds").asInt()).isEqualTo(7);

    assertSingleIssue(wire.send("POST", "/sessions/" + kept + "/extend?ttl_seconds=0", null), "greater_than_equal",
        "[\"query\",\"ttl_seconds\"]", "Input should be greater than or equal to 1");
    JsonNode item = assertSingleIssue(wire.send("POST", "/sessions/" + kept + "/extend?ttl_seconds=x", null),
        "int_parsing", "[\"query\",\"ttl_seconds\"]",
        "Input should be a valid integer, unable to parse string as an integer");
    assertThat(item.path("input").asText()).isEqualTo("x");
    assertThat(wire.get("/sessions/" + kept + "/exists").json().path("exists").asBoolean()).isTrue();
    assertThat(wire.delete("/sessions/" + kept).status()).isEqualTo(200);
  }

  // ---- §2.2.6, §2.2.7, §1.11 config -----------------------------------------------------------

  static JsonNode config(String sid) throws Exception {
    Http.Reply r = wire.get("/sessions/" + sid + "/config");
    assertThat(r.status()).isEqualTo(200);
    assertThat(keys(r.json())).containsExactly("session_id", "config");
    assertThat(r.json().path("session_id").asText()).isEqualTo(sid);
    return r.json().path("config");
  }

  @Test
  void configUpdatesAcceptBothFormsAndAutoToggleSortSymbols() throws Exception {
    String sid = create("conf-config");
    assertThat(config(sid)).isEqualTo(Wire.MAPPER.readTree(DEFAULT_CONFIG));
    Http.Reply wrapped = wire.post("/sessions/" + sid + "/config", "{\"config\": {\"recall_threshold\": 0.75}}");
    assertThat(wrapped.status()).isEqualTo(200);
    assertThat(wrapped.text()).isEqualTo("{\"status\":\"okay\",\"message\":\"Configuration updated\",\"session_id\":\""
        + sid + "\"}");
    Http.Reply bare = wire.post("/sessions/" + sid + "/config", "{\"max_predictions\": 50, \"unknown_key\": 1, "
        + "\"session_id\": \"ignored\", \"version\": 3}");
    assertThat(bare.status()).isEqualTo(200);
    JsonNode c = config(sid);
    assertThat(keys(c)).containsExactlyElementsOf(CONFIG_KEYS);
    assertThat(c.path("recall_threshold").isDouble()).isTrue();
    assertThat(c.path("recall_threshold").asDouble()).isEqualTo(0.75);
    assertThat(c.path("max_predictions").isInt()).isTrue();
    assertThat(c.path("max_predictions").asInt()).isEqualTo(50);

    // use_token_matching without sort_symbols toggles sort_symbols too
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"use_token_matching\": false}").status()).isEqualTo(200);
    c = config(sid);
    assertThat(c.path("use_token_matching").asBoolean()).isFalse();
    assertThat(c.path("sort_symbols").asBoolean()).isFalse();
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"use_token_matching\": true, \"sort_symbols\": false}")
        .status()).isEqualTo(200);
    c = config(sid);
    assertThat(c.path("use_token_matching").asBoolean()).isTrue();
    assertThat(c.path("sort_symbols").asBoolean()).isFalse();
    // not at creation
    Http.Reply atCreation = wire.post("/sessions", "{\"node_id\": \"conf-config\", \"config\": "
        + "{\"use_token_matching\": false}}");
    assertThat(atCreation.json().path("session_config").path("use_token_matching").asBoolean()).isFalse();
    assertThat(atCreation.json().path("session_config").path("sort_symbols").asBoolean()).isTrue();

    // stm_mode: anything but CLEAR/ROLLING is silently CLEAR
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"stm_mode\": \"ROLLING\"}").status()).isEqualTo(200);
    assertThat(config(sid).path("stm_mode").asText()).isEqualTo("ROLLING");
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"stm_mode\": \"SIDEWAYS\"}").status()).isEqualTo(200);
    assertThat(config(sid).path("stm_mode").asText()).isEqualTo("CLEAR");

    // the two optional keys appear only once set, in their place
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"fuzzy_token_threshold\": 0.5}").status()).isEqualTo(200);
    c = config(sid);
    assertThat(keys(c).indexOf("fuzzy_token_threshold")).isEqualTo(keys(c).indexOf("use_token_matching") + 1);
    assertThat(c.path("fuzzy_token_threshold").isDouble()).isTrue();

    // null resets a non-checked key to its default
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"length_min_ratio\": 0.25}").status()).isEqualTo(200);
    assertThat(config(sid).path("length_min_ratio").asDouble()).isEqualTo(0.25);
    assertThat(wire.post("/sessions/" + sid + "/config", "{\"length_min_ratio\": null}").status()).isEqualTo(200);
    Http.Reply raw = wire.get("/sessions/" + sid + "/config");
    assertRaw(raw, "length_min_ratio", "0.5");
    assertRaw(raw, "recall_threshold", "0.75");
    assertRaw(raw, "length_max_ratio", "2.0");
  }

  @Test
  void invalidConfigValuesAre400WithAnObjectDetailAndChangeNothing() throws Exception {
    String sid = create("conf-config-bad");
    Http.Reply r = wire.post("/sessions/" + sid + "/config", "{\"persistence\": 5.0, \"recall_threshold\": \"0.5\", "
        + "\"max_predictions\": true, \"max_pattern_length\": 3}");
    JsonNode e = assertError(r, 400, "CONFIG_VALIDATION_ERROR");
    JsonNode detail = e.path("detail");
    assertThat(keys(detail)).containsExactly("error", "validation_errors");
    assertThat(detail.path("error").asText()).isEqualTo("Configuration validation failed");
    JsonNode errors = detail.path("validation_errors");
    assertThat(keys(errors)).containsExactlyInAnyOrder("persistence", "recall_threshold", "max_predictions");
    assertThat(errors.path("persistence").asText()).isEqualTo("Must be an integer between 1 and 100");
    assertThat(errors.path("recall_threshold").asText()).isEqualTo("Must be a number between 0.0 and 1.0");
    assertThat(errors.path("max_predictions").asText()).isEqualTo("Must be an integer between 1 and 10000");
    assertThat(e.path("error").path("message").asText()).isEqualTo("Configuration validation failed");
    assertThat(e.path("error").path("details").path("validation_errors")).isEqualTo(errors);
    assertThat(config(sid)).as("nothing applied").isEqualTo(Wire.MAPPER.readTree(DEFAULT_CONFIG));

    JsonNode nulls = assertError(wire.post("/sessions/" + sid + "/config", "{\"persistence\": null}"), 400,
        "CONFIG_VALIDATION_ERROR");
    assertThat(nulls.path("detail").path("validation_errors").path("persistence").asText())
        .isEqualTo("Must be an integer between 1 and 100");
    JsonNode types = assertError(wire.post("/sessions/" + sid + "/config", "{\"stm_mode\": 5, \"indexer_type\": "
        + "\"XX\", \"sort_symbols\": \"yes\"}"), 400, "CONFIG_VALIDATION_ERROR");
    assertThat(types.path("detail").path("validation_errors").path("stm_mode").asText()).isEqualTo("Must be a string");
    assertThat(types.path("detail").path("validation_errors").path("indexer_type").asText())
        .isEqualTo("Must be one of: VI, LSH, ANNOY, FAISS");
    assertThat(types.path("detail").path("validation_errors").path("sort_symbols").asText())
        .isEqualTo("Must be a boolean (true/false)");
    assertThat(config(sid)).isEqualTo(Wire.MAPPER.readTree(DEFAULT_CONFIG));

    // at creation [ext]: 400 and no session
    long before = count();
    assertError(wire.post("/sessions", "{\"node_id\": \"conf-config-bad\", \"config\": {\"persistence\": 0}}"), 400,
        "CONFIG_VALIDATION_ERROR");
    assertThat(count()).isEqualTo(before);
  }

  // ---- §2.3.1 observe, §1.10 ------------------------------------------------------------------

  @Test
  void observeAnswersTheObservationResult() throws Exception {
    String node = unique("conf-observe");
    String sid = create(node);
    Http.Reply r = observe(sid, "{\"strings\": [\"hello\", \"world\"], \"unique_id\": \"client-chosen\"}");
    assertThat(keys(r.json())).containsExactly("status", "session_id", "processor_id", "stm_length", "time",
        "unique_id", "auto_learned_pattern");
    assertThat(r.json().path("status").asText()).isEqualTo("okay");
    assertThat(r.json().path("session_id").asText()).isEqualTo(sid);
    assertThat(r.json().path("processor_id").asText()).isEqualTo(node);
    assertThat(r.json().path("stm_length").isInt()).isTrue();
    assertThat(r.json().path("stm_length").asInt()).isEqualTo(1);
    assertThat(r.json().path("time").isInt()).isTrue();
    assertThat(r.json().path("time").asInt()).isEqualTo(1);
    assertThat(r.json().path("unique_id").asText()).matches("obs-[0-9a-f]{32}");
    assertThat(r.json().path("auto_learned_pattern").isNull()).isTrue();
    assertThat(r.header("X-Session-ID")).isEqualTo(sid);

    // an empty observation: time +1, STM unchanged
    Http.Reply empty = observe(sid, "{}");
    assertThat(empty.json().path("stm_length").asInt()).isEqualTo(1);
    assertThat(empty.json().path("time").asInt()).isEqualTo(2);
    Http.Reply emptyLists = observe(sid, "{\"strings\": [], \"vectors\": [], \"emotives\": {}, \"metadata\": {}}");
    assertThat(emptyLists.json().path("time").asInt()).isEqualTo(3);
    assertThat(wire.get("/sessions/" + sid + "/stm").text()).isEqualTo("{\"stm\":[[\"hello\",\"world\"]],"
        + "\"session_id\":\"" + sid + "\",\"length\":1}");
  }

  @Test
  void emotivesComeBackAsFloatsAndPerceptDataIsTheLastObservation() throws Exception {
    String node = unique("conf-percept");
    String sid = create(node);
    Http.Reply fresh = wire.get("/sessions/" + sid + "/percept-data");
    assertThat(fresh.text()).isEqualTo("{\"percept_data\":{},\"session_id\":\"" + sid + "\",\"node_id\":\"" + node
        + "\"}");
    observe(sid, "{\"strings\": [\"zeta\", \"Alpha\", \"beta\"], \"emotives\": {\"energy\": 10}, "
        + "\"metadata\": {\"k\": \"v\"}}");
    Http.Reply p = wire.get("/sessions/" + sid + "/percept-data");
    assertThat(p.text()).isEqualTo("{\"percept_data\":{\"strings\":[\"Alpha\",\"beta\",\"zeta\"],\"vectors\":[],"
        + "\"emotives\":{\"energy\":10.0},\"path\":[],\"metadata\":{\"k\":\"v\"}},\"session_id\":\"" + sid
        + "\",\"node_id\":\"" + node + "\"}");
    observe(sid, "{\"strings\": [\"x\"], \"emotives\": {\"energy\": 4, \"joy\": 1}}");
    JsonNode averaged = wire.get("/sessions/" + sid + "/percept-data").json().path("percept_data").path("emotives");
    assertThat(averaged.toString()).isEqualTo("{\"energy\":7.0,\"joy\":1.0}");

    Http.Reply cognition = wire.get("/sessions/" + sid + "/cognition-data");
    assertThat(keys(cognition.json())).containsExactly("cognition_data", "session_id", "node_id");
    JsonNode cd = cognition.json().path("cognition_data");
    assertThat(keys(cd)).containsExactly("predictions", "emotives", "symbols", "command", "metadata", "path", "strings",
        "vectors", "short_term_memory", "time");
    assertThat(cd.path("predictions").toString()).isEqualTo("[]");
    assertThat(cd.path("emotives").toString()).as("the last entry, not averaged").isEqualTo(
        "{\"energy\":4.0,\"joy\":1.0}");
    assertThat(cd.path("symbols").toString()).isEqualTo("[\"Alpha\",\"beta\",\"zeta\",\"x\"]");
    assertThat(cd.path("command").asText()).isEqualTo("");
    assertThat(cd.path("metadata").toString()).isEqualTo("{}");
    assertThat(cd.path("path").toString()).isEqualTo("[]");
    assertThat(cd.path("strings").toString()).isEqualTo("[]");
    assertThat(cd.path("vectors").toString()).isEqualTo("[]");
    assertThat(cd.path("short_term_memory").toString()).isEqualTo("[[\"Alpha\",\"beta\",\"zeta\"],[\"x\"]]");
    assertThat(cd.path("time").isInt()).isTrue();
    assertThat(cd.path("time").asInt()).isEqualTo(2);
    assertThat(cognition.json().path("node_id").asText()).isEqualTo(node);

    // clear-stm resets STM, accumulators, time and percept data
    Http.Reply cleared = wire.post("/sessions/" + sid + "/clear-stm", "{}");
    assertThat(cleared.text()).isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + sid + "\"}");
    assertThat(wire.get("/sessions/" + sid + "/percept-data").json().path("percept_data").toString()).isEqualTo("{}");
    JsonNode after = wire.get("/sessions/" + sid + "/cognition-data").json().path("cognition_data");
    assertThat(after.path("emotives").toString()).isEqualTo("{}");
    assertThat(after.path("time").asInt()).isEqualTo(0);
    assertThat(after.path("short_term_memory").toString()).isEqualTo("[]");
  }

  @Test
  void requestModelsCoerceLaxlyIgnoreUnknownKeysAndTakeTheLastDuplicate() throws Exception {
    String sid = create(unique("conf-lax"));
    observe(sid, "{\"strings\": [\"first\"], \"strings\": [\"last\"], \"unknown\": {\"x\": 1}, "
        + "\"emotives\": {\"a\": \"0.5\", \"b\": true, \"c\": 2}, \"vectors\": [[1, 2]]}");
    Http.Reply p = wire.get("/sessions/" + sid + "/percept-data");
    JsonNode percept = p.json().path("percept_data");
    assertThat(percept.path("emotives").toString()).isEqualTo("{\"a\":0.5,\"b\":1.0,\"c\":2.0}");
    assertThat(percept.path("vectors").toString()).isEqualTo("[[1.0,2.0]]");
    assertThat(percept.path("strings").get(0).asText()).isEqualTo("last");
    JsonNode stm = wire.get("/sessions/" + sid + "/stm").json().path("stm");
    assertThat(stm.size()).isEqualTo(1);
    assertThat(stm.get(0).toString()).contains("\"last\"").doesNotContain("first");
    assertThat(wire.post("/sessions/" + sid + "/clear-stm", "{}").status()).isEqualTo(200);
    // booleans of observe-sequence: words, 0/1
    Http.Reply seq = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": [{\"strings\": "
        + "[\"p\", \"q\"]}], \"learn_at_end\": \"yes\", \"learn_after_each\": 0, \"clear_stm_between\": \"off\"}");
    assertThat(seq.status()).as(seq.text()).isEqualTo(200);
    assertThat(seq.json().path("final_learned_pattern").asText()).matches(PATTERN_NAME);
    assertThat(seq.json().path("auto_learned_patterns").size()).isEqualTo(1);
    Http.Reply seqOne = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": [{\"strings\": "
        + "[\"p\", \"q\"]}], \"learn_at_end\": 1.0}");
    assertThat(seqOne.json().path("final_learned_pattern").asText())
        .isEqualTo(seq.json().path("final_learned_pattern").asText());
  }

  @Test
  void concurrentObservesOnOneSessionAreAllApplied() throws Exception {
    String sid = create(unique("conf-concurrent"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
    try {
      List<java.util.concurrent.Future<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String body = "{\"strings\": [\"c" + i + "\"]}";
        replies.add(pool.submit(() -> wire.post("/sessions/" + sid + "/observe", body)));
      }
      List<Integer> times = new ArrayList<>();
      for (java.util.concurrent.Future<Http.Reply> r : replies) {
        Http.Reply reply = r.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        times.add(reply.json().path("time").asInt());
      }
      assertThat(times).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    } finally {
      pool.shutdownNow();
    }
    assertThat(wire.get("/sessions/" + sid + "/stm").json().path("length").asInt()).isEqualTo(10);
  }

  @Test
  void largeObservationsAreAcceptedAndCreatesAreFast() throws Exception {
    String sid = create(unique("conf-large"));
    StringBuilder strings = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      strings.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
    }
    StringBuilder vector = new StringBuilder();
    for (int i = 0; i < 768; i++) {
      vector.append(i == 0 ? "" : ",").append(i / 768.0);
    }
    Http.Reply big = wire.post("/sessions/" + sid + "/observe", "{\"strings\": [" + strings + "], \"vectors\": [["
        + vector + "]]}");
    assertThat(big.status()).as(big.text()).isEqualTo(200);
    assertThat(big.json().path("stm_length").asInt()).isEqualTo(1);

    // the v3 suite creates 100 sessions one after the other and wants < 50 ms on average
    for (int i = 0; i < 20; i++) {
      create("conf-perf-warm");
    }
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      create("conf-perf-" + i);
    }
    double averageMillis = (System.nanoTime() - started) / 1e6 / 100;
    assertThat(averageMillis).isLessThan(50.0);
  }

  // ---- §2.3.2 observe-sequence ----------------------------------------------------------------

  @Test
  void observeSequenceLearnsAtEndAfterEachAndClearsBetween() throws Exception {
    String node = unique("conf-seq");
    String sid = create(node);
    Http.Reply r = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": ["
        + "{\"strings\": [\"a\", \"b\"], \"unique_id\": \"custom-1\"}, {\"strings\": [\"c\"], \"unique_id\": \"\"},"
        + " {\"strings\": [\"d\"], \"unique_id\": null}], \"learn_at_end\": true}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(keys(b)).containsExactly("status", "processor_id", "observations_processed", "initial_stm_length",
        "final_stm_length", "results", "auto_learned_patterns", "final_learned_pattern", "isolated");
    assertThat(b.path("status").asText()).isEqualTo("completed");
    assertThat(b.path("processor_id").asText()).isEqualTo(node);
    assertThat(b.path("observations_processed").asInt()).isEqualTo(3);
    assertThat(b.path("initial_stm_length").asInt()).isEqualTo(0);
    assertThat(b.path("final_stm_length").asInt()).isEqualTo(0);
    assertThat(b.path("isolated").isBoolean()).isTrue();
    assertThat(b.path("isolated").asBoolean()).isFalse();
    JsonNode results = b.path("results");
    assertThat(results.size()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      JsonNode item = results.get(i);
      assertThat(keys(item)).containsExactly("status", "sequence_position", "stm_length", "time", "unique_id",
          "auto_learned_pattern");
      assertThat(item.path("status").asText()).isEqualTo("okay");
      assertThat(item.path("sequence_position").asInt()).isEqualTo(i);
      assertThat(item.path("stm_length").asInt()).isEqualTo(i + 1);
      assertThat(item.path("time").asInt()).isEqualTo(i + 1);
      assertThat(item.path("auto_learned_pattern").isNull()).isTrue();
    }
    assertThat(results.get(0).path("unique_id").asText()).isEqualTo("custom-1");
    assertThat(results.get(1).path("unique_id").asText()).matches("seq-obs-[0-9a-f]{32}");
    assertThat(results.get(2).path("unique_id").asText()).matches("seq-obs-[0-9a-f]{32}");
    String learned = b.path("final_learned_pattern").asText();
    assertThat(learned).matches(PATTERN_NAME);
    assertThat(b.path("auto_learned_patterns").toString()).isEqualTo("[\"" + learned + "\"]");
    JsonNode pattern = wire.get("/pattern/" + learned.replace("|", "%7C") + "?node_id=" + node).json();
    assertThat(pattern.path("pattern").path("pattern").path("pattern_data").toString())
        .isEqualTo("[[\"a\",\"b\"],[\"c\"],[\"d\"]]");

    // learn_after_each: a name per observation ("" for a single symbol); no final pattern
    Http.Reply each = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": ["
        + "{\"strings\": [\"e\", \"f\"]}, {\"strings\": [\"g\"]}], \"learn_after_each\": true}");
    assertThat(each.status()).isEqualTo(200);
    assertThat(each.json().path("auto_learned_patterns").size()).isEqualTo(2);
    assertThat(each.json().path("auto_learned_patterns").get(0).asText()).matches(PATTERN_NAME);
    assertThat(each.json().path("auto_learned_patterns").get(1).asText()).isEqualTo("");
    assertThat(each.json().path("final_learned_pattern").isNull()).isTrue();
    assertThat(each.json().path("final_stm_length").asInt()).isEqualTo(0);
    assertThat(each.json().path("results").get(1).path("time").asInt()).isEqualTo(5);

    // clear_stm_between: STM cleared before each observation but the first; time kept
    Http.Reply between = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": ["
        + "{\"strings\": [\"h\"]}, {\"strings\": [\"i\"]}, {\"strings\": [\"j\"]}], \"clear_stm_between\": true}");
    assertThat(between.status()).isEqualTo(200);
    JsonNode bb = between.json();
    for (int i = 0; i < 3; i++) {
      assertThat(bb.path("results").get(i).path("stm_length").asInt()).isEqualTo(1);
      assertThat(bb.path("results").get(i).path("time").asInt()).isEqualTo(6 + i);
    }
    assertThat(bb.path("final_stm_length").asInt()).isEqualTo(1);
    assertThat(bb.path("final_learned_pattern").isNull()).isTrue();
    assertThat(bb.path("auto_learned_patterns").toString()).isEqualTo("[]");
    assertThat(wire.get("/sessions/" + sid + "/stm").json().path("stm").toString()).isEqualTo("[[\"j\"]]");

    // empty observations: nothing happens
    Http.Reply none = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": []}");
    assertThat(none.json().path("observations_processed").asInt()).isEqualTo(0);
    assertThat(none.json().path("initial_stm_length").asInt()).isEqualTo(1);
    assertThat(none.json().path("results").toString()).isEqualTo("[]");
  }

  // ---- §2.3.3 learn, §2.3.5 predictions, §2.4.1 pattern, §2.4.4–6 symbols ---------------------

  @Test
  void learnPredictionsPatternAndSymbols() throws Exception {
    String node = unique("conf-learn");
    String sid = create(node);
    observe(sid, "{\"strings\": [\"hello\"], \"emotives\": {\"joy\": 1}, \"metadata\": {\"book\": \"Alice\"}}");
    observe(sid, "{\"strings\": [\"world\"]}");
    observe(sid, "{\"strings\": [\"test\"]}");
    Http.Reply learned = wire.post("/sessions/" + sid + "/learn", "{}");
    assertThat(learned.status()).isEqualTo(200);
    assertThat(keys(learned.json())).containsExactly("status", "pattern_name", "session_id", "processor_id", "message");
    String name = learned.json().path("pattern_name").asText();
    assertThat(name).matches(PATTERN_NAME);
    assertThat(learned.json().path("status").asText()).isEqualTo("learned");
    assertThat(learned.json().path("processor_id").isNull()).isTrue();
    assertThat(learned.json().path("message").asText()).isEqualTo("Learned pattern " + name + " from 0 events");
    assertThat(wire.get("/sessions/" + sid + "/stm").json().path("length").asInt()).isEqualTo(0);

    // a single symbol learns nothing: "" and still 200, STM cleared
    observe(sid, "{\"strings\": [\"alone\"]}");
    Http.Reply single = wire.post("/sessions/" + sid + "/learn", "{}");
    assertThat(single.status()).isEqualTo(200);
    assertThat(single.json().path("status").asText()).isEqualTo("learned");
    assertThat(single.json().path("pattern_name").asText()).isEqualTo("");
    assertThat(wire.get("/sessions/" + sid + "/stm").json().path("length").asInt()).isEqualTo(0);
    JsonNode empty = assertError(wire.post("/sessions/" + sid + "/learn", "{}"), 400, "EMPTY_STM");
    assertThat(empty.path("detail").asText()).isEqualTo("Cannot learn from empty STM");

    observe(sid, "{\"strings\": [\"hello\"]}");
    observe(sid, "{\"strings\": [\"world\"]}");
    Http.Reply p = wire.get("/sessions/" + sid + "/predictions?unique_id=ignored");
    assertThat(p.status()).isEqualTo(200);
    assertThat(keys(p.json())).containsExactly("predictions", "future_potentials", "session_id", "processor_id", "count",
        "time", "unique_id");
    JsonNode first = p.json().path("predictions").get(0);
    assertThat(first.path("name").asText()).isEqualTo(name.substring("PTRN|".length()));
    assertThat(first.path("future").toString()).isEqualTo("[[\"test\"]]");
    assertThat(first.path("frequency").isInt()).isTrue();
    assertThat(first.path("similarity").isFloatingPointNumber()).isTrue();
    assertThat(first.path("potential").isFloatingPointNumber()).isTrue();
    assertThat(p.json().path("count").asInt()).isEqualTo(p.json().path("predictions").size());
    assertThat(p.json().path("processor_id").isNull()).isTrue();
    assertThat(p.json().path("time").isNull()).isTrue();
    assertThat(p.json().path("unique_id").isNull()).isTrue();
    assertThat(p.json().path("future_potentials").isArray()).isTrue();
    Http.Reply list = wire.get("/sessions/" + sid + "/predictions?format=list");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().isArray()).isTrue();
    assertThat(list.json()).isEqualTo(p.json().path("predictions"));

    // /pattern: with and without prefix, percent-encoded; missing is a 200
    String kb = node.replace('-', '_') + "_kato";
    for (String id : List.of(name.replace("|", "%7C"), name.substring(5), name.replace("|", "%7c"))) {
      Http.Reply found = wire.get("/pattern/" + id + "?node_id=" + node);
      assertThat(found.status()).isEqualTo(200);
      assertThat(found.json().path("pattern").path("status").asText()).as(id).isEqualTo("okay");
      assertThat(found.json().path("node_id").asText()).isEqualTo(kb);
      JsonNode pattern = found.json().path("pattern").path("pattern");
      assertThat(keys(pattern)).containsExactly("name", "pattern_data", "length", "frequency", "emotives", "metadata");
      assertThat(pattern.path("name").asText()).isEqualTo(name);
      assertThat(pattern.path("pattern_data").toString()).isEqualTo("[[\"hello\"],[\"world\"],[\"test\"]]");
      assertThat(pattern.path("length").asInt()).isEqualTo(3);
      assertThat(pattern.path("frequency").asInt()).isEqualTo(1);
      assertThat(pattern.path("emotives").toString()).isEqualTo("[{\"joy\":1.0}]");
      assertThat(pattern.path("metadata").toString()).isEqualTo("{\"book\":[\"Alice\"]}");
    }
    Http.Reply missing = wire.get("/pattern/PTRN%7Cdeadbeef?node_id=" + node);
    assertThat(missing.status()).isEqualTo(200);
    assertThat(missing.json().path("pattern").toString()).isEqualTo(
        "{\"status\":\"error\",\"message\":\"Pattern PTRN|deadbeef not found\"}");
    assertThat(missing.json().path("node_id").asText()).isEqualTo(kb);
    assertThat(wire.get("/pattern/deadbeef?node_id=" + node).json().path("pattern").path("message").asText())
        .isEqualTo("Pattern deadbeef not found");

    // symbols
    Http.Reply stats = wire.get("/symbols/stats?node_id=" + node);
    assertThat(keys(stats.json())).containsExactly("symbols", "node_id");
    assertThat(stats.json().path("node_id").asText()).isEqualTo(kb);
    assertThat(stats.json().path("symbols").path("hello").toString()).isEqualTo(
        "{\"name\":\"hello\",\"frequency\":1,\"pattern_member_frequency\":1}");
    Http.Reply affinity = wire.get("/symbols/affinity?node_id=" + node);
    assertThat(keys(affinity.json())).containsExactly("affinities", "node_id");
    assertThat(affinity.json().path("affinities").path("hello").toString()).isEqualTo("{\"joy\":1.0}");
    Http.Reply one = wire.get("/symbols/world/affinity?node_id=" + node);
    assertThat(one.text()).isEqualTo("{\"symbol\":\"world\",\"affinity\":{\"joy\":1.0},\"node_id\":\"" + kb + "\"}");
    Http.Reply unknown = wire.get("/symbols/nothing-here/affinity?node_id=" + node);
    assertThat(unknown.text()).isEqualTo("{\"symbol\":\"nothing-here\",\"affinity\":{},\"node_id\":\"" + kb + "\"}");
  }

  @Test
  void clearAllWipesTheNodeForEverySession() throws Exception {
    String node = unique("conf-wipe");
    String a = create(node);
    String b = create(node);
    observe(a, "{\"strings\": [\"x\", \"y\"]}");
    observe(a, "{\"strings\": [\"z\"]}");
    String name = learn(a);
    assertThat(wire.get("/pattern/" + name.substring(5) + "?node_id=" + node).json().path("pattern").path("status")
        .asText()).isEqualTo("okay");
    observe(b, "{\"strings\": [\"x\", \"y\"]}");
    assertThat(wire.get("/sessions/" + b + "/predictions").json().path("count").asInt()).isEqualTo(1);

    Http.Reply cleared = wire.post("/sessions/" + a + "/clear-all", "{}");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.text()).isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + a + "\",\"scope\":\"all\"}");
    assertThat(wire.get("/pattern/" + name.substring(5) + "?node_id=" + node).json().path("pattern").path("status")
        .asText()).isEqualTo("error");
    assertThat(wire.get("/symbols/stats?node_id=" + node).json().path("symbols").toString()).isEqualTo("{}");
    assertThat(wire.get("/sessions/" + b + "/predictions").json().path("count").asInt()).as("session b sees the wipe")
        .isEqualTo(0);
    assertThat(wire.get("/sessions/" + a + "/stm").json().path("length").asInt()).isEqualTo(0);
    assertThat(wire.get("/sessions/" + a + "/cognition-data").json().path("cognition_data").path("time").asInt())
        .isEqualTo(0);
  }

  // ---- §1.9 node resolution -------------------------------------------------------------------

  @Test
  void nodeScopedRoutesResolveTheNodeInTheDocumentedOrder() throws Exception {
    assertThat(nodeOf("/symbols/stats?node_id=q_node", "x-test-id", "tid", "X-Node-ID", "hdr")).isEqualTo(
        "q_node_kato");
    assertThat(nodeOf("/symbols/stats", "x-test-id", "tid", "X-Node-ID", "hdr")).isEqualTo("test_tid_kato");
    assertThat(nodeOf("/symbols/stats", "X-Test-Id", "test_already")).isEqualTo("test_already_kato");
    assertThat(nodeOf("/symbols/stats", "x-node-id", "hdr-node")).isEqualTo("hdr_node_kato");
    assertThat(nodeOf("/symbols/stats")).isEqualTo("default_node_kato");
    assertThat(nodeOf("/symbols/affinity", "X-Node-ID", "a.b c")).isEqualTo("a_b_c_kato");
    assertThat(nodeOf("/symbols/s1/affinity", "x-test-id", "t1")).isEqualTo("test_t1_kato");
    assertThat(nodeOf("/pattern/abc", "x-test-id", "t2")).isEqualTo("test_t2_kato");
    Http.Reply percept = wire.get("/percept-data", "X-Node-ID", "legacy");
    assertThat(percept.status()).isEqualTo(200);
    assertThat(percept.json().path("node_id").asText()).isEqualTo("legacy_kato");
    assertThat(percept.json().path("percept_data").toString()).isEqualTo("{}");
    assertThat(percept.json().path("warning").asText()).isEqualTo("This endpoint is deprecated. Use "
        + "/sessions/{session_id}/percept-data for session-aware data.");
    Http.Reply cognition = wire.get("/cognition-data?node_id=legacy");
    assertThat(cognition.status()).isEqualTo(200);
    assertThat(cognition.json().path("node_id").asText()).isEqualTo("legacy_kato");
    assertThat(keys(cognition.json().path("cognition_data"))).startsWith("predictions", "emotives", "symbols",
        "command", "metadata", "path", "strings", "vectors", "short_term_memory");
    assertThat(cognition.json().path("warning").asText()).isEqualTo("This endpoint is deprecated. Use "
        + "/sessions/{session_id}/cognition-data for session-aware data.");
  }

  @Test
  void kbIdsAreDerivedAsUpstreamDoes() throws Exception {
    String special = "a/b\\c.d\"e$f*g<h>i:j|k?l-m n";
    assertThat(nodeOf("/symbols/stats?node_id=" + java.net.URLEncoder.encode(special, StandardCharsets.UTF_8)
        .replace("+", "%20"))).isEqualTo("a_b_c_d_e_f_g_h_i_j_k_l_m_n_kato");
    String emoji = "\uD83D\uDE00".repeat(30);
    assertThat(nodeOf("/symbols/stats?node_id=" + java.net.URLEncoder.encode(emoji, StandardCharsets.UTF_8)))
        .as("lengths count code points").isEqualTo(emoji + "_kato");
    String longId = "n".repeat(70);
    String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
        .digest(longId.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
    assertThat(nodeOf("/symbols/stats?node_id=" + longId)).isEqualTo("n".repeat(46) + "_" + md5 + "_kato");
    assertThat(nodeOf("/symbols/stats?node_id=")).as("the empty node id is a node").isEqualTo("_kato");
  }

  static String nodeOf(String path, String... headers) throws Exception {
    Http.Reply r = wire.get(path, headers);
    assertThat(r.status()).as(path + " " + r.text()).isEqualTo(200);
    return r.json().path("node_id").asText();
  }

  // ---- §2.5 health, status, metrics, count ----------------------------------------------------

  @Test
  void healthIsHealthyWithTheListedFields() throws Exception {
    Http.Reply r = wire.get("/health");
    assertThat(r.status()).isEqualTo(200);
    JsonNode h = r.json();
    assertThat(keys(h)).containsExactly("status", "processor_status", "service_name", "uptime_seconds", "issues",
        "metrics_collected", "last_collection", "active_sessions", "timestamp", "processor_id", "uptime",
        "memory_usage");
    assertThat(h.path("status").asText()).isEqualTo("healthy");
    assertThat(h.path("processor_status").asText()).isEqualTo("healthy");
    assertThat(h.path("service_name").asText()).isEqualTo("kato");
    assertThat(h.path("uptime_seconds").isFloatingPointNumber()).isTrue();
    assertThat(h.path("uptime_seconds").asDouble()).isPositive();
    assertThat(h.path("issues").toString()).isEqualTo("[]");
    assertThat(h.path("metrics_collected").isInt()).isTrue();
    assertThat(h.path("last_collection").isFloatingPointNumber()).isTrue();
    assertThat(h.path("last_collection").asDouble()).isBetween(Instant.now().getEpochSecond() - 600.0,
        Instant.now().getEpochSecond() + 1.0);
    assertThat(h.path("active_sessions").isIntegralNumber()).isTrue();
    assertThat(h.path("timestamp").asText()).matches(EVENT_TIME);
    assertThat(h.path("processor_id").asText()).isEqualTo("kato");
    assertThat(h.path("uptime").isFloatingPointNumber()).isTrue();
    assertThat(h.path("memory_usage").isIntegralNumber()).isTrue();
  }

  @Test
  void statusHasTheV3Fields() throws Exception {
    Http.Reply r = wire.get("/status", "X-Node-ID", "conf-status-node");
    assertThat(r.status()).isEqualTo(200);
    JsonNode s = r.json();
    assertThat(keys(s)).containsSubsequence("status", "base_processor_id", "uptime_seconds", "sessions", "processors",
        "version", "processor_id", "processor_name", "uptime", "stm_length", "time");
    assertThat(s.path("status").asText()).isEqualTo("healthy");
    assertThat(s.path("base_processor_id").asText()).isEqualTo("kato");
    assertThat(s.path("uptime_seconds").isFloatingPointNumber()).isTrue();
    assertThat(keys(s.path("sessions"))).contains("total_sessions", "active_sessions", "expired_sessions", "backend",
        "redis_url");
    assertThat(s.path("sessions").path("active_sessions").isIntegralNumber()).isTrue();
    assertThat(s.path("sessions").path("active_sessions").asLong()).isEqualTo(count());
    assertThat(s.path("sessions").path("expired_sessions").asInt()).isEqualTo(0);
    assertThat(s.path("sessions").path("backend").asText()).isEqualTo("memory");
    assertThat(s.path("sessions").path("redis_url").isTextual()).isTrue();
    assertThat(keys(s.path("processors"))).containsExactly("total_processors", "max_processors",
        "eviction_ttl_seconds", "processors");
    assertThat(s.path("processors").path("max_processors").asInt()).isEqualTo(100);
    assertThat(s.path("version").asText()).isEqualTo("3.10.1");
    assertThat(s.path("processor_id").asText()).isEqualTo("conf-status-node");
    assertThat(s.path("processor_name").asText()).isEqualTo("KatoProcessor");
    assertThat(s.path("uptime").isFloatingPointNumber()).isTrue();
    assertThat(s.path("stm_length").isInt()).isTrue();
    assertThat(s.path("time").isInt()).isTrue();
    assertThat(s.path("workers").toString()).isEqualTo("{\"total\":1,\"live\":1}");
  }

  @Test
  void ingestStatsAnswersTheIdleConsumer() throws Exception {
    Http.Reply r = wire.get("/ingest/stats");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().toString()).isEqualTo("{\"broker\":\"none\",\"running\":false,\"consumed\":0,"
        + "\"applied\":0,\"duplicates\":0,\"dead_lettered\":0,\"retries\":0,\"lag\":0}");
  }

  @Test
  void metricsAreFreshAndCountEveryRequest() throws Exception {
    Http.Reply first = wire.get("/metrics");
    assertThat(first.status()).isEqualTo(200);
    Thread.sleep(1000);
    Http.Reply second = wire.get("/metrics");
    JsonNode a = first.json();
    JsonNode b = second.json();
    assertThat(keys(b)).containsSubsequence("timestamp", "sessions", "performance", "resources", "databases", "rates",
        "processor_manager", "uptime_seconds", "active_sessions", "error");
    assertThat(b.path("performance").path("total_requests").isFloatingPointNumber()).isTrue();
    assertThat(b.path("performance").path("total_requests").asDouble())
        .isGreaterThan(a.path("performance").path("total_requests").asDouble());
    assertThat(b.path("performance").path("average_response_time").asDouble()).isGreaterThan(0.0);
    assertThat(b.path("timestamp").asDouble()).isGreaterThan(a.path("timestamp").asDouble());
    assertThat(keys(b.path("performance"))).containsExactly("total_requests", "total_errors", "error_rate",
        "average_response_time");
    assertThat(keys(b.path("sessions"))).containsExactly("total_created", "total_deleted", "active",
        "operations_total");
    assertThat(b.path("sessions").path("total_created").isFloatingPointNumber()).isTrue();
    assertThat(keys(b.path("resources"))).containsExactly("cpu_percent", "memory_percent", "disk_percent");
    for (String resource : List.of("cpu_percent", "memory_percent", "disk_percent")) {
      assertThat(b.path("resources").path(resource).isNumber()).isTrue();
      assertThat(b.path("resources").path(resource).asDouble()).as(resource).isBetween(0.0, 100.0);
    }
    assertThat(keys(b.path("databases"))).containsSubsequence("clickhouse", "qdrant", "redis");
    assertThat(b.path("databases").path("redis").toString()).isEqualTo(
        "{\"operations\":0.0,\"errors\":0.0,\"avg_response_time\":0.0}");
    assertThat(keys(b.path("rates"))).containsSubsequence("requests_per_second", "requests_per_minute",
        "errors_per_minute");
    assertThat(b.path("uptime_seconds").isNull()).isTrue();
    assertThat(b.path("active_sessions").isNull()).isTrue();
    assertThat(b.path("error").isNull()).isTrue();
    for (String counter : List.of("observations_processed", "patterns_learned", "predictions_generated", "stm_size")) {
      assertThat(b.path(counter).isIntegralNumber()).as(counter).isTrue();
    }
  }

  @Test
  void sessionsPerMinuteCountsASessionCreatedFirstInItsSecond() throws Exception {
    double before = wire.get("/metrics").json().path("rates").path("sessions_per_minute").asDouble();
    // the create is then the first request of its one-second bucket
    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
    String sid = create("conf-rate");
    double after = wire.get("/metrics").json().path("rates").path("sessions_per_minute").asDouble();
    assertThat(after).isGreaterThanOrEqualTo(before + 1.0);
    wire.delete("/sessions/" + sid);
  }

  @Test
  void sessionCountIsExactAfterCreatingAndDeletingFive() throws Exception {
    long before = count();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(create("conf-count-" + i));
    }
    assertThat(count()).isEqualTo(before + 5);
    for (String id : ids) {
      assertThat(wire.delete("/sessions/" + id).status()).isEqualTo(200);
    }
    assertThat(count()).isEqualTo(before);
  }

  // ---- §1.1, §1.5, §2.2.9, §2.7 routing -------------------------------------------------------

  @Test
  void aTrailingSlashIsIgnoredExceptUnderSessions() throws Exception {
    Http.Reply created = wire.send("POST", "/sessions/", "{\"node_id\": \"conf-slash\"}", "Content-Type", JSON,
        "Origin", "http://client.example");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    assertThat(created.json().path("session_id").asText()).matches(SESSION_ID);
    assertThat(created.header("X-Trace-ID")).matches(TRACE_ID);
    assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo("http://client.example");
    assertThat(created.header("Content-Type")).isEqualTo(JSON);
    Http.Reply health = wire.get("/health/", "X-Trace-ID", "slash-trace");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("X-Trace-ID")).isEqualTo("slash-trace");

    JsonNode count = assertError(wire.get("/sessions/count/"), 404, "SESSION_NOT_FOUND");
    assertThat(count.path("detail").asText()).isEqualTo("Session count not found or expired");
    assertError(wire.send("POST", "/sessions/count/", "{}", "Content-Type", JSON), 404, "SESSION_NOT_FOUND");
    assertError(wire.get("/sessions/no-such-session/stm/"), 404, "SESSION_NOT_FOUND");
    String sid = created.json().path("session_id").asText();
    Http.Reply stm = wire.get("/sessions/" + sid + "/stm/");
    assertThat(stm.status()).isEqualTo(200);
    assertThat(stm.header("X-Session-ID")).isEqualTo(sid);
    assertThat(stm.header("X-Trace-ID")).matches(TRACE_ID);
  }

  @Test
  void methodNotAllowedAndUnknownRoutes() throws Exception {
    JsonNode e = assertError(wire.get("/sessions"), 405, "METHOD_NOT_ALLOWED");
    assertThat(e.path("detail").asText()).isEqualTo("Method Not Allowed");
    Http.Reply r = wire.get("/sessions");
    assertThat(r.header("Allow")).isNotNull();
    assertThat(r.header("Allow").replace(" ", "").split(",")).containsExactly("POST");
    Http.Reply putHealth = wire.send("PUT", "/health", "{}", "Content-Type", JSON);
    assertError(putHealth, 405, "METHOD_NOT_ALLOWED");
    assertThat(putHealth.header("Allow")).contains("GET");

    Http.Reply unknown = wire.get("/no/such/route");
    JsonNode nf = assertError(unknown, 404, "NOT_FOUND");
    assertThat(nf.path("detail").asText()).isEqualTo("Not Found");
    assertThat(nf.path("error").path("message").asText()).isEqualTo("Not Found");
    assertThat(nf.path("error").path("details").toString()).isEqualTo("{}");

    JsonNode test = assertError(wire.get("/sessions/test/abc"), 404, "SESSION_NOT_FOUND");
    assertThat(test.path("error").path("session_id").asText()).isEqualTo("test");
    assertError(wire.get("/sessions/no-such-session/no-such-route"), 404, "SESSION_NOT_FOUND");
  }

  // ---- §1.2, §1.7 headers ---------------------------------------------------------------------

  @Test
  void traceIdsAreGeneratedOrEchoed() throws Exception {
    Http.Reply generated = wire.get("/health");
    assertThat(generated.header("X-Trace-ID")).matches(TRACE_ID);
    assertThat(wire.get("/health").header("X-Trace-ID")).isNotEqualTo(generated.header("X-Trace-ID"));
    Http.Reply echoed = wire.get("/no-such-route", "X-Trace-ID", "client-trace-123");
    assertThat(echoed.header("X-Trace-ID")).isEqualTo("client-trace-123");
    assertThat(echoed.json().path("error").path("trace_id").asText()).isEqualTo("client-trace-123");
    Http.Reply requestId = wire.get("/no-such-route", "X-Request-ID", "req-456");
    assertThat(requestId.header("X-Request-ID")).isEqualTo("req-456");
    assertThat(requestId.header("X-Trace-ID")).isEqualTo("req-456");
    Http.Reply sessionEcho = wire.get("/health", "X-Session-ID", "echo-me");
    assertThat(sessionEcho.header("X-Session-ID")).isEqualTo("echo-me");
    Http.Reply cookieEcho = wire.get("/health", "Cookie", "theme=dark; session_id=from-cookie");
    assertThat(cookieEcho.header("X-Session-ID")).isEqualTo("from-cookie");
    assertThat(wire.get("/health").header("X-Session-ID")).isNull();
  }

  @Test
  void sessionRoutesCarryXSessionId() throws Exception {
    String sid = create("conf-xsid");
    for (String path : List.of("/stm", "/config", "/percept-data", "/cognition-data", "/predictions")) {
      Http.Reply r = wire.get("/sessions/" + sid + path);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("X-Session-ID")).as(path).isEqualTo(sid);
    }
    assertThat(wire.post("/sessions/" + sid + "/observe", "{}").header("X-Session-ID")).isEqualTo(sid);
    assertThat(wire.post("/sessions/" + sid + "/clear-stm", "{}").header("X-Session-ID")).isEqualTo(sid);
  }

  @Test
  void corsEchoesTheOriginAndAnswersPreflights() throws Exception {
    Http.Reply r = wire.get("/health", "Origin", "http://app.example:3000");
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("http://app.example:3000");
    assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(r.raw().headers().allValues("Vary")).anyMatch(v -> v.contains("Origin"));
    Http.Reply error = wire.get("/no-such-route", "Origin", "http://app.example:3000");
    assertThat(error.header("Access-Control-Allow-Origin")).isEqualTo("http://app.example:3000");

    Http.Reply preflight = wire.send("OPTIONS", "/sessions", null, "Origin", "http://app.example:3000",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-test-id");
    assertThat(preflight.status()).isEqualTo(200);
    assertThat(preflight.text()).isEqualTo("OK");
    assertThat(preflight.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://app.example:3000");
    assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET", "POST", "DELETE", "OPTIONS");
    assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("content-type,x-test-id");
    assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
    Http.Reply sessionPreflight = wire.send("OPTIONS", "/sessions/unknown-session/observe", null, "Origin",
        "http://app.example:3000", "Access-Control-Request-Method", "POST");
    assertThat(sessionPreflight.status()).as("a preflight is not a session access").isEqualTo(200);
  }

  @Test
  void jsonIsUtf8WithoutCharsetAndNonAsciiIsRaw() throws Exception {
    Http.Reply r = wire.post("/sessions", "{\"node_id\": \"conf-ünï\", \"metadata\": {\"city\": \"Zürich 東京 😀\"}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.text()).contains("\"city\":\"Zürich 東京 😀\"").contains("\"node_id\":\"conf-ünï\"")
        .doesNotContain("\\u");
    String sid = r.json().path("session_id").asText();
    observe(sid, "{\"strings\": [\"ß\", \"日本\"]}");
    Http.Reply stm = wire.get("/sessions/" + sid + "/stm");
    assertThat(stm.text()).contains("[\"ß\",\"日本\"]");
    for (String path : List.of("/health", "/status", "/metrics", "/sessions/count", "/")) {
      assertThat(wire.get(path).header("Content-Type")).as(path).isEqualTo("application/json");
    }
    assertThat(wire.get("/nope").header("Content-Type")).isEqualTo("application/json");
  }

  // ---- §2.3.1 vectors, §2.3.10, §2.1 ---------------------------------------------------------

  @Test
  void aVectorOfTheWrongDimensionIs400WithTheUpstreamDetailAndChangesNothing() throws Exception {
    String node = unique("conf-vector");
    String sid = create(node);
    observe(sid, "{\"vectors\": [[1.0, 2.0, 3.0, 4.0]]}");
    observe(sid, "{\"strings\": [\"v\"]}");
    assertThat(learn(sid)).matches(PATTERN_NAME);
    observe(sid, "{\"strings\": [\"kept\"]}");
    Http.Reply r = wire.post("/sessions/" + sid + "/observe", "{\"strings\": [\"no\"], \"vectors\": "
        + "[[1, 2, 3, 4, 5]]}");
    JsonNode e = assertError(r, 400, "VECTOR_DIMENSION_ERROR");
    JsonNode detail = e.path("detail");
    assertThat(keys(detail)).containsExactly("error", "message", "expected_dimension", "actual_dimension",
        "vector_name");
    assertThat(detail.path("error").asText()).isEqualTo("VectorDimensionError");
    assertThat(detail.path("expected_dimension").isInt()).isTrue();
    assertThat(detail.path("expected_dimension").asInt()).isEqualTo(4);
    assertThat(detail.path("actual_dimension").asInt()).isEqualTo(5);
    assertThat(detail.path("vector_name").asText()).matches("VCTR\\|[0-9a-f]{40}");
    assertThat(detail.path("message").asText()).isEqualTo("Vector dimension mismatch: expected 4D, got 5D for vector '"
        + detail.path("vector_name").asText() + "'");
    assertThat(e.path("error").path("message").asText()).isEqualTo(detail.path("message").asText());
    assertThat(e.path("error").path("details").path("expected_dimension").asInt()).isEqualTo(4);
    Http.Reply mixed = wire.post("/sessions/" + sid + "/observe", "{\"vectors\": [[1, 2], [1, 2, 3]]}");
    assertError(mixed, 400, "VECTOR_DIMENSION_ERROR");
    assertThat(wire.get("/sessions/" + sid + "/stm").json().path("stm").toString()).isEqualTo("[[\"kept\"]]");
    assertThat(wire.get("/sessions/" + sid + "/cognition-data").json().path("cognition_data").path("time").asInt())
        .isEqualTo(3);
    // a sequence is checked as a whole before anything is applied
    Http.Reply seq = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": [{\"strings\": "
        + "[\"s\"]}, {\"vectors\": [[1, 2, 3]]}], \"learn_at_end\": true}");
    assertError(seq, 400, "VECTOR_DIMENSION_ERROR");
    assertThat(seq.json().path("detail").path("actual_dimension").asInt()).isEqualTo(3);
    assertThat(wire.get("/sessions/" + sid + "/stm").json().path("stm").toString()).isEqualTo("[[\"kept\"]]");
  }

  @Test
  void aSequenceDimensionErrorNamesTheObservationIndex() throws Exception {
    String sid = create(unique("conf-vector-seq"));
    observe(sid, "{\"vectors\": [[1.0, 2.0]], \"strings\": [\"w\"]}");
    learn(sid);
    Http.Reply seq = wire.post("/sessions/" + sid + "/observe-sequence", "{\"observations\": [{\"strings\": "
        + "[\"s\"]}, {\"vectors\": [[1, 2]]}, {\"vectors\": [[1, 2, 3]]}]}");
    JsonNode e = assertError(seq, 400, "VECTOR_DIMENSION_ERROR");
    assertThat(e.path("detail").path("observation_index").isInt()).isTrue();
    assertThat(e.path("detail").path("observation_index").asInt()).isEqualTo(2);
  }

  @Test
  void finalizeTrainingAndTheServiceRoot() throws Exception {
    String node = unique("conf-finalize");
    String sid = create(node);
    observe(sid, "{\"strings\": [\"a\", \"b\"]}");
    learn(sid);
    Http.Reply r = wire.send("POST", "/sessions/" + sid + "/finalize-training", null);
    assertThat(r.status()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(keys(b)).containsExactly("status", "patterns_processed", "time_ms", "session_id", "node_id", "message");
    assertThat(b.path("status").asText()).isEqualTo("completed");
    assertThat(b.path("patterns_processed").isInt()).isTrue();
    assertThat(b.path("patterns_processed").asInt()).isEqualTo(1);
    assertThat(b.path("time_ms").isFloatingPointNumber()).isTrue();
    assertThat(b.path("session_id").asText()).isEqualTo(sid);
    assertThat(b.path("node_id").asText()).isEqualTo(node);
    assertThat(b.path("message").asText()).startsWith("Computed Shannon entropy and TF vectors for 1 patterns in ")
        .endsWith("ms");

    Http.Reply root = wire.get("/");
    assertThat(root.status()).isEqualTo(200);
    JsonNode o = root.json();
    assertThat(keys(o)).containsSubsequence("service", "version", "description", "docs", "health", "status",
        "uptime_seconds", "architecture", "session_support");
    assertThat(o.path("service").asText()).isEqualTo("KATO API");
    assertThat(o.path("version").asText()).isEqualTo("3.10.1");
    assertThat(o.path("description").asText()).isEqualTo(
        "Knowledge Abstraction for Traceable Outcomes with Multi-User Support");
    assertThat(o.path("docs").asText()).isEqualTo("/docs");
    assertThat(o.path("health").asText()).isEqualTo("/health");
    assertThat(o.path("status").asText()).isEqualTo("running");
    assertThat(o.path("uptime_seconds").isFloatingPointNumber()).isTrue();
    assertThat(o.path("architecture").asText()).isEqualTo("modular");
    assertThat(o.path("session_support").asBoolean()).isTrue();
    Http.Reply openapi = wire.get("/openapi.json");
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.json().path("openapi").asText()).startsWith("3.");
    assertThat(openapi.json().path("paths").has("/sessions")).isTrue();
    assertThat(openapi.json().path("paths").path("/percept-data").path("get").path("deprecated").asBoolean()).isTrue();
  }

  // ---- /ws get_predictions ---------------------------------------------------------------------

  /** The session socket answers with the predictions GET shows (both pass the worker's JSON on). */
  @Test
  void theSessionSocketAnswersThePredictionsTheRestRouteShows() throws Exception {
    String node = unique("wspred");
    String learner = create(node);
    for (String symbol : new String[] {"a", "b", "é\uD83D\uDE00"}) {
      observe(learner, "{\"strings\": [\"" + symbol + "\"]}");
    }
    learn(learner);
    String sid = create(node);
    observe(sid, "{\"strings\": [\"a\"]}");
    observe(sid, "{\"strings\": [\"b\"]}");
    Http.Reply rest = wire.get("/sessions/" + sid + "/predictions");
    assertThat(rest.json().path("predictions")).hasSize(1);

    CompletableFuture<String> answer = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + cluster.gatewayPort() + "/ws?session_id=" + sid),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data,
                  boolean last) {
                text.append(data);
                if (last) {
                  answer.complete(text.toString());
                }
                ws.request(1);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    socket.sendText("{\"type\": \"get_predictions\", \"id\": 7}", true);
    JsonNode reply = JsonValues.mapper()
        .readTree(answer.get(10, TimeUnit.SECONDS));
    socket.abort();

    assertThat(reply.path("type").asText()).isEqualTo("predictions");
    assertThat(reply.path("id").asInt()).isEqualTo(7);
    assertThat(reply.path("data").path("predictions")).isEqualTo(rest.json().path("predictions"));
    assertThat(reply.path("data").path("future_potentials")).isEqualTo(rest.json().path("future_potentials"));
    assertThat(reply.path("data").path("processor_id").asText()).isEqualTo(node);
    assertThat(reply.path("data").path("count").asInt()).isEqualTo(1);
  }

  // ---- §4.1 /ws/events ------------------------------------------------------------------------

  @Test
  void eventStreamClosesOnBinaryFrames() throws Exception {
    try (Wire.Events events = wire.events("/ws/events")) {
      assertThat(events.next(5000)).contains("state.snapshot");
      events.socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
      assertThat(events.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1003);
    }
  }

  @Test
  void eventStreamSendsSnapshotPongAndSessionEvents() throws Exception {
    long active = count();
    try (Wire.Events events = wire.events("/ws/events")) {
      String snapshotText = events.next(5000);
      assertThat(snapshotText).isNotNull();
      JsonNode snapshot = Wire.MAPPER.readTree(snapshotText);
      assertThat(keys(snapshot)).containsExactly("event_type", "timestamp", "data");
      assertThat(snapshot.path("event_type").asText()).isEqualTo("state.snapshot");
      assertThat(snapshot.path("timestamp").asText()).matches(NAIVE_TIME);
      assertThat(snapshot.path("data").toString()).isEqualTo("{\"active_sessions\":" + active
          + ",\"system_status\":\"healthy\"}");

      events.send("ping");
      assertThat(events.next(5000)).isEqualTo("pong");
      events.send("something else");
      // implicit node sessions emit nothing
      assertThat(wire.post("/observe?node_id=test_ws_implicit", "{\"strings\": [\"i\"]}").status()).isEqualTo(200);

      Http.Reply created = wire.post("/sessions", "{\"node_id\": \"test_ws_node\", \"ttl_seconds\": 60}");
      String sid = created.json().path("session_id").asText();
      JsonNode event = Wire.MAPPER.readTree(events.next(5000));
      assertThat(keys(event)).containsExactly("event_type", "timestamp", "data");
      assertThat(event.path("event_type").asText()).isEqualTo("session.created");
      assertThat(event.path("timestamp").asText()).matches(EVENT_TIME);
      assertThat(keys(event.path("data"))).containsExactly("session_id", "node_id", "created_at");
      assertThat(event.path("data").path("session_id").asText()).isEqualTo(sid);
      assertThat(event.path("data").path("node_id").asText()).isEqualTo("test_ws_node");
      assertThat(event.path("data").path("created_at").asText()).matches(EVENT_TIME);
      String createdAt = created.json().path("created_at").asText();
      assertThat(Instant.parse(event.path("data").path("created_at").asText().replace("+00:00", "Z")))
          .isEqualTo(Instant.parse(createdAt));

      // an idempotent re-create of a client-chosen id emits nothing; its first create does
      String chosen = unique("ws-chosen");
      wire.post("/sessions", "{\"node_id\": \"test_ws_node\", \"session_id\": \"" + chosen + "\"}");
      assertThat(Wire.MAPPER.readTree(events.next(5000)).path("data").path("session_id").asText()).isEqualTo(chosen);
      wire.post("/sessions", "{\"node_id\": \"test_ws_node\", \"session_id\": \"" + chosen + "\"}");
      // other session traffic emits nothing either
      observe(sid, "{\"strings\": [\"quiet\"]}");

      assertThat(wire.delete("/sessions/" + sid).status()).isEqualTo(200);
      JsonNode destroyed = Wire.MAPPER.readTree(events.next(5000));
      assertThat(destroyed.path("event_type").asText()).isEqualTo("session.destroyed");
      assertThat(destroyed.path("timestamp").asText()).matches(EVENT_TIME);
      assertThat(keys(destroyed.path("data"))).containsExactly("session_id", "destroyed_at", "reason");
      assertThat(destroyed.path("data").path("session_id").asText()).isEqualTo(sid);
      assertThat(destroyed.path("data").path("destroyed_at").asText()).matches(EVENT_TIME);
      assertThat(destroyed.path("data").path("reason").asText()).isEqualTo("explicit_delete");
      // a failed delete emits nothing
      assertThat(wire.delete("/sessions/" + sid).status()).isEqualTo(404);
      assertThat(wire.delete("/sessions/" + chosen).status()).isEqualTo(200);
      JsonNode second = Wire.MAPPER.readTree(events.next(5000));
      assertThat(second.path("data").path("session_id").asText()).isEqualTo(chosen);
      assertThat(events.next(500)).as("no unsolicited frames").isNull();
    }
  }
}
