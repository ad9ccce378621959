package io.kato.worker.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The extension methods of API.md §5.4: {@code {"status": "okay", "result": <v3 body>}}. */
class ZmqExtensionMethodsTest extends ZmqFixture {

  private static final List<String> CONFIG_KEYS = List.of("max_pattern_length", "persistence", "recall_threshold",
      "indexer_type", "max_predictions", "sort_symbols", "process_predictions", "use_token_matching", "stm_mode",
      "rank_sort_algo", "filter_pipeline", "length_min_ratio", "length_max_ratio", "jaccard_threshold",
      "jaccard_min_overlap", "minhash_threshold", "minhash_bands", "minhash_rows", "minhash_num_hashes",
      "bloom_false_positive_rate", "max_candidates_per_stage", "enable_filter_metrics");

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private JsonNode result(String method, Map<String, ?> params, Object... extra) {
    JsonNode reply = ok(method, params, extra);
    assertThat(keys(reply)).as(reply.toString()).containsExactly("status", "result");
    return reply.get("result");
  }

  @Test
  void workerInfo() {
    JsonNode info = result("get_worker_info", Map.of());
    assertThat(keys(info)).containsExactly("worker_id", "protocol_version", "methods", "nodes_loaded", "capacity");
    assertThat(info.get("protocol_version").intValue()).isEqualTo(1);
    assertThat(texts(info.get("methods"))).contains("ping", "observe", "gene_change", "change_gene",
        "create_session", "observe_sequence", "acquire_node", "finalize_training", "get_symbol_stats",
        "get_symbol_affinity", "get_all_symbol_affinities", "get_node_stats", "session_exists");
    assertThat(info.get("nodes_loaded").isInt()).isTrue();
    assertThat(info.get("capacity").intValue()).isEqualTo(100);
  }

  @Test
  void finalizeTrainingComputesTheNodesMetrics() {
    String sessionId = result("create_session", Map.of("node_id", "zmq-finalize")).get("session_id").textValue();
    ok("observe", Map.of("strings", List.of("a", "b")), "session_id", sessionId);
    ok("learn", Map.of(), "session_id", sessionId);
    JsonNode done = result("finalize_training", Map.of(), "session_id", sessionId);
    assertThat(done.get("status").textValue()).isEqualTo("completed");
    assertThat(done.get("patterns_processed").intValue()).isEqualTo(1);
    assertThat(done.get("time_ms").isDouble()).isTrue();
    assertThat(done.get("message").textValue()).startsWith("Computed Shannon entropy and TF vectors for 1 patterns in ");
  }

