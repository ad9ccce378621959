package io.kato.worker.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The legacy methods of API.md §5.4 on the node's implicit session, and with an explicit
 * {@code session_id} (then they add {@code result}, the v3 body).
 */
class ZmqLegacyMethodsTest extends ZmqFixture {

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The fields a legacy client reads: the reply without the v3 {@code result}. */
  private static JsonNode legacy(JsonNode reply) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = reply.deepCopy();
    copy.remove("result");
    return copy;
  }

  private static final String IMPLICIT = "__node__:default_node";

  @Test
  void getName() {
    JsonNode reply = ok("get_name", Map.of());
    assertThat(keys(reply)).containsExactly("status", "message", "id", "interval", "time_stamp");
    assertThat(reply.get("message").textValue()).isEqualTo("KatoProcessor");
    assertThat(reply.get("id").textValue()).isEqualTo("default_node");
    assertThat(reply.get("interval").intValue()).isZero();
    assertThat(reply.get("time_stamp").isDouble()).isTrue();
    ok("observe", map("strings", List.of("a")));
    assertThat(ok("get_name", Map.of()).get("interval").intValue()).isEqualTo(1);
  }

  @Test
  void observe() {
    JsonNode reply = ok("observe", map("strings", List.of("world", "hello"), "vectors", List.of(),
        "emotives", Map.of()));
    assertThat(keys(reply)).containsExactly("status", "message", "short_term_memory", "id", "interval",
        "time_stamp", "unique_id", "result");
    assertThat(reply.get("result").get("session_id").textValue()).isEqualTo(IMPLICIT);
    assertThat(reply.get("result").get("processor_id").textValue()).isEqualTo("default_node");
    assertThat(reply.get("result").get("time").intValue()).isEqualTo(1);
    assertThat(reply.get("message").textValue()).isEqualTo("observed");
    assertThat(reply.get("short_term_memory").toString()).isEqualTo("[[\"hello\",\"world\"]]");
    assertThat(reply.get("id").textValue()).isEqualTo("default_node");
    assertThat(reply.get("interval").intValue()).isEqualTo(1);
    assertThat(reply.get("time_stamp").isDouble()).isTrue();
    assertThat(reply.get("unique_id").textValue()).matches("obs-[0-9a-f]{32}");

    reply = ok("observe", map("strings", List.of("again"), "unique_id", "client-1"));
    assertThat(reply.get("unique_id").textValue()).isEqualTo("client-1");
    // the client's id reaches the engine, so the v3 body carries it too (as over gRPC)
    assertThat(reply.get("result").get("unique_id").textValue()).isEqualTo("client-1");
    assertThat(reply.get("interval").intValue()).isEqualTo(2);
    assertThat(reply.get("short_term_memory").size()).isEqualTo(2);
  }

  @Test
  void anEmptyObservationAdvancesTimeOnly() {
    JsonNode reply = ok("observe", Map.of());
    assertThat(reply.get("short_term_memory").size()).isZero();
    assertThat(reply.get("interval").intValue()).isEqualTo(1);
  }

  @Test
  void observeValidationErrorsAreThe422Items() {
    JsonNode reply = error("VALIDATION_ERROR", 422, "observe",
        map("strings", java.util.Arrays.asList("ok", null, 3), "emotives", map("joy", "high")), "id", "v1");
    assertThat(reply.get("message").textValue()).isEqualTo("Request validation failed");
    JsonNode errors = reply.get("details").get("validation_errors");
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0).toString())
        .isEqualTo("{\"field\":\"body.strings.1\",\"message\":\"Input should be a valid string\",\"type\":\"string_type\"}");
    assertThat(errors.get(2).get("field").textValue()).isEqualTo("body.emotives.joy");
    assertThat(errors.get(2).get("type").textValue()).isEqualTo("float_parsing");
    JsonNode detail = reply.get("detail");
    assertThat(detail.get(0).toString()).isEqualTo(
        "{\"type\":\"string_type\",\"loc\":[\"body\",\"strings\",1],\"msg\":\"Input should be a valid string\",\"input\":null}");
    assertThat(reply.get("id").textValue()).isEqualTo("v1");
    // nothing was applied
    assertThat(ok("get_stm", Map.of()).get("short_term_memory").size()).isZero();
    assertThat(ok("get_name", Map.of()).get("interval").intValue()).isZero();
  }

  @Test
  void emotivesComeBackAsFloatsAndVectorsBecomeSymbols() {
    ok("observe", map("strings", List.of("a"), "vectors", List.of(List.of(1, 0, 0)), "emotives", map("energy", 10)));
    JsonNode percept = ok("get_percept_data", Map.of()).get("percept_data");
    assertThat(percept.get("emotives").get("energy").isDouble()).isTrue();
    assertThat(percept.get("emotives").toString()).isEqualTo("{\"energy\":10.0}");
    assertThat(percept.get("vectors").toString()).isEqualTo("[[1.0,0.0,0.0]]");
    JsonNode stm = ok("get_stm", Map.of()).get("short_term_memory");
    assertThat(stm.get(0).get(0).textValue()).startsWith("VCTR|");
    assertThat(stm.get(0).get(1).textValue()).isEqualTo("a");
  }

  @Test
  void nonFiniteNumbersAreRejected() {
    JsonNode reply = error("VALIDATION_ERROR", 422, "observe",
        map("vectors", List.of(List.of(1.0, Double.NaN)), "emotives", map("x", Double.POSITIVE_INFINITY)));
    assertThat(reply.get("detail").findValuesAsText("type")).containsExactly("finite_number", "finite_number");
    assertThat(reply.get("details").get("validation_errors").findValuesAsText("field"))
        .containsExactly("body.vectors.0.1", "body.emotives.x");
  }

  @Test
  void learnAndTheEmptyStm() {
    ok("observe", map("strings", List.of("hello")));
    ok("observe", map("strings", List.of("world")));
    JsonNode learned = ok("learn", map("learning_flag", true, "manual_flag", false, "auto_act_flag", false));
    assertThat(keys(learned)).containsExactly("status", "pattern_name", "message", "empty_stm", "id", "interval",
        "time_stamp", "result");
    assertThat(learned.get("result").get("session_id").textValue()).isEqualTo(IMPLICIT);
    String name = learned.get("pattern_name").textValue();
    assertThat(name).matches("PTRN\\|[0-9a-f]{40}");
    assertThat(learned.get("message").textValue()).isEqualTo(name);
    assertThat(learned.get("empty_stm").booleanValue()).isFalse();
    assertThat(learned.get("interval").intValue()).isEqualTo(2);
    assertThat(ok("get_stm", Map.of()).get("short_term_memory").size()).isZero();

    JsonNode empty = ok("learn", Map.of());
    assertThat(empty.get("pattern_name").textValue()).isEmpty();
    assertThat(empty.get("message").textValue()).isEmpty();
    assertThat(empty.get("empty_stm").booleanValue()).isTrue();
    assertThat(empty.get("id").textValue()).isEqualTo("default_node");
    assertThat(empty.get("interval").intValue()).isEqualTo(2);
    assertThat(empty.has("result")).as("no v3 success body for an empty STM").isFalse();

    // a single symbol: learned without a pattern
    ok("observe", map("strings", List.of("solo")));
    JsonNode single = ok("learn", Map.of());
    assertThat(single.get("pattern_name").textValue()).isEmpty();
    assertThat(single.get("empty_stm").booleanValue()).isFalse();
  }

  @Test
  void predictionsCarryThePatternPrefix() {
    ok("observe", map("strings", List.of("a")));
    ok("observe", map("strings", List.of("b")));
    ok("observe", map("strings", List.of("c")));
    String name = ok("learn", Map.of()).get("pattern_name").textValue();
    ok("observe", map("strings", List.of("a")));
    ok("observe", map("strings", List.of("b")));
    JsonNode reply = ok("get_predictions", map("unique_id", "ignored"));
    assertThat(keys(reply)).containsExactly("status", "predictions", "future_potentials", "count", "result");
    assertThat(reply.get("count").intValue()).isEqualTo(1);
    JsonNode prediction = reply.get("predictions").get(0);
    assertThat(prediction.get("name").textValue()).isEqualTo(name);
    assertThat(prediction.get("future").toString()).isEqualTo("[[\"c\"]]");
    assertThat(prediction.get("frequency").isInt()).isTrue();
    assertThat(prediction.get("potential").isDouble()).isTrue();
    assertThat(reply.get("future_potentials").get(0).get("aggregate_potential").isDouble()).isTrue();
    // the v3 body keeps the bare hash and names the implicit session
    assertThat(reply.get("result").get("predictions").get(0).get("name").textValue()).isEqualTo(name.substring(5));
    assertThat(reply.get("result").get("session_id").textValue()).isEqualTo(IMPLICIT);
  }

  @Test
  void clearStmAndItsAlias() {
    for (String method : List.of("clear_stm", "clear_short_term_memory")) {
      ok("observe", map("strings", List.of("a", "b"), "emotives", map("joy", 1.0)));
      JsonNode reply = ok(method, Map.of());
      assertThat(legacy(reply).toString()).isEqualTo("{\"status\":\"okay\",\"message\":\"stm-cleared\"}");
      assertThat(reply.get("result").toString())
          .isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + IMPLICIT + "\"}");
      assertThat(ok("get_stm", Map.of()).get("short_term_memory").size()).isZero();
      assertThat(ok("get_name", Map.of()).get("interval").intValue()).isZero();
      assertThat(ok("get_percept_data", Map.of()).get("percept_data").toString()).isEqualTo("{}");
    }
  }

  @Test
  void clearAllAndItsAliasWipeTheNode() {
    for (String method : List.of("clear_all", "clear_all_memory")) {
      ok("observe", map("strings", List.of("a", "b")));
      String name = ok("learn", Map.of()).get("pattern_name").textValue();
      ok("get_pattern", map("pattern_id", name));
      JsonNode reply = ok(method, Map.of());
      assertThat(legacy(reply).toString()).isEqualTo("{\"status\":\"okay\",\"message\":\"all-cleared\"}");
      assertThat(reply.get("result").toString())
          .isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + IMPLICIT + "\",\"scope\":\"all\"}");
      error("PATTERN_NOT_FOUND", 404, "get_pattern", map("pattern_id", name));
    }
  }

  @Test
  void stmAndItsAlias() {
    ok("observe", map("strings", List.of("b", "a")));
    ok("observe", map("strings", List.of("c")));
    for (String method : List.of("get_stm", "get_short_term_memory")) {
      JsonNode reply = ok(method, Map.of());
      assertThat(legacy(reply).toString())
          .isEqualTo("{\"status\":\"okay\",\"short_term_memory\":[[\"a\",\"b\"],[\"c\"]]}");
      assertThat(reply.get("result").toString())
          .isEqualTo("{\"stm\":[[\"a\",\"b\"],[\"c\"]],\"session_id\":\"" + IMPLICIT + "\",\"length\":2}");
    }
  }

  @Test
  void perceptAndCognitionData() {
    JsonNode none = ok("get_percept_data", Map.of());
    assertThat(legacy(none).toString()).isEqualTo("{\"status\":\"okay\",\"percept_data\":{}}");
    assertThat(none.get("result").toString())
        .isEqualTo("{\"percept_data\":{},\"session_id\":\"" + IMPLICIT + "\",\"node_id\":\"default_node\"}");
    ok("observe", map("strings", List.of("foo", "bar"), "emotives", map("anger", 0.6), "metadata", map("k", "v")));
    JsonNode percept = ok("get_percept_data", Map.of()).get("percept_data");
    assertThat(percept.toString()).isEqualTo("{\"strings\":[\"bar\",\"foo\"],\"vectors\":[],\"emotives\":{\"anger\":0.6},"
        + "\"path\":[],\"metadata\":{\"k\":\"v\"}}");
    JsonNode cognition = ok("get_cognition_data", Map.of()).get("cognition_data");
    assertThat(keys(cognition)).containsExactly("predictions", "emotives", "symbols", "command", "metadata", "path",
        "strings", "vectors", "short_term_memory", "time");
    assertThat(cognition.get("symbols").toString()).isEqualTo("[\"bar\",\"foo\"]");
    assertThat(cognition.get("emotives").toString()).isEqualTo("{\"anger\":0.6}");
    assertThat(cognition.get("time").intValue()).isEqualTo(1);
  }

  @Test
  void getGene() {
    JsonNode reply = ok("get_gene", map("gene_name", "recall_threshold"));
    assertThat(reply.toString()).isEqualTo("{\"status\":\"okay\",\"gene_name\":\"recall_threshold\",\"gene_value\":0.1}");
    assertThat(ok("get_gene", map("gene_name", "MAX_PREDICTIONS")).get("gene_value").intValue()).isEqualTo(100);
    assertThat(ok("get_gene", map("gene_name", "sort")).get("gene_value").booleanValue()).isTrue();
    assertThat(ok("get_gene", map("gene_name", "fuzzy_token_threshold")).get("gene_value").isNull()).isTrue();
    assertThat(ok("get_gene", map("gene_name", "filter_pipeline")).get("gene_value").toString()).isEqualTo("[]");

    JsonNode missing = error("BAD_REQUEST", 400, "get_gene", Map.of());
    assertThat(missing.get("message").textValue()).isEqualTo("gene_name parameter required");
    JsonNode unknown = error("UNKNOWN_GENE", 404, "get_gene", map("gene_name", "colour"));
    assertThat(unknown.get("message").textValue()).isEqualTo("Unknown gene: colour");
  }

  @Test
  void geneChangeSingleAndBatch() {
    JsonNode reply = ok("gene_change", map("gene_name", "recall_threshold", "gene_value", 0.5));
    assertThat(legacy(reply).toString())
        .isEqualTo("{\"status\":\"okay\",\"message\":\"Gene recall_threshold updated to 0.5\",\"id\":\"default_node\"}");
    assertThat(reply.get("result").toString()).isEqualTo(
        "{\"status\":\"okay\",\"message\":\"Configuration updated\",\"session_id\":\"" + IMPLICIT + "\"}");
    assertThat(ok("get_gene", map("gene_name", "recall_threshold")).get("gene_value").doubleValue()).isEqualTo(0.5);

    reply = ok("change_gene", map("genes", map("persistence", 7, "stm_mode", "ROLLING", "unknown_key", 1)));
    assertThat(reply.get("message").textValue()).isEqualTo("updated-genes");
    assertThat(ok("get_gene", map("gene_name", "persistence")).get("gene_value").intValue()).isEqualTo(7);
    assertThat(ok("get_gene", map("gene_name", "stm_mode")).get("gene_value").textValue()).isEqualTo("ROLLING");

    assertThat(ok("change_gene", map("gene_name", "use_token_matching", "gene_value", false)).get("message")
        .textValue()).isEqualTo("Gene use_token_matching updated to False");
    // auto-toggle of §1.11
    assertThat(ok("get_gene", map("gene_name", "sort_symbols")).get("gene_value").booleanValue()).isFalse();
  }

  @Test
  void geneChangeErrors() {
    JsonNode missing = error("BAD_REQUEST", 400, "gene_change", map("gene_name", "persistence"));
    assertThat(missing.get("message").textValue()).isEqualTo("gene_name and gene_value parameters required");
    error("BAD_REQUEST", 400, "gene_change", Map.of());
    error("BAD_REQUEST", 400, "gene_change", map("genes", List.of()));
    error("UNKNOWN_GENE", 404, "gene_change", map("gene_name", "colour", "gene_value", 1));

    JsonNode invalid = error("CONFIG_VALIDATION_ERROR", 400, "gene_change",
        map("genes", map("persistence", 5.0, "recall_threshold", 2)));
    assertThat(invalid.get("message").textValue()).isEqualTo("Configuration validation failed");
    assertThat(invalid.get("details").get("validation_errors").toString()).isEqualTo(
        "{\"persistence\":\"Must be an integer between 1 and 100\",\"recall_threshold\":\"Must be a number between 0.0 and 1.0\"}");
    assertThat(invalid.get("details").get("error").textValue()).isEqualTo("Configuration validation failed");
    // nothing applied
    assertThat(ok("get_gene", map("gene_name", "persistence")).get("gene_value").intValue()).isEqualTo(5);
  }

  @Test
  void genome() {
    JsonNode genome = ok("get_genome", Map.of()).get("genome");
    List<String> keys = keys(genome);
    assertThat(keys.subList(0, 4)).containsExactly("id", "name", "max_pattern_length", "persistence");
    assertThat(keys).hasSize(24).doesNotContain("fuzzy_token_threshold", "affinity_emotive");
    assertThat(genome.get("id").textValue()).isEqualTo("default_node");
    assertThat(genome.get("name").textValue()).isEqualTo("KatoProcessor");
    assertThat(genome.get("recall_threshold").isDouble()).isTrue();
    assertThat(genome.get("length_max_ratio").toString()).isEqualTo("2.0");
  }

  @Test
  void pingAddsTheNodesPingBody() {
    JsonNode reply = ok("ping", Map.of());
    assertThat(keys(reply)).containsExactly("status", "message", "timestamp", "result");
    JsonNode body = reply.get("result");
    assertThat(keys(body)).containsExactly("status", "processor", "interval", "time_stamp", "worker_id",
        "stm_length");
    assertThat(body.get("stm_length").intValue()).isZero();
    assertThat(body.get("processor").textValue()).isEqualTo("KatoProcessor");
    assertThat(body.get("interval").intValue()).isZero();
    assertThat(body.get("time_stamp").doubleValue()).isEqualTo(reply.get("timestamp").doubleValue());
    ok("observe", map("strings", List.of("a")), "node_id", "pinged");
    ok("observe", map("strings", List.of("b")), "node_id", "pinged");
    assertThat(ok("ping", Map.of(), "node_id", "pinged").get("result").get("interval").intValue()).isEqualTo(2);
    assertThat(ok("ping", Map.of(), "node_id", "pinged").get("result").get("stm_length").intValue()).isEqualTo(2);
    // a ping creates no node
    int loaded = host.loadedNodes();
    assertThat(ok("ping", Map.of(), "node_id", "never-seen").get("result").get("interval").intValue()).isZero();
    assertThat(host.loadedNodes()).isEqualTo(loaded);
  }

  @Test
  void getPattern() {
    ok("observe", map("strings", List.of("hello")));
    ok("observe", map("strings", List.of("world")));
    String name = ok("learn", Map.of()).get("pattern_name").textValue();
    for (String id : List.of(name, name.substring("PTRN|".length()))) {
      JsonNode pattern = ok("get_pattern", map("pattern_id", id)).get("pattern");
      assertThat(keys(pattern)).containsExactly("name", "pattern_data", "length", "frequency", "emotives", "metadata");
      assertThat(pattern.get("name").textValue()).isEqualTo(name);
      assertThat(pattern.get("pattern_data").toString()).isEqualTo("[[\"hello\"],[\"world\"]]");
      assertThat(pattern.get("length").intValue()).isEqualTo(2);
      assertThat(pattern.get("frequency").intValue()).isEqualTo(1);
      JsonNode body = ok("get_pattern", map("pattern_id", id)).get("result");
      assertThat(body.toString()).isEqualTo("{\"pattern\":{\"status\":\"okay\",\"pattern\":" + pattern
          + "},\"node_id\":\"default_node_kato\"}");
    }
    JsonNode missing = error("PATTERN_NOT_FOUND", 404, "get_pattern", map("pattern_id", "PTRN|nope"));
    assertThat(missing.get("message").textValue()).isEqualTo("Pattern PTRN|nope not found");
    JsonNode noParam = error("BAD_REQUEST", 400, "get_pattern", Map.of());
    assertThat(noParam.get("message").textValue()).isEqualTo("pattern_id parameter required");
    // the pattern lives in its node only
    error("PATTERN_NOT_FOUND", 404, "get_pattern", map("pattern_id", name), "node_id", "other-node");
  }

  @Test
  void nodeRouting() {
    ok("observe", map("strings", List.of("a")), "node_id", "n1");
    ok("observe", map("strings", List.of("b"), "processor_id", "n2"));
    ok("observe", map("strings", List.of("c"), "node_id", "n2"));
    // top-level wins over params
    ok("observe", map("strings", List.of("d"), "node_id", "n2"), "node_id", "n1");
    assertThat(ok("get_stm", Map.of(), "node_id", "n1").get("short_term_memory").toString())
        .isEqualTo("[[\"a\"],[\"d\"]]");
    assertThat(ok("get_stm", Map.of(), "processor_id", "n2").get("short_term_memory").toString())
        .isEqualTo("[[\"b\"],[\"c\"]]");
    assertThat(ok("get_stm", Map.of()).get("short_term_memory").size()).isZero();
    assertThat(ok("get_name", Map.of(), "node_id", "n1").get("id").textValue()).isEqualTo("n1");
    error("VALIDATION_ERROR", 422, "get_stm", Map.of(), "node_id", 5);
  }

  @Test
  void theRequestIdReplacesTheNodeIdUnderId() {
    JsonNode reply = ok("get_name", Map.of(), "id", 77);
    assertThat(reply.get("id").intValue()).isEqualTo(77);
  }

  @Test
  void implicitSessionsAreNotCounted() {
    ok("observe", map("strings", List.of("a")));
    assertThat(ok("count_sessions", Map.of()).get("result").toString()).isEqualTo("{\"active_session_count\":0}");
  }

  @Test
  void repeatedRequestIdIsAppliedOnce() {
    JsonNode first = ok("observe", map("strings", List.of("a")), "request_id", "r-1");
    JsonNode again = ok("observe", map("strings", List.of("a")), "request_id", "r-1");
    assertThat(first.get("interval").intValue()).isEqualTo(1);
    assertThat(again.get("interval").intValue()).isEqualTo(1);
    assertThat(again.get("unique_id").textValue()).isEqualTo(first.get("unique_id").textValue());
    assertThat(ok("get_stm", Map.of()).get("short_term_memory").size()).isEqualTo(1);
  }

  @Test
  void staleEpochsAreFenced() {
    JsonNode acquired = ok("acquire_node", Map.of(), "node_id", "fenced", "epoch", 5);
    assertThat(acquired.get("result").toString()).isEqualTo("{\"node_id\":\"fenced\",\"epoch\":5,\"state\":\"owned\"}");
    ok("observe", map("strings", List.of("a")), "node_id", "fenced", "epoch", 5);
    JsonNode stale = error("STALE_EPOCH", 409, "observe", map("strings", List.of("b")), "node_id", "fenced",
        "epoch", 3);
    assertThat(stale.get("details").get("node_epoch").intValue()).isEqualTo(5);
    // epoch inside params counts too
    error("STALE_EPOCH", 409, "get_stm", map("epoch", 4, "node_id", "fenced"));
    ok("get_stm", Map.of(), "node_id", "fenced", "epoch", 6);
    JsonNode released = ok("release_node", Map.of(), "node_id", "fenced", "epoch", 6);
    assertThat(released.get("result").get("state").textValue()).isEqualTo("released");
    assertThat(released.get("result").get("epoch").intValue()).isEqualTo(6);
  }

  // ---- with an explicit session: the v3 bodies in "result" -------------------------------------

  private String createSession(String nodeId) {
    return ok("create_session", map("node_id", nodeId)).get("result").get("session_id").textValue();
  }

  @Test
  void explicitSessionObserveAddsTheV3Body() {
    String sid = createSession("user-1");
    JsonNode reply = ok("observe", map("strings", List.of("hello", "world"), "unique_id", "mine"), "session_id", sid);
    assertThat(reply.get("id").textValue()).isEqualTo("user-1");
    assertThat(reply.get("unique_id").textValue()).isEqualTo("mine");
    JsonNode result = reply.get("result");
    assertThat(keys(result)).containsExactly("status", "session_id", "processor_id", "stm_length", "time",
        "unique_id", "auto_learned_pattern");
    assertThat(result.get("status").textValue()).isEqualTo("okay");
    assertThat(result.get("session_id").textValue()).isEqualTo(sid);
    assertThat(result.get("processor_id").textValue()).isEqualTo("user-1");
    assertThat(result.get("stm_length").intValue()).isEqualTo(1);
    assertThat(result.get("time").intValue()).isEqualTo(1);
    // a unique_id on the wire reaches the engine, as over gRPC; the gateway sends one only for
    // the routes that echo it (seed-003 root observe), never for POST /sessions/{id}/observe
    assertThat(result.get("unique_id").textValue()).isEqualTo("mine");
    assertThat(ok("observe", map("strings", List.of("again")), "session_id", sid).get("result").get("unique_id")
        .textValue()).matches("obs-[0-9a-f]{32}");
    assertThat(result.get("auto_learned_pattern").isNull()).isTrue();
    // the implicit session of that node is another session
    assertThat(ok("get_stm", Map.of(), "node_id", "user-1").get("short_term_memory").size()).isZero();
  }

  @Test
  void explicitSessionAutoLearn() {
    String sid = ok("create_session", map("node_id", "auto", "config", map("max_pattern_length", 2)))
        .get("result").get("session_id").textValue();
    ok("observe", map("strings", List.of("a")), "session_id", sid);
    JsonNode reply = ok("observe", map("strings", List.of("b")), "session_id", sid);
    assertThat(reply.get("auto_learned_pattern").textValue()).startsWith("PTRN|");
    assertThat(reply.get("result").get("auto_learned_pattern").textValue())
        .isEqualTo(reply.get("auto_learned_pattern").textValue());
    assertThat(reply.get("result").get("stm_length").intValue()).isZero();
  }

  @Test
  void explicitSessionLearnPredictionsAndClears() {
    String sid = createSession("user-2");
    ok("observe", map("strings", List.of("a")), "session_id", sid);
    ok("observe", map("strings", List.of("b")), "session_id", sid);
    JsonNode learned = ok("learn", Map.of(), "session_id", sid);
    String name = learned.get("pattern_name").textValue();
    assertThat(learned.get("result").toString()).isEqualTo("{\"status\":\"learned\",\"pattern_name\":\"" + name
        + "\",\"session_id\":\"" + sid + "\",\"processor_id\":null,\"message\":\"Learned pattern " + name
        + " from 0 events\"}");
    JsonNode empty = ok("learn", Map.of(), "session_id", sid);
    assertThat(empty.get("empty_stm").booleanValue()).isTrue();
    assertThat(empty.has("result")).isFalse();

    ok("observe", map("strings", List.of("a")), "session_id", sid);
    JsonNode predictions = ok("get_predictions", Map.of(), "session_id", sid);
    JsonNode body = predictions.get("result");
    assertThat(keys(body)).containsExactly("predictions", "future_potentials", "session_id", "processor_id", "count",
        "time", "unique_id");
    assertThat(body.get("predictions").get(0).get("name").textValue()).isEqualTo(name.substring(5));
    assertThat(predictions.get("predictions").get(0).get("name").textValue()).isEqualTo(name);
    assertThat(body.get("count").intValue()).isEqualTo(1);
    assertThat(body.get("processor_id").isNull() && body.get("time").isNull() && body.get("unique_id").isNull())
        .isTrue();

    JsonNode stm = ok("get_stm", Map.of(), "session_id", sid);
    assertThat(stm.get("result").toString())
        .isEqualTo("{\"stm\":[[\"a\"]],\"session_id\":\"" + sid + "\",\"length\":1}");
    JsonNode percept = ok("get_percept_data", Map.of(), "session_id", sid);
    assertThat(percept.get("result").get("node_id").textValue()).isEqualTo("user-2");
    assertThat(percept.get("result").get("percept_data").get("strings").toString()).isEqualTo("[\"a\"]");
    JsonNode cognition = ok("get_cognition_data", Map.of(), "session_id", sid);
    assertThat(cognition.get("result").get("session_id").textValue()).isEqualTo(sid);
    assertThat(cognition.get("result").get("cognition_data").get("predictions").size()).isEqualTo(1);

    assertThat(ok("clear_stm", Map.of(), "session_id", sid).get("result").toString())
        .isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + sid + "\"}");
    assertThat(ok("clear_all", Map.of(), "session_id", sid).get("result").toString())
        .isEqualTo("{\"status\":\"cleared\",\"session_id\":\"" + sid + "\",\"scope\":\"all\"}");
    // the pattern was in the session's node; with the session but no node_id, get_pattern looks there
    error("PATTERN_NOT_FOUND", 404, "get_pattern", map("pattern_id", name), "session_id", sid);
  }

  @Test
  void explicitSessionGenes() {
    String sid = createSession("user-3");
    JsonNode changed = ok("gene_change", map("gene_name", "max_predictions", "gene_value", 3), "session_id", sid);
    assertThat(changed.get("id").textValue()).isEqualTo("user-3");
    assertThat(changed.get("result").toString()).isEqualTo(
        "{\"status\":\"okay\",\"message\":\"Configuration updated\",\"session_id\":\"" + sid + "\"}");
    assertThat(ok("get_gene", map("gene_name", "max_predictions"), "session_id", sid).get("gene_value").intValue())
        .isEqualTo(3);
    JsonNode genome = ok("get_genome", Map.of(), "session_id", sid);
    assertThat(genome.get("genome").get("max_predictions").intValue()).isEqualTo(3);
    assertThat(genome.get("result").get("session_id").textValue()).isEqualTo(sid);
    assertThat(genome.get("result").get("config").get("max_predictions").intValue()).isEqualTo(3);
    // the implicit session of the node keeps the defaults
    assertThat(ok("get_gene", map("gene_name", "max_predictions"), "node_id", "user-3").get("gene_value").intValue())
        .isEqualTo(100);
  }

  @Test
  void unknownSession() {
    for (String method : List.of("observe", "learn", "get_predictions", "clear_stm", "clear_all", "get_stm",
        "get_percept_data", "get_cognition_data", "get_genome", "get_name")) {
      JsonNode reply = error("SESSION_NOT_FOUND", 404, method, Map.of(), "session_id", "session-missing");
      assertThat(reply.get("message").textValue()).isEqualTo("Session session-missing not found or expired");
      assertThat(reply.get("details").get("session_id").textValue()).isEqualTo("session-missing");
    }
    error("SESSION_NOT_FOUND", 404, "get_pattern", map("pattern_id", "x"), "session_id", "session-missing");
  }
}
