package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonValues;
import io.kato.common.json.RequestModels;
import io.kato.common.proto.ProtoValues;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.SessionRef;
import io.kato.gateway.transport.WorkerCallException;
import io.kato.gateway.transport.WorkerTransport;
import io.kato.proto.v1.Observation;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ZeroMQ-era per-processor routes {@code /{processor_id}/<op>} of seed 002 (API.md §3.5) and
 * {@code /connect}: legacy shapes ({@code id}, {@code interval}, {@code time_stamp}) on the
 * node's implicit session. Registered last: a first path segment that is a reserved word is
 * never a processor id, so such paths fall through to 404.
 */
public final class LegacyRoutes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> RESERVED = Set.of("sessions", "session", "health", "ready", "status", "metrics",
      "stats", "concurrency", "cache", "distributed-stm", "connection-pools", "pattern", "percept-data",
      "cognition-data", "symbols", "ws", "docs", "redoc", "openapi.json", "kato-api", "workers", "nodes", "genes",
      "gene", "observe", "observe-sequence", "stm", "short-term-memory", "learn", "clear-stm",
      "clear-short-term-memory", "clear-all", "clear-all-memory", "predictions", "ingest", "admin", "connect");
  private static final String PROCESSOR_NAME = System.getenv().getOrDefault("PROCESSOR_NAME", "KatoProcessor");

  private final HttpSupport http;

  /** Whether a first path segment is a reserved word, never a processor id. */
  static boolean isReserved(String firstSegment) {
    return RESERVED.contains(firstSegment);
  }

  public LegacyRoutes(HttpSupport http) {
    this.http = http;
  }

  /** The operation of one legacy route on the processor's implicit session. */
  private interface Operation {
    Future<ObjectNode> apply(RoutingContext ctx, String pid, WorkerTransport t, CallContext c);
  }

  public void register(Router router) {
    router.get("/connect").handler(this::connect);
    router.post("/connect").handler(this::connect);
    route(router, "GET", "/:pid/ping", this::ping, false);
    route(router, "GET", "/:pid/status", this::status, false);
    route(router, "POST", "/:pid/observe", this::observe, true);
    for (String path : new String[] {"/:pid/short-term-memory", "/:pid/stm"}) {
      route(router, "GET", path, (ctx, pid, t, c) -> t.cognitionData(implicit(pid), c).map(body -> {
        JsonNode data = body.path("cognition_data");
        ObjectNode o = NODES.objectNode();
        o.set("message", data.path("short_term_memory"));
        o.set("short_term_memory", data.path("short_term_memory"));
        o.put("time_stamp", now());
        o.put("interval", data.path("time").asLong());
        return o;
      }), false);
    }
    route(router, "POST", "/:pid/learn", this::learn, true);
    for (String method : new String[] {"GET", "POST"}) {
      route(router, method, "/:pid/predictions", (ctx, pid, t, c) -> t.predictions(implicit(pid), c).map(body -> {
        ArrayNode predictions = withPrefix(body.path("predictions"));
        ObjectNode o = NODES.objectNode();
        o.set("message", predictions);
        o.set("predictions", predictions.deepCopy());
        o.put("processor_id", pid);
        return o;
      }), false);
    }
    for (String path : new String[] {"/:pid/clear-short-term-memory", "/:pid/clear-stm",
        "/:pid/short-term-memory/clear", "/:pid/stm/clear"}) {
      route(router, "POST", path, (ctx, pid, t, c) -> t.clearStm(implicit(pid), c)
          .map(b -> legacyStatus(pid, "stm-cleared")), true);
    }
    for (String path : new String[] {"/:pid/clear-all-memory", "/:pid/memory/clear-all"}) {
      route(router, "POST", path, (ctx, pid, t, c) -> t.clearAll(implicit(pid), c)
          .map(b -> legacyStatus(pid, "all-cleared")), true);
    }
    route(router, "GET", "/:pid/percept-data", (ctx, pid, t, c) -> t.perceptData(implicit(pid), c)
        .map(b -> wrapped("percept_data", b.path("percept_data"), pid)), false);
    route(router, "GET", "/:pid/cognition-data", (ctx, pid, t, c) -> t.cognitionData(implicit(pid), c)
        .map(b -> wrapped("cognition_data", b.path("cognition_data"), pid)), false);
    route(router, "GET", "/:pid/gene/:gene_name", this::gene, false);
    route(router, "POST", "/:pid/genes/change", this::genesChange, true);
    route(router, "POST", "/:pid/gene/:gene_name/change", this::geneChange, true);
    route(router, "GET", "/:pid/pattern/:pattern_id", this::pattern, false);
  }

  private void route(Router router, String method, String path, Operation operation, boolean mutation) {
    router.route(io.vertx.core.http.HttpMethod.valueOf(method), path).handler(ctx -> {
      String pid = ctx.pathParam("pid");
      if (RESERVED.contains(pid)) {
        ctx.next();
        return;
      }
      try {
        http.reply(ctx, http.onNode(ctx, pid, (t, c) -> operation.apply(ctx, pid, t, c)), mutation);
      } catch (RuntimeException e) {
        http.fail(ctx, e, mutation);
      }
    });
  }

  private static SessionRef implicit(String pid) {
    return SessionRef.implicit(pid);
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static ObjectNode legacyStatus(String pid, String message) {
    ObjectNode o = NODES.objectNode();
    o.put("status", "okay");
    o.put("message", message);
    o.put("id", pid);
    o.put("interval", 0);
    o.put("time_stamp", now());
    return o;
  }

  private static ObjectNode wrapped(String field, JsonNode data, String pid) {
    ObjectNode o = NODES.objectNode();
    o.set("message", data);
    o.set(field, data.deepCopy());
    o.put("processor_id", pid);
    return o;
  }

  /** Prediction names of the ZeroMQ era carry the {@code PTRN|} prefix. */
  private static ArrayNode withPrefix(JsonNode predictions) {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode p : predictions) {
      ObjectNode copy = ((ObjectNode) p).deepCopy();
      String name = copy.path("name").asText();
      if (!name.startsWith("PTRN|")) {
        copy.put("name", "PTRN|" + name);
      }
      out.add(copy);
    }
    return out;
  }

  private Future<ObjectNode> ping(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    long started = System.nanoTime();
    return t.ping(pid, c).map(p -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", "okay");
      o.put("message", "pong");
      o.put("processor_id", pid);
      o.put("id", pid);
      o.put("processor", p.path("processor").asText(PROCESSOR_NAME));
      o.put("interval", p.path("interval").asLong());
      o.put("time_stamp", p.path("time_stamp").asDouble(now()));
      o.put("worker_id", p.path("worker_id").asText());
      o.put("latency_ms", Math.round((System.nanoTime() - started) / 10_000.0) / 100.0);
      return o;
    });
  }

  private Future<ObjectNode> status(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    return t.ping(pid, c).map(p -> {
      String name = p.path("processor").asText(PROCESSOR_NAME);
      long interval = p.path("interval").asLong();
      ObjectNode o = NODES.objectNode();
      o.put("status", "okay");
      o.put("id", pid);
      o.put("processor", name);
      o.put("time_stamp", now());
      o.put("interval", interval);
      o.putObject("message").put("status", "okay").put("message", name).put("id", pid).put("interval", interval);
      return o;
    });
  }

  private Future<ObjectNode> observe(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    JsonNode body = http.body(ctx, true);
    if (body.isObject() && body.path("data").isObject()) {
      body = body.get("data");
    }
    Observation observation = RequestModels.observe(body, http.options().limits(), true);
    String uniqueId = observation.getUniqueId();
    SessionRef session = implicit(pid);
    return t.observe(session, observation, c).compose(observed -> t.stm(session, c).map(stm -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", "okay");
      o.put("message", "observed");
      o.set("short_term_memory", stm.path("stm"));
      o.put("id", pid);
      o.put("processor_id", pid);
      o.put("interval", observed.path("time").asLong());
      o.put("time_stamp", now());
      o.put("unique_id", uniqueId.isEmpty() ? observed.path("unique_id").asText() : uniqueId);
      o.set("auto_learned_pattern", observed.path("auto_learned_pattern"));
      return o;
    }));
  }

  private Future<ObjectNode> learn(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    SessionRef session = implicit(pid);
    Future<String> learned = t.learn(session, c).map(b -> b.path("pattern_name").asText())
        .recover(e -> e instanceof WorkerCallException && ((WorkerCallException) e).code() == ErrorCode.EMPTY_STM
            ? Future.succeededFuture("") : Future.failedFuture(e));
    return learned.compose(name -> t.cognitionData(session, c).map(cognition -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", "okay");
      o.put("message", name);
      o.put("pattern_name", name);
      o.put("id", pid);
      o.put("interval", cognition.path("cognition_data").path("time").asLong());
      o.put("time_stamp", now());
      return o;
    }));
  }

  private Future<ObjectNode> gene(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    String name = ctx.pathParam("gene_name");
    String key = NodeRoutes.lowerGene(name);
    return t.getConfig(implicit(pid), c).compose(body -> {
      JsonNode config = body.path("config");
      if (!NodeRoutes.isGene(config, key)) {
        return Future.failedFuture(ApiError.of(ErrorCode.UNKNOWN_GENE, "Gene " + name + " not found"));
      }
      JsonNode value = config.has(key) ? config.get(key) : NODES.nullNode();
      ObjectNode o = NODES.objectNode();
      o.put("gene_name", name);
      o.set("gene_value", value);
      o.set("message", value.deepCopy());
      return Future.succeededFuture(o);
    });
  }

  private Future<ObjectNode> genesChange(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    JsonNode body = http.body(ctx, true);
    Map<String, Object> update = new LinkedHashMap<>();
    if (body != null && body.path("data").isObject()) {
      update.putAll(NodeRoutes.genes(body.get("data")));
    } else if (body != null && body.has("gene_name") && body.has("gene_value")) {
      update.putAll(NodeRoutes.genes(body));
    } else {
      return Future.failedFuture(ApiError.of(ErrorCode.BAD_REQUEST, "gene_name and gene_value required"));
    }
    return applyGenes(pid, update, t, c);
  }

  private Future<ObjectNode> geneChange(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    JsonNode body = http.body(ctx, true);
    if (body == null || !body.has("value")) {
      return Future.failedFuture(ApiError.of(ErrorCode.BAD_REQUEST, "value required"));
    }
    String key = NodeRoutes.lowerGene(ctx.pathParam("gene_name"));
    Map<String, Object> update = new LinkedHashMap<>();
    update.put(key, JsonValues.toJava(body.get("value")));
    return t.getConfig(implicit(pid), c).compose(config -> {
      if (!NodeRoutes.isGene(config.path("config"), key)) {
        return Future.failedFuture(ApiError.of(ErrorCode.UNKNOWN_GENE, "Gene " + ctx.pathParam("gene_name")
            + " not found"));
      }
      return applyGenes(pid, update, t, c);
    });
  }

  private static Future<ObjectNode> applyGenes(String pid, Map<String, Object> update, WorkerTransport t,
      CallContext c) {
    return t.updateConfig(implicit(pid), ProtoValues.toProtoMap(update), c).map(b -> {
      ObjectNode o = NODES.objectNode();
      o.put("id", pid);
      o.put("status", "okay");
      o.put("message", "updated-genes");
      return o;
    });
  }

  private Future<ObjectNode> pattern(RoutingContext ctx, String pid, WorkerTransport t, CallContext c) {
    String patternId = ctx.pathParam("pattern_id");
    return t.pattern(pid, patternId, c).compose(body -> {
      JsonNode wrapper = body.path("pattern");
      if (!"okay".equals(wrapper.path("status").asText())) {
        return Future.failedFuture(ApiError.of(ErrorCode.PATTERN_NOT_FOUND, "Pattern " + patternId + " not found"));
      }
      ObjectNode o = NODES.objectNode();
      o.set("message", wrapper.path("pattern"));
      o.set("pattern", wrapper.path("pattern").deepCopy());
      return Future.succeededFuture(o);
    });
  }

  private void connect(RoutingContext ctx) {
    JsonNode body = http.optionalBody(ctx);
    String requested = body != null && body.path("processor_id").isTextual() ? body.get("processor_id").asText()
        : ctx.request().getParam("processor_id");
    String pid = requested != null ? requested : http.node(ctx, true);
    http.reply(ctx, http.onNode(ctx, pid, (t, c) -> t.getConfig(implicit(pid), c)).map(config -> {
      ObjectNode o = NODES.objectNode();
      o.put("status", "okay");
      o.put("message", "connected");
      if (requested == null) {
        o.putNull("processor_id");
      } else {
        o.put("processor_id", requested);
      }
      ObjectNode genome = o.putObject("genome");
      genome.put("id", pid);
      genome.put("name", PROCESSOR_NAME);
      genome.setAll((ObjectNode) config.path("config"));
      return o;
    }), false);
  }
}