  @Test
  void createSessionWithDefaults() {
    JsonNode session = result("create_session", map("node_id", "user-123"));
    assertThat(keys(session)).containsExactly("session_id", "node_id", "created_at", "expires_at", "ttl_seconds",
        "metadata", "session_config");
    assertThat(session.get("session_id").textValue()).matches("session-[0-9a-f]{32}-\\d{13}");
    assertThat(session.get("node_id").textValue()).isEqualTo("user-123");
    assertThat(session.get("created_at").textValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?Z");
    assertThat(session.get("ttl_seconds").intValue()).isEqualTo(3600);
    assertThat(session.get("metadata").toString()).isEqualTo("{}");
    assertThat(keys(session.get("session_config"))).containsExactlyElementsOf(CONFIG_KEYS);
    assertThat(session.get("session_config").get("recall_threshold").toString()).isEqualTo("0.1");
    assertThat(session.get("session_config").get("persistence").isInt()).isTrue();
  }

  @Test
  void createSessionWithEverything() {
    JsonNode session = result("create_session", map("node_id", "n", "config", map("recall_threshold", 0.75,
        "fuzzy_token_threshold", 0.9, "unknown", 1), "metadata", map("app_version", "2.0"), "ttl_seconds", 120,
        "session_id", "my-session.1"));
    assertThat(session.get("session_id").textValue()).isEqualTo("my-session.1");
    assertThat(session.get("ttl_seconds").intValue()).isEqualTo(120);
    assertThat(session.get("metadata").toString()).isEqualTo("{\"app_version\":\"2.0\"}");
    assertThat(session.get("session_config").get("recall_threshold").doubleValue()).isEqualTo(0.75);
    assertThat(session.get("session_config").get("fuzzy_token_threshold").doubleValue()).isEqualTo(0.9);
    assertThat(session.get("session_config").has("unknown")).isFalse();
    // the same client-chosen id for the same node: the existing session
    JsonNode again = result("create_session", map("node_id", "n", "session_id", "my-session.1"));
    assertThat(again.get("created_at").textValue()).isEqualTo(session.get("created_at").textValue());
    // for another node: 409
    error("SESSION_EXISTS", 409, "create_session", map("node_id", "other", "session_id", "my-session.1"));
    // node_id and session_id may also be top-level (they win)
    JsonNode top = result("create_session", map("node_id", "ignored"), "node_id", "top", "session_id", "top-1");
    assertThat(top.get("node_id").textValue()).isEqualTo("top");
    assertThat(top.get("session_id").textValue()).isEqualTo("top-1");
    // ttl as a numeric string is coerced like pydantic does; 0 means the default
    assertThat(result("create_session", map("node_id", "n", "ttl_seconds", "60")).get("ttl_seconds").intValue())
        .isEqualTo(60);
    assertThat(result("create_session", map("node_id", "n", "ttl_seconds", 0)).get("ttl_seconds").intValue())
        .isEqualTo(3600);
    assertThat(result("create_session", map("node_id", "")).get("node_id").textValue()).isEmpty();
  }

  @Test
  void createSessionValidation() {
    JsonNode missing = error("VALIDATION_ERROR", 422, "create_session", Map.of());
    assertThat(missing.get("detail").toString())
        .isEqualTo("[{\"type\":\"missing\",\"loc\":[\"body\",\"node_id\"],\"msg\":\"Field required\",\"input\":null}]");
    JsonNode nullNode = error("VALIDATION_ERROR", 422, "create_session", map("node_id", null));
    assertThat(nullNode.get("detail").get(0).get("type").textValue()).isEqualTo("string_type");
    JsonNode several = error("VALIDATION_ERROR", 422, "create_session", map("node_id", "n", "config", List.of(1),
        "metadata", "x", "ttl_seconds", -5));
    assertThat(several.get("details").get("validation_errors").findValuesAsText("field"))
        .containsExactly("body.config", "body.metadata", "body.ttl_seconds");
    JsonNode ttl = several.get("detail").get(2);
    assertThat(ttl.toString()).isEqualTo("{\"type\":\"greater_than_equal\",\"loc\":[\"body\",\"ttl_seconds\"],"
        + "\"msg\":\"Input should be greater than or equal to 0\",\"input\":-5,\"ctx\":{\"ge\":0}}");
    assertThat(error("VALIDATION_ERROR", 422, "create_session", map("node_id", "n", "ttl_seconds", 1.5))
        .get("detail").get(0).get("type").textValue()).isEqualTo("int_from_float");
    assertThat(error("VALIDATION_ERROR", 422, "create_session", map("node_id", "n", "ttl_seconds", "abc"))
        .get("detail").get(0).get("type").textValue()).isEqualTo("int_parsing");

    JsonNode config = error("CONFIG_VALIDATION_ERROR", 400, "create_session", map("node_id", "n",
        "config", map("persistence", 0)));
    assertThat(config.get("details").get("validation_errors").get("persistence").textValue())
        .isEqualTo("Must be an integer between 1 and 100");
    error("VALIDATION_ERROR", 422, "create_session", map("node_id", "n", "session_id", "__node__:x"));
    error("VALIDATION_ERROR", 422, "create_session", map("node_id", "n", "session_id", "has space"));
    assertThat(result("count_sessions", Map.of()).get("active_session_count").intValue()).isZero();
  }

  @Test
  void getSession() {
    String sid = result("create_session", map("node_id", "n", "metadata", map("k", 1))).get("session_id").textValue();
    JsonNode session = result("get_session", map("session_id", sid));
    assertThat(keys(session)).containsExactly("session_id", "node_id", "created_at", "expires_at", "ttl_seconds",
        "metadata", "session_config");
    assertThat(session.get("ttl_seconds").intValue()).isBetween(3598, 3600);
    assertThat(session.get("metadata").toString()).isEqualTo("{\"k\":1}");
    // top-level session_id works too
    assertThat(result("get_session", Map.of(), "session_id", sid).get("session_id").textValue()).isEqualTo(sid);
    JsonNode missing = error("SESSION_NOT_FOUND", 404, "get_session", map("session_id", "session-x"));
    assertThat(missing.get("message").textValue()).isEqualTo("Session session-x not found or expired");
    assertThat(error("BAD_REQUEST", 400, "get_session", Map.of()).get("message").textValue())
        .isEqualTo("session_id parameter required");
  }

  @Test
  void sessionMethodsTakeANodesImplicitSession() {
    String implicit = "__node__:solo";
    JsonNode session = result("get_session", Map.of(), "node_id", "solo");
    assertThat(session.get("session_id").textValue()).isEqualTo(implicit);
    assertThat(session.get("node_id").textValue()).isEqualTo("solo");
    assertThat(result("extend_session", map("ttl_seconds", 90), "node_id", "solo").toString())
        .isEqualTo("{\"status\":\"extended\",\"session_id\":\"" + implicit + "\",\"ttl_seconds\":90}");
    assertThat(result("session_exists", Map.of(), "node_id", "solo").toString())
        .isEqualTo("{\"exists\":true,\"expired\":false,\"session_id\":\"" + implicit
            + "\",\"node_id\":\"solo\",\"kb_id\":\"solo_kato\"}");
    assertThat(result("delete_session", Map.of(), "node_id", "solo").toString())
        .isEqualTo("{\"status\":\"deleted\",\"session_id\":\"" + implicit + "\"}");
    // deleting or looking up an implicit session never creates it
    error("SESSION_NOT_FOUND", 404, "delete_session", Map.of(), "node_id", "solo");
    assertThat(result("session_exists", Map.of(), "node_id", "solo").get("exists").booleanValue()).isFalse();
    for (String method : List.of("get_session", "extend_session", "delete_session", "session_exists")) {
      assertThat(error("BAD_REQUEST", 400, method, Map.of()).get("message").textValue())
          .isEqualTo("session_id parameter required");
    }
  }

  @Test
  void workerStats() {
    String sid = result("create_session", map("node_id", "stats-a")).get("session_id").textValue();
    ok("observe", map("strings", List.of("x", "y")), "session_id", sid);
    ok("observe", map("strings", List.of("z")), "node_id", "stats-b"); // implicit: not counted
    JsonNode stats = result("get_worker_stats", map("max_nodes", 1));
    assertThat(keys(stats)).containsExactly("worker_id", "active_sessions", "nodes_loaded", "nodes_with_sessions",
        "total_stm_events", "observations_processed", "patterns_learned", "predictions_generated", "store",
        "store_operations", "store_errors", "store_avg_seconds", "nodes");
    assertThat(stats.get("worker_id").textValue()).isEqualTo(host.options().identity().workerId());
    assertThat(stats.get("active_sessions").intValue()).isEqualTo(1);
    assertThat(stats.get("nodes_loaded").intValue()).isEqualTo(2);
    assertThat(stats.get("nodes_with_sessions").intValue()).isEqualTo(1);
    assertThat(stats.get("total_stm_events").intValue()).isEqualTo(1);
    assertThat(stats.get("observations_processed").intValue()).isEqualTo(2);
    assertThat(stats.get("store_avg_seconds").isDouble()).isTrue();
    assertThat(stats.get("nodes")).hasSize(1);
    JsonNode node = stats.get("nodes").get(0);
    assertThat(keys(node)).containsExactly("processor_id", "node_id", "created_at", "last_accessed", "access_count",
        "idle_seconds");
    assertThat(node.get("node_id").textValue()).isEqualTo("stats-b");
    assertThat(node.get("processor_id").textValue()).isEqualTo(io.kato.common.NodeIds.kbId("stats-b"));
    assertThat(node.get("idle_seconds").isDouble()).isTrue();
    assertThat(result("get_worker_stats", Map.of()).get("nodes")).isEmpty();
    error("BAD_REQUEST", 400, "get_worker_stats", map("max_nodes", "all"));
    assertThat(texts(result("get_worker_info", Map.of()).get("methods"))).contains("get_worker_stats");
  }

  @Test
  void deleteAndExists() {
    String sid = result("create_session", map("node_id", "n")).get("session_id").textValue();
    assertThat(result("session_exists", map("session_id", sid)).toString())
        .isEqualTo("{\"exists\":true,\"expired\":false,\"session_id\":\"" + sid
            + "\",\"node_id\":\"n\",\"kb_id\":\"n_kato\"}");
    assertThat(result("delete_session", map("session_id", sid)).toString())
        .isEqualTo("{\"status\":\"deleted\",\"session_id\":\"" + sid + "\"}");
    error("SESSION_NOT_FOUND", 404, "delete_session", map("session_id", sid));
    assertThat(result("session_exists", map("session_id", sid)).get("exists").booleanValue()).isFalse();
    assertThat(result("session_exists", map("session_id", "never")).get("exists").booleanValue()).isFalse();
    error("SESSION_NOT_FOUND", 404, "get_stm", Map.of(), "session_id", sid);
  }

  @Test
  void extendSession() {
    String sid = result("create_session", map("node_id", "n", "ttl_seconds", 60)).get("session_id").textValue();
    assertThat(result("extend_session", map("session_id", sid, "ttl_seconds", 500)).toString())
        .isEqualTo("{\"status\":\"extended\",\"session_id\":\"" + sid + "\",\"ttl_seconds\":500}");
    assertThat(result("get_session", map("session_id", sid)).get("ttl_seconds").intValue())
        .as("the sliding window stays 60 s: the access resets expiry to now + 60").isBetween(58, 60);
    assertThat(result("extend_session", map("session_id", sid)).get("ttl_seconds").intValue()).isEqualTo(3600);
    JsonNode invalid = error("VALIDATION_ERROR", 422, "extend_session", map("session_id", sid, "ttl_seconds", 0));
    assertThat(invalid.get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"ttl_seconds\"]");
    error("VALIDATION_ERROR", 422, "extend_session", map("session_id", sid, "ttl_seconds", "soon"));
    error("SESSION_NOT_FOUND", 404, "extend_session", map("session_id", "nope", "ttl_seconds", 10));
  }

  @Test
  void countSessions() {
    assertThat(result("count_sessions", Map.of()).toString()).isEqualTo("{\"active_session_count\":0}");
    String a = result("create_session", map("node_id", "a")).get("session_id").textValue();
    result("create_session", map("node_id", "b"));
    ok("observe", map("strings", List.of("x")), "node_id", "c"); // implicit: not counted
    assertThat(result("count_sessions", Map.of()).get("active_session_count").intValue()).isEqualTo(2);
    result("delete_session", map("session_id", a));
    assertThat(result("count_sessions", Map.of()).get("active_session_count").intValue()).isEqualTo(1);
  }

  @Test
  void getAndUpdateConfig() {
    String sid = result("create_session", map("node_id", "n")).get("session_id").textValue();
    JsonNode config = result("get_config", map("session_id", sid));
    assertThat(keys(config)).containsExactly("session_id", "config");
    assertThat(keys(config.get("config"))).containsExactlyElementsOf(CONFIG_KEYS);

    assertThat(result("update_config", map("session_id", sid, "config", map("recall_threshold", 0.75))).toString())
        .isEqualTo("{\"status\":\"okay\",\"message\":\"Configuration updated\",\"session_id\":\"" + sid + "\"}");
    // a bare map works too (routing keys are not genes)
    result("update_config", map("session_id", sid, "max_predictions", 5, "stm_mode", "bogus"));
    JsonNode after = result("get_config", map("session_id", sid)).get("config");
    assertThat(after.get("recall_threshold").doubleValue()).isEqualTo(0.75);
    assertThat(after.get("max_predictions").intValue()).isEqualTo(5);
    assertThat(after.get("stm_mode").textValue()).isEqualTo("CLEAR");

    JsonNode invalid = error("CONFIG_VALIDATION_ERROR", 400, "update_config",
        map("session_id", sid, "config", map("recall_threshold", "0.5", "persistence", 5.0)));
    assertThat(invalid.get("details").toString()).isEqualTo("{\"error\":\"Configuration validation failed\","
        + "\"validation_errors\":{\"recall_threshold\":\"Must be a number between 0.0 and 1.0\","
        + "\"persistence\":\"Must be an integer between 1 and 100\"}}");
    JsonNode notAMap = error("VALIDATION_ERROR", 422, "update_config", map("session_id", sid, "config", 3));
    assertThat(notAMap.get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"config\"]");
    error("SESSION_NOT_FOUND", 404, "update_config", map("session_id", "nope", "config", Map.of()));
    // without a session: the implicit session of the node
    result("update_config", map("config", map("max_predictions", 9)), "node_id", "legacy");
    assertThat(result("get_config", Map.of(), "node_id", "legacy").get("config").get("max_predictions").intValue())
        .isEqualTo(9);
    assertThat(result("get_config", Map.of(), "node_id", "legacy").get("session_id").textValue())
        .isEqualTo("__node__:legacy");
  }

  @Test
  void observeSequence() {
    String sid = result("create_session", map("node_id", "seq")).get("session_id").textValue();
    JsonNode body = result("observe_sequence", map("session_id", sid, "observations", List.of(
        map("strings", List.of("hello"), "unique_id", "custom-1"),
        map("strings", List.of("world")),
        map("strings", List.of("test"), "unique_id", null)), "learn_at_end", true));
    assertThat(keys(body)).containsExactly("status", "processor_id", "observations_processed", "initial_stm_length",
        "final_stm_length", "results", "auto_learned_patterns", "final_learned_pattern", "isolated");
    assertThat(body.get("status").textValue()).isEqualTo("completed");
    assertThat(body.get("processor_id").textValue()).isEqualTo("seq");
    assertThat(body.get("observations_processed").intValue()).isEqualTo(3);
    assertThat(body.get("initial_stm_length").intValue()).isZero();
    assertThat(body.get("final_stm_length").intValue()).isZero();
    JsonNode first = body.get("results").get(0);
    assertThat(first.toString()).isEqualTo("{\"status\":\"okay\",\"sequence_position\":0,\"stm_length\":1,\"time\":1,"
        + "\"unique_id\":\"custom-1\",\"auto_learned_pattern\":null}");
    assertThat(body.get("results").get(1).get("unique_id").textValue()).matches("seq-obs-[0-9a-f]{32}");
    assertThat(body.get("results").get(2).get("time").intValue()).isEqualTo(3);
    String finalPattern = body.get("final_learned_pattern").textValue();
    assertThat(finalPattern).startsWith("PTRN|");
    assertThat(texts(body.get("auto_learned_patterns"))).containsExactly(finalPattern);
    assertThat(body.get("isolated").booleanValue()).isFalse();
    JsonNode pattern = ok("get_pattern", map("pattern_id", finalPattern), "node_id", "seq").get("pattern");
    assertThat(pattern.get("pattern_data").toString()).isEqualTo("[[\"hello\"],[\"world\"],[\"test\"]]");

    // learn_after_each with clear_stm_between, lax booleans
    JsonNode each = result("observe_sequence", map("session_id", sid, "observations", List.of(
        map("strings", List.of("a", "b")), map("strings", List.of("c", "d"))), "learn_after_each", "true",
        "clear_stm_between", 1));
    assertThat(each.get("auto_learned_patterns").size()).isEqualTo(2);
    assertThat(each.get("final_learned_pattern").isNull()).isTrue();

    // empty: nothing happens
    JsonNode none = result("observe_sequence", map("session_id", sid, "observations", List.of()));
    assertThat(none.get("observations_processed").intValue()).isZero();
    assertThat(none.get("results").size()).isZero();

    // implicit session when no session_id is given
    JsonNode implicit = result("observe_sequence", map("observations", List.of(map("strings", List.of("z")))),
        "node_id", "seq");
    assertThat(implicit.get("processor_id").textValue()).isEqualTo("seq");
    assertThat(ok("get_stm", Map.of(), "node_id", "seq").get("short_term_memory").toString())
        .isEqualTo("[[\"z\"]]");
  }

  @Test
  void observeSequenceValidationRejectsTheWholeRequest() {
    String sid = result("create_session", map("node_id", "seq")).get("session_id").textValue();
    JsonNode reply = error("VALIDATION_ERROR", 422, "observe_sequence", map("session_id", sid,
        "observations", List.of(map("strings", List.of("fine")), map("strings", Arrays.asList("x", null)),
            "not-an-object", map("strings", List.of("y"), "unique_id", 5)), "learn_at_end", "maybe"));
    assertThat(reply.get("details").get("validation_errors").findValuesAsText("field")).containsExactly(
        "body.observations.1.strings.1", "body.observations.2", "body.observations.3.unique_id", "body.learn_at_end");
    assertThat(reply.get("detail").findValuesAsText("type")).containsExactly("string_type", "model_attributes_type",
        "string_type", "bool_parsing");
    assertThat(result("get_session", map("session_id", sid)).path("session_id").textValue()).isEqualTo(sid);
    assertThat(ok("get_stm", Map.of(), "session_id", sid).get("short_term_memory").size()).isZero();

    assertThat(error("VALIDATION_ERROR", 422, "observe_sequence", map("session_id", sid, "observations",
        "not_a_list")).get("detail").get(0).get("type").textValue()).isEqualTo("list_type");
    assertThat(error("VALIDATION_ERROR", 422, "observe_sequence", map("session_id", sid)).get("detail").get(0)
        .get("type").textValue()).isEqualTo("missing");
  }

  @Test
  void vectorDimensionErrors() {
    String sid = result("create_session", map("node_id", "vec")).get("session_id").textValue();
    ok("observe", map("vectors", List.of(List.of(1.0, 0.0, 0.0, 0.0)), "strings", List.of("a")), "session_id", sid);
    ok("learn", Map.of(), "session_id", sid);
    JsonNode reply = error("VECTOR_DIMENSION_ERROR", 400, "observe",
        map("vectors", List.of(List.of(1.0, 0.0, 0.0, 0.0, 0.0))), "session_id", sid);
    JsonNode details = reply.get("details");
    assertThat(details.get("error").textValue()).isEqualTo("VectorDimensionError");
    assertThat(details.get("expected_dimension").intValue()).isEqualTo(4);
    assertThat(details.get("actual_dimension").intValue()).isEqualTo(5);
    assertThat(details.get("vector_name").textValue()).startsWith("VCTR|");
    JsonNode sequence = error("VECTOR_DIMENSION_ERROR", 400, "observe_sequence", map("session_id", sid,
        "observations", List.of(map("strings", List.of("ok")), map("vectors", List.of(List.of(1.0, 2.0))))));
    assertThat(sequence.get("details").get("actual_dimension").intValue()).isEqualTo(2);
    assertThat(ok("get_stm", Map.of(), "session_id", sid).get("short_term_memory").size()).isZero();
  }

  @Test
  void learnOnAnEmptyStmForAnExplicitSession() {
    String sid = result("create_session", map("node_id", "n")).get("session_id").textValue();
    JsonNode reply = ok("learn", Map.of(), "session_id", sid);
    assertThat(reply.get("empty_stm").booleanValue()).isTrue();
    assertThat(reply.get("pattern_name").textValue()).isEmpty();
  }

  @Test
  void sessionExistsReportsAnExpiredRecordOnce() throws Exception {
    String sid = result("create_session", map("node_id", "n", "ttl_seconds", 1)).get("session_id").textValue();
    Thread.sleep(1100); // past the 1 s TTL; the sweeper (every 30 s) has not run
    assertThat(result("session_exists", map("session_id", sid)).toString())
        .isEqualTo("{\"exists\":false,\"expired\":true,\"session_id\":\"" + sid
            + "\",\"node_id\":\"n\",\"kb_id\":\"n_kato\"}");
    assertThat(result("session_exists", map("session_id", sid)).toString())
        .isEqualTo("{\"exists\":false,\"expired\":false,\"session_id\":\"" + sid
            + "\",\"node_id\":\"\",\"kb_id\":\"\"}");
  }

  @Test
  void symbolStatsAndAffinities() {
    String kbId = io.kato.common.NodeIds.kbId("sym");
    String a = result("create_session", map("node_id", "sym")).get("session_id").textValue();
    ok("observe", map("strings", List.of("alpha", "beta"), "emotives", map("energy", 10.0)), "session_id", a);
    ok("learn", Map.of(), "session_id", a);
    String b = result("create_session", map("node_id", "sym")).get("session_id").textValue();
    ok("observe", map("strings", List.of("alpha", "gamma"), "emotives", map("trust", 5.0)), "session_id", b);
    ok("learn", Map.of(), "session_id", b);

    assertThat(result("get_symbol_stats", map("node_id", "sym")).toString()).isEqualTo("{\"symbols\":{"
        + "\"alpha\":{\"name\":\"alpha\",\"frequency\":2,\"pattern_member_frequency\":2},"
        + "\"beta\":{\"name\":\"beta\",\"frequency\":1,\"pattern_member_frequency\":1},"
        + "\"gamma\":{\"name\":\"gamma\",\"frequency\":1,\"pattern_member_frequency\":1}},"
        + "\"node_id\":\"" + kbId + "\"}");
    assertThat(result("get_all_symbol_affinities", Map.of(), "node_id", "sym").toString()).isEqualTo(
        "{\"affinities\":{\"alpha\":{\"energy\":10.0,\"trust\":5.0},\"beta\":{\"energy\":10.0},"
        + "\"gamma\":{\"trust\":5.0}},\"node_id\":\"" + kbId + "\"}");
    assertThat(result("get_symbol_affinity", map("node_id", "sym", "symbol", "gamma")).toString())
        .isEqualTo("{\"symbol\":\"gamma\",\"affinity\":{\"trust\":5.0},\"node_id\":\"" + kbId + "\"}");
    assertThat(result("get_symbol_affinity", map("node_id", "sym", "symbol", "zzz")).get("affinity").toString())
        .isEqualTo("{}");
    assertThat(error("BAD_REQUEST", 400, "get_symbol_affinity", map("node_id", "sym")).get("message").textValue())
        .isEqualTo("symbol parameter required");
    assertThat(result("get_node_stats", map("node_id", "sym")).toString()).isEqualTo("{\"node_id\":\"sym\","
        + "\"kb_id\":\"" + kbId + "\",\"patterns\":2,\"symbols\":3,\"sessions\":2,\"loaded\":true}");

    // an unknown node is empty and not loaded by the reads
    int loaded = result("get_worker_info", Map.of()).get("nodes_loaded").intValue();
    assertThat(result("get_symbol_stats", map("node_id", "nobody")).get("symbols").toString()).isEqualTo("{}");
    assertThat(result("get_all_symbol_affinities", map("node_id", "nobody")).get("affinities").toString())
        .isEqualTo("{}");
    assertThat(result("get_node_stats", map("node_id", "nobody")).toString()).isEqualTo("{\"node_id\":\"nobody\","
        + "\"kb_id\":\"" + io.kato.common.NodeIds.kbId("nobody")
        + "\",\"patterns\":0,\"symbols\":0,\"sessions\":0,\"loaded\":false}");
    assertThat(result("get_worker_info", Map.of()).get("nodes_loaded").intValue()).isEqualTo(loaded);
  }

  @Test
  void acquireAndRelease() {
    assertThat(result("acquire_node", Map.of(), "node_id", "owned-node", "epoch", 2).toString())
        .isEqualTo("{\"node_id\":\"owned-node\",\"epoch\":2,\"state\":\"owned\"}");
    assertThat(result("release_node", map("node_id", "owned-node", "epoch", 2)).toString())
        .isEqualTo("{\"node_id\":\"owned-node\",\"epoch\":2,\"state\":\"released\"}");
    error("STALE_EPOCH", 409, "acquire_node", Map.of(), "node_id", "owned-node", "epoch", 1);
  }
}
