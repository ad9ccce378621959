package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.NodeIds;
import io.kato.common.json.RequestModels;
import io.kato.common.proto.ProtoValues;
import io.kato.gateway.transport.SessionRef;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Routes that name a node but no session (API.md §1.9): the v3 node-scoped routes (§2.4) and
 * the seed-003 root routes (§3.3), which act on the node's implicit session {@code
 * __node__:<node_id>}.
 */
public final class NodeRoutes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String DEPRECATED = "This endpoint is deprecated. Use /sessions/{session_id}/%s for "
      + "session-aware data.";
  /** Config keys that appear in the effective config only once set (§1.11). */
  private static final Set<String> OPTIONAL_GENES = Set.of("fuzzy_token_threshold", "affinity_emotive");

  private final HttpSupport http;
  private final RequestMetrics metrics;

  public NodeRoutes(HttpSupport http, RequestMetrics metrics) {
    this.http = http;
    this.metrics = metrics;
  }

  public void register(Router router) {
    http.attach(router);
    router.get("/pattern/:pattern_id").handler(this::pattern);
    router.get("/percept-data").handler(ctx -> deprecatedView(ctx, "percept-data", "percept_data"));
    router.get("/cognition-data").handler(ctx -> deprecatedView(ctx, "cognition-data", "cognition_data"));
    router.get("/symbols/affinity").handler(ctx -> nodeCall(ctx, false, (n, t, c) -> t.symbolAffinities(n, c)));
    router.get("/symbols/stats").handler(ctx -> nodeCall(ctx, false, (n, t, c) -> t.symbolStats(n, c)));
    router.get("/symbols/:symbol/affinity").handler(ctx -> nodeCall(ctx, false,
        (n, t, c) -> t.symbolAffinity(n, ctx.pathParam("symbol"), c)));

    router.post("/observe").handler(this::observe);
    router.post("/observe-sequence").handler(this::observeSequence);
    for (String path : new String[] {"/stm", "/short-term-memory"}) {
      router.get(path).handler(ctx -> implicit(ctx, false, (s, t, c) -> t.stm(s, c).map(o -> withProcessor(o, s))));
    }
    router.post("/learn").handler(ctx -> {
      metrics.learned();
      implicit(ctx, true, (s, t, c) -> t.learn(s, c).map(o -> o.put("processor_id", s.nodeId())));
    });
    for (String path : new String[] {"/clear-stm", "/clear-short-term-memory"}) {
      router.post(path).handler(ctx -> implicit(ctx, true, (s, t, c) -> t.clearStm(s, c)
          .map(o -> cleared(s, "stm-cleared", false))));
    }
    for (String path : new String[] {"/clear-all", "/clear-all-memory"}) {
      router.post(path).handler(ctx -> implicit(ctx, true, (s, t, c) -> t.clearAll(s, c)
          .map(o -> cleared(s, "all-cleared", true))));
    }
    router.get("/predictions").handler(this::predictions);
    router.post("/predictions").handler(this::predictions);
    router.post("/genes/update").handler(this::genesUpdate);
    router.get("/gene/:gene_name").handler(this::gene);
  }

  interface NodeOperation {
    Future<ObjectNode> apply(String nodeId, io.kato.gateway.transport.WorkerTransport transport,
        io.kato.gateway.transport.CallContext call);
  }

  interface ImplicitOperation {
    Future<ObjectNode> apply(SessionRef session, io.kato.gateway.transport.WorkerTransport transport,
        io.kato.gateway.transport.CallContext call);
  }

  private void nodeCall(RoutingContext ctx, boolean mutation, NodeOperation operation) {
    String nodeId = http.node(ctx, false);
    http.reply(ctx, http.onNode(ctx, nodeId, (t, c) -> operation.apply(nodeId, t, c)), mutation);
  }

  private void implicit(RoutingContext ctx, boolean mutation, ImplicitOperation operation) {
    SessionRef session = SessionRef.implicit(http.node(ctx, true));
    http.reply(ctx, http.onNode(ctx, session.nodeId(), (t, c) -> operation.apply(session, t, c)), mutation);
  }

  private void predictions(RoutingContext ctx) {
    metrics.predicted();
    implicit(ctx, false, (s, t, c) -> t.predictionsForReply(s, c).map(o -> o.put("processor_id", s.nodeId())));
  }

  private static ObjectNode withProcessor(ObjectNode body, SessionRef session) {
    body.put("processor_id", session.nodeId());
    return body;
  }

  private static ObjectNode cleared(SessionRef session, String message, boolean all) {
    ObjectNode o = NODES.objectNode();
    o.put("status", "cleared");
    o.put("message", message);
    if (all) {
      o.put("scope", "all");
    }
    o.put("processor_id", session.nodeId());
    o.put("session_id", session.visibleId());
    return o;
  }

  private void pattern(RoutingContext ctx) {
    String nodeId = http.node(ctx, true);
    String patternId = ctx.pathParam("pattern_id");
    http.reply(ctx, http.onNode(ctx, nodeId, (t, c) -> t.pattern(nodeId, patternId, c))
        .map(o -> o.put("processor_id", o.path("node_id").asText())), false);
  }

  private void deprecatedView(RoutingContext ctx, String route, String field) {
    SessionRef session = SessionRef.implicit(http.node(ctx, true));
    String kbId = NodeIds.kbId(session.nodeId());
    Future<ObjectNode> view = http.onNode(ctx, session.nodeId(), (t, c) -> field.equals("percept_data")
        ? t.perceptData(session, c) : t.cognitionData(session, c));
    http.reply(ctx, view.map(body -> {
      ObjectNode o = NODES.objectNode();
      o.set(field, body.get(field));
      o.put("node_id", kbId);
      o.put("warning", String.format(DEPRECATED, route));
      o.put("processor_id", kbId);
      return o;
    }), false);
  }

  private void observe(RoutingContext ctx) {
    Observation observation;
    try {
      observation = RequestModels.observe(http.body(ctx, true), http.options().limits(), true);
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    metrics.observed(1);
    implicit(ctx, true, (s, t, c) -> t.observe(s, observation, c));
  }

  private void observeSequence(RoutingContext ctx) {
    ObserveSequenceRequest request;
    try {
      request = RequestModels.observeSequence(http.body(ctx, true), http.options().limits());
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    metrics.observed(request.getObservationsCount());
    implicit(ctx, true, (s, t, c) -> t.observeSequence(s, request, c));
  }

  /** {@code {"genes": {...}}}, {@code {"data": {...}}}, {@code {"gene_name", "gene_value"}} or a bare map. */
  private void genesUpdate(RoutingContext ctx) {
    Map<String, Object> update;
    try {
      JsonNode body = http.body(ctx, true);
      update = genes(body);
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    MapValue proto = ProtoValues.toProtoMap(update);
    implicit(ctx, true, (s, t, c) -> t.updateConfig(s, proto, c).map(o -> {
      ObjectNode out = NODES.objectNode();
      out.put("status", "okay");
      out.put("message", "genes-updated");
      out.put("processor_id", s.nodeId());
      out.put("node_id", s.nodeId());
      out.set("genes", io.kato.common.json.JsonValues.toJson(update));
      return out;
    }));
  }

  static Map<String, Object> genes(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.validation(java.util.List.of(new io.kato.common.json.ValidationIssue("dict_type",
          java.util.List.of("body"), "Input should be a valid dictionary", null, null)));
    }
    JsonNode map = body;
    if (body.path("genes").isObject()) {
      map = body.get("genes");
    } else if (body.path("data").isObject()) {
      map = body.get("data");
    } else if (body.has("gene_name")) {
      Map<String, Object> single = new LinkedHashMap<>();
      single.put(lowerGene(body.path("gene_name").asText()),
          io.kato.common.json.JsonValues.toJava(body.get("gene_value")));
      return single;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.put(lowerGene(field.getKey()), io.kato.common.json.JsonValues.toJava(field.getValue()));
    }
    return out;
  }

  /** Gene names match case-insensitively; {@code sort} is an alias of {@code sort_symbols} (§3.3). */
  static String lowerGene(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals("sort") ? "sort_symbols" : lower;
  }

  /** Whether {@code name} (canonical) is a config key: in the effective config, or optional and unset. */
  static boolean isGene(JsonNode effectiveConfig, String name) {
    return effectiveConfig.has(name) || OPTIONAL_GENES.contains(name);
  }

  private void gene(RoutingContext ctx) {
    String requested = ctx.pathParam("gene_name");
    String name = lowerGene(requested);
    implicit(ctx, false, (s, t, c) -> t.getConfig(s, c).compose(body -> {
      JsonNode config = body.path("config");
      if (!isGene(config, name)) {
        return Future.failedFuture(ApiError.of(ErrorCode.UNKNOWN_GENE, "Gene " + requested + " not found"));
      }
      JsonNode value = config.has(name) ? config.get(name) : NODES.nullNode();
      ObjectNode o = NODES.objectNode();
      o.put("gene_name", name);
      o.set("gene_value", value);
      o.put("gene", name);
      o.set("value", value);
      o.put("processor_id", s.nodeId());
      o.put("node_id", s.nodeId());
      return Future.succeededFuture(o);
    }));
  }
}
