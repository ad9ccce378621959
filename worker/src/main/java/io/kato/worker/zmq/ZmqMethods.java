package io.kato.worker.zmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.NodeIds;
import io.kato.common.Timestamps;
import io.kato.common.json.IssueType;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ObservationParser;
import io.kato.common.json.ParsedObservation;
import io.kato.common.json.RequestValidationException;
import io.kato.common.json.ValidationIssue;
import io.kato.engine.EmptyStmException;
import io.kato.engine.Genes;
import io.kato.engine.PatternNames;
import io.kato.engine.Processor;
import io.kato.engine.text.PyText;
import io.kato.worker.host.CallMeta;
import io.kato.worker.host.Failures;
import io.kato.worker.host.HostException;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.host.WorkerIdentity;
import io.kato.worker.json.EngineJson;
import io.kato.worker.storage.SessionRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The methods of the legacy ZeroMQ protocol (API.md §5.4) on a {@link ProcessorHost}: each takes
 * a decoded request and returns, without blocking and without running engine work on the
 * caller's thread, a future of the reply map (Java JSON values and Jackson trees, in wire key
 * order). The future never fails: every failure becomes an error map built from {@link
 * Failures#describe}.
 *
 * <p>Legacy methods without {@code session_id} act on the node's implicit session ({@code
 * __node__:<node_id>}); with {@code session_id} they act on that session. Either way the
 * methods that have a v3 equivalent add {@code result}, the exact body of that route, with the
 * session id the gRPC endpoint answers (the implicit id included), so the gateway's ZeroMQ
 * transport answers what its gRPC transport does; legacy clients ignore the extra field. Only
 * {@code get_name}, {@code get_gene} and a {@code learn} on an empty STM (no v3 success body)
 * come without it. Extension methods answer {@code {"status": "okay", "result": <v3 body>}};
 * the session extension methods take a {@code node_id} without {@code session_id} as the node's
 * implicit session, as the gRPC service does.
 */
final class ZmqMethods {
  private static final Logger LOG = LoggerFactory.getLogger(ZmqMethods.class);

  /** Legacy methods, aliases included. */
  static final List<String> LEGACY_METHODS = List.of("ping", "get_name", "observe", "learn", "get_predictions",
      "clear_stm", "clear_short_term_memory", "clear_all", "clear_all_memory", "get_stm", "get_short_term_memory",
      "get_percept_data", "get_cognition_data", "get_gene", "gene_change", "change_gene", "get_genome",
      "get_pattern");

  /** Extension methods this worker serves. */
  static final List<String> EXTENSION_METHODS = List.of("get_worker_info", "create_session", "get_session",
      "delete_session", "session_exists", "extend_session", "count_sessions", "get_config", "update_config",
      "observe_sequence", "finalize_training", "get_symbol_affinity", "get_all_symbol_affinities",
      "get_symbol_stats", "get_node_stats", "get_worker_stats", "acquire_node", "release_node");

  /** Default of {@code extend_session}'s {@code ttl_seconds} (the HTTP route's query default). */
  private static final long DEFAULT_EXTEND_TTL = 3600;

  @FunctionalInterface
  private interface Method {
    CompletableFuture<Map<String, Object>> call(ZmqCall call);
  }

  private final ProcessorHost host;
  private final ZmqEndpoint.Options options;
  private final Clock clock;
  private final Map<String, Method> methods = new HashMap<>();

  ZmqMethods(ProcessorHost host, ZmqEndpoint.Options options, Clock clock) {
    this.host = host;
    this.options = options;
    this.clock = clock;
    methods.put("ping", this::ping);
    methods.put("get_name", this::getName);
    methods.put("observe", this::observe);
    methods.put("learn", this::learn);
    methods.put("get_predictions", this::predictions);
    methods.put("clear_stm", this::clearStm);
    methods.put("clear_short_term_memory", this::clearStm);
    methods.put("clear_all", this::clearAll);
    methods.put("clear_all_memory", this::clearAll);
    methods.put("get_stm", this::stm);
    methods.put("get_short_term_memory", this::stm);
    methods.put("get_percept_data", this::perceptData);
    methods.put("get_cognition_data", this::cognitionData);
    methods.put("get_gene", this::getGene);
    methods.put("gene_change", this::geneChange);
    methods.put("change_gene", this::geneChange);
    methods.put("get_genome", this::genome);
    methods.put("get_pattern", this::pattern);

    methods.put("get_worker_info", this::workerInfo);
    methods.put("create_session", this::createSession);
    methods.put("get_session", this::getSession);
    methods.put("delete_session", this::deleteSession);
    methods.put("session_exists", this::sessionExists);
    methods.put("extend_session", this::extendSession);
    methods.put("count_sessions", c -> done(result(map("active_session_count", host.sessionCount()))));
    methods.put("get_config", this::getConfig);
    methods.put("update_config", this::updateConfig);
    methods.put("observe_sequence", this::observeSequence);
    methods.put("finalize_training", this::finalizeTraining);
    methods.put("get_symbol_affinity", this::symbolAffinity);
    methods.put("get_all_symbol_affinities", this::symbolAffinities);
    methods.put("get_symbol_stats", this::symbolStats);
    methods.put("get_node_stats", this::nodeStats);
    methods.put("get_worker_stats", this::workerStats);
    methods.put("acquire_node", c -> nodeOwnership(c, "owned"));
    methods.put("release_node", c -> nodeOwnership(c, "released"));
  }

  // ---- entry ----------------------------------------------------------------------------------

  /** The reply to one decoded request; never fails. */
  CompletableFuture<Map<String, Object>> handle(JsonNode request) {
    JsonNode id = ZmqCall.idOf(request);
    String name = null;
    try {
      if (request == null || !request.isObject()) {
        throw ZmqParams.badRequest("Invalid request: expected a map with a method");
      }
      ObjectNode map = (ObjectNode) ZmqParams.binToText(request);
      JsonNode type = map.get("type");
      if (type != null && "heartbeat".equals(type.textValue()) && ZmqParams.absent(map.get("method"))) {
        LinkedHashMap<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "ok");
        reply.put("timestamp", epochSeconds());
        return done(withId(reply, id));
      }
      ZmqCall call = ZmqCall.parse(map, options.defaultNodeId(), host.options().limits());
      name = call.method();
      Method method = methods.get(name);
      if (method == null) {
        throw new HostException(ErrorCode.UNKNOWN_METHOD, "Unknown method: " + name);
      }
      String methodName = name;
      return method.call(call).handle((reply, failure) -> failure == null
          ? withId(reply, id) : error(failure, id, methodName));
    } catch (RuntimeException e) {
      return done(error(e, id, name));
    }
  }

  /** An error reply for a frame that never became a request (undecodable, multipart, ...). */
  static Map<String, Object> badRequest(String message) {
    return error(ZmqParams.badRequest(message), null, null);
  }

  // ---- legacy methods -------------------------------------------------------------------------

  /** Also {@code result}: the §3.1.3 fields of the node's ping (creates neither node nor session). */
  private CompletableFuture<Map<String, Object>> ping(ZmqCall c) {
    WorkerIdentity identity = host.options().identity();
    return host.implicitSessionClock(c.nodeId(), c.meta()).thenApply(clock -> {
      double now = epochSeconds();
      LinkedHashMap<String, Object> reply = okay();
      reply.put("message", "pong");
      reply.put("timestamp", now);
      reply.put("result", map("status", "okay", "processor", identity.processorName(), "interval", clock.time(),
          "time_stamp", now, "worker_id", identity.workerId(), "stm_length", clock.stmLength()));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> getName(ZmqCall c) {
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("message", options.processorName());
      reply.put("id", record.nodeId());
      reply.put("interval", record.state().time());
      reply.put("time_stamp", epochSeconds());
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> observe(ZmqCall c) {
    ParsedObservation observation = ObservationParser.parse(c.params(), ZmqParams.loc("body"),
        host.options().limits());
    JsonNode uniqueIdNode = c.param("unique_id");
    String givenUniqueId = null;
    if (!ZmqParams.absent(uniqueIdNode)) {
      if (!uniqueIdNode.isTextual()) {
        throw new RequestValidationException(List.of(ZmqParams.issue(IssueType.STRING_TYPE,
            ZmqParams.loc("body", "unique_id"), uniqueIdNode)));
      }
      givenUniqueId = uniqueIdNode.textValue().isEmpty() ? null : uniqueIdNode.textValue();
    }
    String clientUniqueId = givenUniqueId == null ? "" : givenUniqueId;
    return onSession(c, sid -> host.observe(sid, observation, clientUniqueId, c.meta())).thenApply(observed -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("message", "observed");
      reply.put("short_term_memory", observed.stm());
      reply.put("id", observed.nodeId());
      reply.put("interval", observed.time());
      reply.put("time_stamp", epochSeconds());
      // the client's unique_id when it sent one, else the generated obs-<hex> (as over gRPC)
      reply.put("unique_id", observed.uniqueId());
      if (observed.autoLearnedPattern() != null) {
        reply.put("auto_learned_pattern", observed.autoLearnedPattern());
      }
      LinkedHashMap<String, Object> body = new LinkedHashMap<>();
      body.put("status", "okay");
      body.put("session_id", observed.sessionId());
      body.put("processor_id", observed.nodeId());
      body.put("stm_length", observed.stmLength());
      body.put("time", observed.time());
      body.put("unique_id", observed.uniqueId());
      body.put("auto_learned_pattern", observed.autoLearnedPattern());
      reply.put("result", body);
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> learn(ZmqCall c) {
    return onSession(c, sid -> host.learn(sid, c.meta())
        .thenApply(learned -> learnReply(learned.session(), learned.patternName(), false))
        .exceptionallyCompose(failure -> unwrap(failure) instanceof EmptyStmException
            // legacy: an empty STM is not an error (the gateway maps empty_stm to 400 EMPTY_STM)
            ? host.readSession(sid, c.meta()).thenApply(record -> learnReply(record, "", true))
            : CompletableFuture.failedFuture(failure)));
  }

  private Map<String, Object> learnReply(SessionRecord record, String patternName, boolean emptyStm) {
    LinkedHashMap<String, Object> reply = okay();
    reply.put("pattern_name", patternName);
    reply.put("message", patternName);
    reply.put("empty_stm", emptyStm);
    reply.put("id", record.nodeId());
    reply.put("interval", record.state().time());
    reply.put("time_stamp", epochSeconds());
    if (!emptyStm) { // an empty STM has no v3 success body (the gateway answers 400 EMPTY_STM)
      LinkedHashMap<String, Object> body = new LinkedHashMap<>();
      body.put("status", "learned");
      body.put("pattern_name", patternName);
      body.put("session_id", record.sessionId());
      body.put("processor_id", null);
      body.put("message", "Learned pattern " + patternName + " from " + record.state().stm().size() + " events");
      reply.put("result", body);
    }
    return reply;
  }

  private CompletableFuture<Map<String, Object>> predictions(ZmqCall c) {
    return onSession(c, sid -> host.predictions(sid, c.meta()).thenApply(result -> {
      ArrayNode bare = EngineJson.predictions(result.predictions());
      ArrayNode futurePotentials = EngineJson.futurePotentials(result.futurePotentials());
      LinkedHashMap<String, Object> reply = okay();
      reply.put("predictions", withPatternPrefix(bare));
      reply.put("future_potentials", futurePotentials);
      reply.put("count", result.predictions().size());
      LinkedHashMap<String, Object> body = new LinkedHashMap<>();
      body.put("predictions", bare);
      body.put("future_potentials", futurePotentials);
      body.put("session_id", sid);
      body.put("processor_id", null);
      body.put("count", result.predictions().size());
      body.put("time", null);
      body.put("unique_id", null);
      reply.put("result", body);
      return reply;
    }));
  }

  /** The ZeroMQ era's prediction names carry the {@code PTRN|} prefix (v3 bodies keep bare hashes). */
  private static ArrayNode withPatternPrefix(ArrayNode predictions) {
    ArrayNode prefixed = predictions.deepCopy();
    for (JsonNode prediction : prefixed) {
      JsonNode name = prediction.get("name");
      if (name != null && name.isTextual() && !name.textValue().startsWith(PatternNames.PREFIX)) {
        ((ObjectNode) prediction).put("name", PatternNames.PREFIX + name.textValue());
      }
    }
    return prefixed;
  }

  private CompletableFuture<Map<String, Object>> clearStm(ZmqCall c) {
    return onSession(c, sid -> host.clearStm(sid, c.meta())).thenApply(record -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("message", "stm-cleared");
      reply.put("result", map("status", "cleared", "session_id", record.sessionId()));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> clearAll(ZmqCall c) {
    return onSession(c, sid -> host.clearAll(sid, c.meta())).thenApply(record -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("message", "all-cleared");
      reply.put("result", map("status", "cleared", "session_id", record.sessionId(), "scope", "all"));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> stm(ZmqCall c) {
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("short_term_memory", record.state().stm());
      reply.put("result", map("stm", record.state().stm(), "session_id", record.sessionId(),
          "length", record.state().stm().size()));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> perceptData(ZmqCall c) {
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record -> {
      ObjectNode percept = EngineJson.perceptData(record.state().perceptData());
      LinkedHashMap<String, Object> reply = okay();
      reply.put("percept_data", percept);
      reply.put("result", map("percept_data", percept, "session_id", record.sessionId(),
          "node_id", record.nodeId()));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> cognitionData(ZmqCall c) {
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record -> {
      ObjectNode cognition = EngineJson.cognitionData(Processor.cognitionData(record.state()));
      LinkedHashMap<String, Object> reply = okay();
      reply.put("cognition_data", cognition);
      reply.put("result", map("cognition_data", cognition, "session_id", record.sessionId(),
          "node_id", record.nodeId()));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> getGene(ZmqCall c) {
    JsonNode nameNode = c.param("gene_name");
    if (nameNode == null || !nameNode.isTextual()) {
      throw ZmqParams.badRequest("gene_name parameter required");
    }
    String name = nameNode.textValue();
    String key = canonicalGene(name);
    if (!Genes.isKnown(key)) {
      throw new HostException(ErrorCode.UNKNOWN_GENE, "Unknown gene: " + name, Map.of("gene_name", name));
    }
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("gene_name", name);
      reply.put("gene_value", host.effectiveConfig(record.state()).get(key));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> geneChange(ZmqCall c) {
    JsonNode genes = c.param("genes");
    JsonNode nameNode = c.param("gene_name");
    LinkedHashMap<String, Object> update = new LinkedHashMap<>();
    String message;
    if (!ZmqParams.absent(genes)) {
      if (!genes.isObject()) {
        throw ZmqParams.badRequest("gene_name and gene_value parameters required");
      }
      JsonValues.toJavaMap((ObjectNode) genes).forEach((k, v) -> update.put(canonicalGene(k), v));
      message = "updated-genes";
    } else if (nameNode != null && nameNode.isTextual() && c.params().has("gene_value")) {
      String key = canonicalGene(nameNode.textValue());
      if (!Genes.isKnown(key)) {
        throw new HostException(ErrorCode.UNKNOWN_GENE, "Unknown gene: " + nameNode.textValue(),
            Map.of("gene_name", nameNode.textValue()));
      }
      Object value = JsonValues.toJava(c.param("gene_value"));
      update.put(key, value);
      message = "Gene " + nameNode.textValue() + " updated to " + pythonStr(value);
    } else {
      throw ZmqParams.badRequest("gene_name and gene_value parameters required");
    }
    return onSession(c, sid -> host.updateConfig(sid, update, c.meta())).thenApply(record -> {
      LinkedHashMap<String, Object> reply = okay();
      reply.put("message", message);
      reply.put("id", record.nodeId());
      reply.put("result", map("status", "okay", "message", "Configuration updated",
          "session_id", record.sessionId()));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> genome(ZmqCall c) {
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record -> {
      Map<String, Object> config = host.effectiveConfig(record.state());
      LinkedHashMap<String, Object> genome = new LinkedHashMap<>();
      genome.put("id", record.nodeId());
      genome.put("name", options.processorName());
      genome.putAll(config);
      LinkedHashMap<String, Object> reply = okay();
      reply.put("genome", genome);
      reply.put("result", map("session_id", record.sessionId(), "config", config));
      return reply;
    });
  }

  private CompletableFuture<Map<String, Object>> pattern(ZmqCall c) {
    JsonNode idNode = c.param("pattern_id");
    if (idNode == null || !idNode.isTextual()) {
      throw ZmqParams.badRequest("pattern_id parameter required");
    }
    String patternId = idNode.textValue();
    CompletableFuture<String> nodeId;
    if (c.explicitNodeId() != null || !c.hasSession()) {
      nodeId = CompletableFuture.completedFuture(c.nodeId());
    } else { // a session but no node: the session's node
      nodeId = host.findSessionQuietly(c.sessionId()).thenApply(found -> found.map(SessionRecord::nodeId)
          .orElseThrow(() -> new HostException(ErrorCode.SESSION_NOT_FOUND,
              "Session " + c.sessionId() + " not found or expired", Map.of("session_id", c.sessionId()))));
    }
    return nodeId.thenCompose(node -> host.pattern(node, patternId, c.meta()).thenApply(found -> {
      if (found.isEmpty()) {
        // legacy clients expect an error; the v3 body of a missing pattern is rebuilt from it
        throw new HostException(ErrorCode.PATTERN_NOT_FOUND, "Pattern " + patternId + " not found",
            Map.of("pattern_id", patternId));
      }
      ObjectNode pattern = EngineJson.pattern(found.get());
      LinkedHashMap<String, Object> reply = okay();
      reply.put("pattern", pattern);
      reply.put("result", map("pattern", map("status", "okay", "pattern", pattern), "node_id", NodeIds.kbId(node)));
      return reply;
    }));
  }

  // ---- extension methods ----------------------------------------------------------------------

  private CompletableFuture<Map<String, Object>> workerInfo(ZmqCall c) {
    List<String> served = new ArrayList<>(LEGACY_METHODS);
    served.addAll(EXTENSION_METHODS);
    LinkedHashMap<String, Object> info = new LinkedHashMap<>();
    info.put("worker_id", options.workerId());
    info.put("protocol_version", 1);
    info.put("methods", served);
    info.put("nodes_loaded", host.loadedNodes());
    info.put("capacity", options.capacity());
    return done(result(info));
  }

  private CompletableFuture<Map<String, Object>> createSession(ZmqCall c) {
    List<ValidationIssue> issues = new ArrayList<>();
    String nodeId = c.explicitNodeId();
    if (nodeId == null) {
      JsonNode given = c.params().has("node_id") ? c.param("node_id") : null;
      issues.add(given != null ? ZmqParams.issue(IssueType.STRING_TYPE, ZmqParams.loc("body", "node_id"), given)
          : ZmqParams.missing(ZmqParams.loc("body", "node_id")));
    }
    Map<String, Object> config = optionalMap(c.param("config"), "config", issues);
    Map<String, Object> metadata = optionalMap(c.param("metadata"), "metadata", issues);
    long ttl = 0;
    JsonNode ttlNode = c.param("ttl_seconds");
    if (!ZmqParams.absent(ttlNode)) {
      Long value = ZmqParams.laxInt(ttlNode, ZmqParams.loc("body", "ttl_seconds"), issues);
      if (value != null && value < 0) {
        issues.add(ZmqParams.greaterThanEqual(ZmqParams.loc("body", "ttl_seconds"), 0, ttlNode));
      } else if (value != null) {
        ttl = value;
      }
    }
    if (!issues.isEmpty()) {
      throw new RequestValidationException(issues);
    }
    return host.createSession(nodeId, config, metadata, ttl, c.hasSession() ? c.sessionId() : "", c.meta())
        .thenApply(record -> result(sessionBody(record, record.ttlSeconds())));
  }

  private CompletableFuture<Map<String, Object>> getSession(ZmqCall c) {
    return onNamedSession(c, sid -> host.getSession(sid, c.meta())).thenApply(record -> result(sessionBody(record,
        Math.max(0, Duration.between(clock.instant(), record.expiresAt()).toSeconds()))));
  }

  private CompletableFuture<Map<String, Object>> deleteSession(ZmqCall c) {
    String sessionId = existingSessionId(c);
    return host.deleteSession(sessionId, c.meta())
        .thenApply(v -> result(map("status", "deleted", "session_id", sessionId)));
  }

  /** §2.2.5 plus where the session lives ({@code node_id}, {@code kb_id}; "" when unknown); never an access. */
  private CompletableFuture<Map<String, Object>> sessionExists(ZmqCall c) {
    String sessionId = existingSessionId(c);
    return host.lookupSession(sessionId).thenApply(found -> result(map("exists", found.exists(),
        "expired", found.expired(), "session_id", sessionId, "node_id", found.nodeId(), "kb_id", found.kbId())));
  }

  private CompletableFuture<Map<String, Object>> extendSession(ZmqCall c) {
    long ttl = DEFAULT_EXTEND_TTL;
    JsonNode ttlNode = c.param("ttl_seconds");
    if (!ZmqParams.absent(ttlNode)) {
      List<ValidationIssue> issues = new ArrayList<>();
      List<Object> loc = ZmqParams.loc("query", "ttl_seconds");
      Long value = ZmqParams.laxInt(ttlNode, loc, issues);
      if (value != null && value < 1) {
        issues.add(ZmqParams.greaterThanEqual(loc, 1, ttlNode));
      }
      if (!issues.isEmpty()) {
        throw new RequestValidationException(issues);
      }
      ttl = value;
    }
    long granted = ttl;
    return onNamedSession(c, sid -> host.extendSession(sid, granted, c.meta())).thenApply(record ->
        result(map("status", "extended", "session_id", record.sessionId(), "ttl_seconds", granted)));
  }

  private CompletableFuture<Map<String, Object>> finalizeTraining(ZmqCall c) {
    return onSession(c, sid -> host.finalizeTraining(sid, c.meta())).thenApply(done -> {
      double millis = Math.round(done.result().elapsedMillis() * 100) / 100.0;
      int count = done.result().patternsProcessed();
      return result(map("status", "completed", "patterns_processed", count, "time_ms", millis,
          "session_id", done.session().sessionId(), "node_id", done.session().nodeId(),
          "message", "Computed Shannon entropy and TF vectors for " + count + " patterns in " + millis + "ms"));
    });
  }

  private CompletableFuture<Map<String, Object>> getConfig(ZmqCall c) {
    return onSession(c, sid -> host.readSession(sid, c.meta())).thenApply(record ->
        result(map("session_id", record.sessionId(), "config", host.effectiveConfig(record.state()))));
  }

  private CompletableFuture<Map<String, Object>> updateConfig(ZmqCall c) {
    JsonNode nested = c.param("config");
    Map<String, Object> update;
    if (nested != null && nested.isObject()) {
      update = JsonValues.toJavaMap((ObjectNode) nested);
    } else if (!ZmqParams.absent(nested)) {
      throw new RequestValidationException(List.of(ZmqParams.issue(IssueType.DICT_TYPE,
          ZmqParams.loc("body", "config"), nested)));
    } else {
      update = JsonValues.toJavaMap(c.params()); // a bare map; routing keys are not genes and are ignored
    }
    return onSession(c, sid -> host.updateConfig(sid, update, c.meta())).thenApply(record ->
        result(map("status", "okay", "message", "Configuration updated", "session_id", record.sessionId())));
  }

  private CompletableFuture<Map<String, Object>> observeSequence(ZmqCall c) {
    List<ValidationIssue> issues = new ArrayList<>();
    JsonNode observations = c.param("observations");
    List<ProcessorHost.SequenceItem> items = new ArrayList<>();
    List<Object> observationsLoc = ZmqParams.loc("body", "observations");
    if (observations == null) {
      issues.add(ZmqParams.missing(observationsLoc));
    } else if (!observations.isArray()) {
      issues.add(ZmqParams.issue(IssueType.LIST_TYPE, observationsLoc, observations));
    } else if (observations.size() > host.options().limits().maxSequenceObservations()) {
      int max = host.options().limits().maxSequenceObservations();
      issues.add(new ValidationIssue("too_long", observationsLoc, "List should have at most " + max + " items",
          "<omitted: " + observations.size() + " items>", Map.of("max_length", (long) max)));
    } else {
      for (int i = 0; i < observations.size(); i++) {
        JsonNode item = observations.get(i);
        List<Object> prefix = ZmqParams.loc(observationsLoc, i);
        int before = issues.size();
        ParsedObservation parsed = ObservationParser.parse(item, prefix, issues);
        String uniqueId = null;
        if (item != null && item.isObject()) {
          JsonNode uniqueIdNode = item.get("unique_id");
          if (!ZmqParams.absent(uniqueIdNode)) {
            if (uniqueIdNode.isTextual()) {
              uniqueId = uniqueIdNode.textValue();
            } else {
              issues.add(ZmqParams.issue(IssueType.STRING_TYPE, ZmqParams.loc(prefix, "unique_id"), uniqueIdNode));
            }
          }
        }
        if (issues.size() == before) {
          try {
            ObservationParser.validate(parsed, prefix, host.options().limits());
          } catch (RequestValidationException e) {
            issues.addAll(e.issues());
          }
          items.add(new ProcessorHost.SequenceItem(parsed, uniqueId));
        }
      }
    }
    boolean learnAfterEach = ZmqParams.optionalBool(c.params(), "learn_after_each", false, issues);
    boolean learnAtEnd = ZmqParams.optionalBool(c.params(), "learn_at_end", false, issues);
    boolean clearStmBetween = ZmqParams.optionalBool(c.params(), "clear_stm_between", false, issues);
    if (!issues.isEmpty()) {
      throw new RequestValidationException(issues);
    }
    return onSession(c, sid -> host.observeSequence(sid, items, learnAfterEach, learnAtEnd, clearStmBetween,
        c.meta())).thenApply(done -> {
          List<Map<String, Object>> results = new ArrayList<>(done.results().size());
          for (ProcessorHost.SequenceItemResult item : done.results()) {
            LinkedHashMap<String, Object> r = new LinkedHashMap<>();
            r.put("status", "okay");
            r.put("sequence_position", item.position());
            r.put("stm_length", item.stmLength());
            r.put("time", item.time());
            r.put("unique_id", item.uniqueId());
            r.put("auto_learned_pattern", item.autoLearned());
            results.add(r);
          }
          LinkedHashMap<String, Object> body = new LinkedHashMap<>();
          body.put("status", "completed");
          body.put("processor_id", done.session().nodeId());
          body.put("observations_processed", done.results().size());
          body.put("initial_stm_length", done.initialStmLength());
          body.put("final_stm_length", done.session().state().stm().size());
          body.put("results", results);
          body.put("auto_learned_patterns", done.learnedPatterns());
          body.put("final_learned_pattern", done.finalLearnedPattern());
          body.put("isolated", false);
          return result(body);
        });
  }

  /** §2.4.6: {@code {"symbol", "affinity": {emotive: sum}, "node_id": <kb_id>}}; unknown symbol → {}. */
  private CompletableFuture<Map<String, Object>> symbolAffinity(ZmqCall c) {
    JsonNode symbolNode = c.param("symbol");
    if (symbolNode == null || !symbolNode.isTextual()) {
      throw ZmqParams.badRequest("symbol parameter required");
    }
    String symbol = symbolNode.textValue();
    String nodeId = c.nodeId();
    return host.symbolAffinity(nodeId, symbol, c.meta()).thenApply(affinity ->
        result(map("symbol", symbol, "affinity", affinity, "node_id", NodeIds.kbId(nodeId))));
  }

  /** §2.4.4: {@code {"affinities": {symbol: {emotive: sum}}, "node_id": <kb_id>}}. */
  private CompletableFuture<Map<String, Object>> symbolAffinities(ZmqCall c) {
    String nodeId = c.nodeId();
    return host.symbolAffinities(nodeId, c.meta()).thenApply(affinities ->
        result(map("affinities", affinities, "node_id", NodeIds.kbId(nodeId))));
  }

  /** §2.4.5: {@code {"symbols": {symbol: {"name", "frequency", "pattern_member_frequency"}}, "node_id"}}. */
  private CompletableFuture<Map<String, Object>> symbolStats(ZmqCall c) {
    String nodeId = c.nodeId();
    return host.symbolStats(nodeId, c.meta()).thenApply(stats -> {
      LinkedHashMap<String, Object> symbols = new LinkedHashMap<>();
      for (Processor.SymbolStats symbol : stats) {
        symbols.put(symbol.name(), map("name", symbol.name(), "frequency", symbol.frequency(),
            "pattern_member_frequency", symbol.patternMemberFrequency()));
      }
      return result(map("symbols", symbols, "node_id", NodeIds.kbId(nodeId)));
    });
  }

  private CompletableFuture<Map<String, Object>> nodeStats(ZmqCall c) {
    return host.nodeStats(c.nodeId(), c.meta()).thenApply(stats -> result(map("node_id", stats.nodeId(),
        "kb_id", stats.kbId(), "patterns", stats.patterns(), "symbols", stats.symbols(),
        "sessions", stats.sessions(), "loaded", stats.loaded())));
  }

  /**
   * The worker's counters (the gRPC {@code GetWorkerStats}, as the gateway's transports answer
   * it): at most {@code max_nodes} (default 0) loaded nodes listed, most recently used first.
   */
  private CompletableFuture<Map<String, Object>> workerStats(ZmqCall c) {
    JsonNode maxNode = c.param("max_nodes");
    int maxNodes = 0;
    if (!ZmqParams.absent(maxNode)) {
      if (!maxNode.isIntegralNumber() || !maxNode.canConvertToInt()) {
        throw ZmqParams.badRequest("max_nodes must be an integer");
      }
      maxNodes = Math.max(0, maxNode.intValue());
    }
    WorkerIdentity identity = host.options().identity();
    return host.workerStats(maxNodes).thenApply(stats -> {
      List<Map<String, Object>> nodes = new ArrayList<>(stats.nodes().size());
      for (ProcessorHost.LoadedNode node : stats.nodes()) {
        nodes.add(map("processor_id", node.kbId(), "node_id", node.nodeId(),
            "created_at", Timestamps.eventTime(node.createdAt()),
            "last_accessed", Timestamps.eventTime(node.lastAccessed()), "access_count", node.accessCount(),
            "idle_seconds", node.idleSeconds()));
      }
      LinkedHashMap<String, Object> body = new LinkedHashMap<>();
      body.put("worker_id", identity.workerId());
      body.put("active_sessions", stats.activeSessions());
      body.put("nodes_loaded", stats.nodesLoaded());
      body.put("nodes_with_sessions", stats.nodesWithSessions());
      body.put("total_stm_events", stats.totalStmEvents());
      body.put("observations_processed", stats.observationsProcessed());
      body.put("patterns_learned", stats.patternsLearned());
      body.put("predictions_generated", stats.predictionsGenerated());
      body.put("store", stats.store());
      body.put("store_operations", stats.storeOperations());
      body.put("store_errors", stats.storeErrors());
      body.put("store_avg_seconds", stats.storeAvgSeconds());
      body.put("nodes", nodes);
      return result(body);
    });
  }

  /** acquire/release: fences and adopts the epoch through nodeStatus (the host has no hand-over yet). */
  /** {@code acquire_node} / {@code release_node}: the two halves of a hand-over (API.md §6.4). */
  private CompletableFuture<Map<String, Object>> nodeOwnership(ZmqCall c, String state) {
    String nodeId = c.nodeId();
    CallMeta meta = new CallMeta(c.meta().epoch(), "");
    CompletableFuture<ProcessorHost.Ownership> done = state.equals("owned") ? host.acquireNode(nodeId, meta)
        : host.releaseNode(nodeId, meta);
    return done.thenApply(o -> result(map("node_id", nodeId, "epoch", o.epoch(), "state", o.state())));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Runs {@code operation} on the call's session, or on the node's implicit session. */
  private <T> CompletableFuture<T> onSession(ZmqCall c, Function<String, CompletableFuture<T>> operation) {
    if (c.hasSession()) {
      return operation.apply(c.sessionId());
    }
    return host.implicitSession(c.nodeId(), c.meta()).thenCompose(operation);
  }

  /**
   * Session extension methods: {@code session_id}, or with only an explicit {@code node_id} the
   * node's implicit session (created on first use, as the gRPC service does).
   */
  private <T> CompletableFuture<T> onNamedSession(ZmqCall c, Function<String, CompletableFuture<T>> operation) {
    if (!c.hasSession() && c.explicitNodeId() == null) {
      throw ZmqParams.badRequest("session_id parameter required");
    }
    return onSession(c, operation);
  }

  /** The session a call names, the implicit one of an explicit {@code node_id} included, without creating it. */
  private static String existingSessionId(ZmqCall c) {
    if (c.hasSession()) {
      return c.sessionId();
    }
    if (c.explicitNodeId() == null) {
      throw ZmqParams.badRequest("session_id parameter required");
    }
    return ProcessorHost.implicitSessionId(c.explicitNodeId());
  }

  private Map<String, Object> sessionBody(SessionRecord record, long ttlSeconds) {
    LinkedHashMap<String, Object> body = new LinkedHashMap<>();
    body.put("session_id", record.sessionId());
    body.put("node_id", record.nodeId());
    body.put("created_at", Timestamps.sessionTime(record.createdAt()));
    body.put("expires_at", Timestamps.sessionTime(record.expiresAt()));
    body.put("ttl_seconds", ttlSeconds);
    body.put("metadata", record.metadata());
    body.put("session_config", host.effectiveConfig(record.state()));
    return body;
  }

  /** An optional object field: absent/null → empty map; another type → a dict_type item. */
  private static Map<String, Object> optionalMap(JsonNode node, String name, List<ValidationIssue> issues) {
    if (ZmqParams.absent(node)) {
      return Map.of();
    }
    if (!node.isObject()) {
      issues.add(ZmqParams.issue(IssueType.DICT_TYPE, ZmqParams.loc("body", name), node));
      return Map.of();
    }
    return JsonValues.toJavaMap((ObjectNode) node);
  }

  /** Gene names match case-insensitively; {@code sort} is an alias of {@code sort_symbols} (§3.3). */
  private static String canonicalGene(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (Genes.SORT_ALIAS.equals(lower)) {
      return Genes.SORT_SYMBOLS;
    }
    return Genes.isKnown(lower) ? lower : name;
  }

  private static String pythonStr(Object value) {
    try {
      return PyText.str(value);
    } catch (IllegalArgumentException e) {
      return String.valueOf(value);
    }
  }

  private double epochSeconds() {
    Instant now = clock.instant();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  private static LinkedHashMap<String, Object> okay() {
    LinkedHashMap<String, Object> reply = new LinkedHashMap<>();
    reply.put("status", "okay");
    return reply;
  }

  private static Map<String, Object> result(Object body) {
    LinkedHashMap<String, Object> reply = okay();
    reply.put("result", body);
    return reply;
  }

  /** An ordered map of alternating keys and values (values may be null). */
  private static LinkedHashMap<String, Object> map(Object... keysAndValues) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** The request's {@code id} is echoed (it replaces a legacy reply's node id under the same key). */
  private static Map<String, Object> withId(Map<String, Object> reply, JsonNode id) {
    if (id != null) {
      reply.put("id", id);
    }
    return reply;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * The error map of §5.4: {@code status}, {@code message}, {@code code}, {@code http_status},
   * {@code details} and the echoed {@code id}. Validation failures also carry {@code
   * details.validation_errors} ({@code field}/{@code message}/{@code type}, §1.4.3) and {@code
   * detail}, the pydantic items upstream would answer, so that a gateway can rebuild the HTTP
   * body exactly.
   */
  static Map<String, Object> error(Throwable failure, JsonNode id, String method) {
    Failures described = Failures.describe(failure);
    if (described.code() == ErrorCode.INTERNAL_ERROR) {
      LOG.warn("zmq method {} failed", method, unwrap(failure));
    }
    LinkedHashMap<String, Object> reply = new LinkedHashMap<>();
    reply.put("status", "error");
    reply.put("message", described.message());
    reply.put("code", described.code().name());
    reply.put("http_status", httpStatus(described.code()));
    LinkedHashMap<String, Object> details = new LinkedHashMap<>(described.details());
    if (!described.issues().isEmpty()) {
      details.put("validation_errors", described.issues().stream().map(issue -> map(
          "field", issue.loc().stream().map(String::valueOf).collect(Collectors.joining(".")),
          "message", issue.msg(), "type", issue.type())).collect(Collectors.toList()));
    }
    reply.put("details", details);
    if (!described.issues().isEmpty()) {
      reply.put("detail", described.issues().stream().map(ZmqMethods::pydanticItem).collect(Collectors.toList()));
    }
    if (id != null) {
      reply.put("id", id);
    }
    return reply;
  }

  /** {@code type, loc, msg, input[, ctx]}; an input whose JSON exceeds 1 KiB is summarised (§1.4.3). */
  private static Map<String, Object> pydanticItem(ValidationIssue issue) {
    LinkedHashMap<String, Object> item = new LinkedHashMap<>();
    item.put("type", issue.type());
    item.put("loc", issue.loc());
    item.put("msg", issue.msg());
    Object input = issue.input();
    try {
      int size = JsonValues.mapper().writeValueAsBytes(JsonValues.toJson(input)).length;
      if (size > 1024) {
        input = "<omitted: " + size + " bytes>";
      }
    } catch (Exception e) {
      input = String.valueOf(input);
    }
    item.put("input", input);
    if (issue.ctx() != null) {
      item.put("ctx", issue.ctx());
    }
    return item;
  }

  /** UNKNOWN_METHOD is 400 on the wire (§5.4); STALE_EPOCH never reaches HTTP, 409 marks the conflict. */
  static int httpStatus(ErrorCode code) {
    if (code == ErrorCode.UNKNOWN_METHOD) {
      return 400;
    }
    if (code == ErrorCode.STALE_EPOCH) {
      return 409;
    }
    return code.httpStatus() > 0 ? code.httpStatus() : 500;
  }
}
