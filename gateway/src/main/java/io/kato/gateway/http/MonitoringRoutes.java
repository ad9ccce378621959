package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.Timestamps;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerCircuit;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.routing.NodePlacement;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * Service root, health, readiness, status, metrics and statistics (API.md §2.1, §2.5, §3.1,
 * §3.2). Health and readiness read only the registry; routes that report sessions or nodes ask
 * the workers with a short deadline ({@link ClusterStats}); nothing is cached.
 */
public final class MonitoringRoutes {
  static final String API_VERSION = "3.10.1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_PROCESSORS = 100;

  private final HttpSupport http;
  private final WorkerRegistry registry;
  private final ClusterStats cluster;
  private final RequestMetrics metrics;
  private final MetricSeries series;
  private final PrometheusMeterRegistry prometheus;
  private final EventHub events;
  private final Instant started = Instant.now();
  private final long startedNanos = System.nanoTime();
  /** Refreshed every second by {@link #refreshSessionCount}: /health must never wait for a worker. */
  private volatile long cachedActiveSessions;
  /** Host resources, sampled off the event loop every 10 s by {@link #sampleResources}. */
  private volatile HostResources.Sample lastHost = new HostResources.Sample(0.0, 0.0, 0, 0.0, 0.0);

  private final NodePlacement placement;

  public MonitoringRoutes(HttpSupport http, WorkerRegistry registry, NodePlacement placement, RequestMetrics metrics,
      MetricSeries series, PrometheusMeterRegistry prometheus, EventHub events) {
    this.http = http;
    this.placement = placement;
    this.registry = registry;
    this.cluster = new ClusterStats(registry);
    this.metrics = metrics;
    this.series = series;
    this.prometheus = prometheus;
    this.events = events;
  }

  public void register(Router router) {
    http.attach(router);
    router.get("/").handler(this::root);
    router.get("/health").handler(ctx -> http.ok(ctx, health()));
    router.get("/ready").handler(this::ready);
    router.get("/kato-api/ping").handler(ctx -> http.ok(ctx, NODES.objectNode().put("status", "okay")
        .put("message", "KATO API is running").put("version", API_VERSION)));
    router.get("/sessions/count").handler(ctx -> http.reply(ctx, activeSessions(ctx).map(n ->
        NODES.objectNode().put("active_session_count", n)), false));
    router.get("/status").handler(this::status);
    router.get("/metrics/prometheus").handler(ctx -> ctx.response().putHeader("Content-Type",
        "text/plain; version=0.0.4").end(prometheus.scrape()));
    router.get("/metrics").handler(this::metrics);
    router.get("/metrics/:metric_name").handler(this::metric);
    router.get("/stats").handler(this::stats);
    router.get("/concurrency").handler(this::concurrency);
    router.get("/cache/stats").handler(ctx -> http.ok(ctx, cacheStats()));
    router.post("/cache/invalidate").handler(this::cacheInvalidate);
    router.get("/distributed-stm/stats").handler(this::distributedStm);
    router.get("/connection-pools").handler(this::connectionPools);
    router.get("/ingest/stats").handler(ctx -> http.ok(ctx, ingestStats()));
  }

  /**
   * {@code GET /ingest/stats} (API.md §6.9). This build has no broker consumer: the gateway
   * refuses to start with {@code KATO_INGEST_BROKER} set to a broker, so the answer is always the
   * idle one of the default {@code none}.
   */
  private static ObjectNode ingestStats() {
    ObjectNode o = NODES.objectNode();
    o.put("broker", "none");
    o.put("running", false);
    for (String counter : new String[] {"consumed", "applied", "duplicates", "dead_lettered", "retries", "lag"}) {
      o.put(counter, 0);
    }
    return o;
  }

  double uptimeSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Updates the session count /health shows (called by a periodic timer). */
  public void refreshSessionCount() {
    cluster.fetch(0, null).onSuccess(s -> cachedActiveSessions = s.sum("active_sessions"));
  }

  /** Adds one sample of host resources to the time series (blocking: call off the event loop). */
  public void sampleResources() {
    HostResources.Sample host = HostResources.sample();
    lastHost = host;
    Map<String, String> none = Map.of();
    series.record("kato_cpu_usage_percent", host.cpuPercent(), none);
    series.record("kato_memory_usage_percent", host.memoryPercent(), none);
    series.record("kato_memory_usage_bytes", host.memoryBytes(), none);
    series.record("kato_disk_usage_percent", host.diskPercent(), none);
    series.record("load_average_1m", host.load1m(), none);
  }

  /** Explicit live sessions across the cluster, counted now. */
  Future<Long> activeSessions(RoutingContext ctx) {
    return cluster.fetch(0, HttpSupport.traceId(ctx)).map(s -> s.sum("active_sessions"));
  }

  private void root(RoutingContext ctx) {
    ObjectNode o = NODES.objectNode();
    o.put("service", "KATO API");
    o.put("version", API_VERSION);
    o.put("description", "Knowledge Abstraction for Traceable Outcomes with Multi-User Support");
    o.put("docs", "/docs");
    o.put("health", "/health");
    o.put("status", "running");
    o.put("uptime_seconds", uptimeSeconds());
    o.put("architecture", "modular");
    o.put("session_support", true);
    o.put("implementation", "kato-jvm");
    o.put("implementation_version", GatewayVersion.VERSION);
    http.ok(ctx, o);
  }

  /** healthy / degraded (no live worker) / unhealthy (heap above 95 %); never host load. */
  String healthStatus() {
    Runtime rt = Runtime.getRuntime();
    double heapUse = (double) (rt.totalMemory() - rt.freeMemory()) / rt.maxMemory();
    if (heapUse > 0.95) {
      return "unhealthy";
    }
    return registry.liveCount() == 0 ? "degraded" : "healthy";
  }

  private ObjectNode health() {
    String status = healthStatus();
    ObjectNode o = NODES.objectNode();
    o.put("status", status);
    o.put("processor_status", registry.liveCount() > 0 ? "healthy" : "unknown");
    o.put("service_name", http.options().serviceName());
    double uptime = uptimeSeconds();
    o.put("uptime_seconds", uptime);
    ArrayNode issues = o.putArray("issues");
    if (registry.liveCount() == 0) {
      issues.add("No live workers");
    }
    if (status.equals("unhealthy")) {
      issues.add("Gateway heap use above 95%");
    }
    o.put("metrics_collected", MetricSeries.NAMES.size());
    o.put("last_collection", started.toEpochMilli() / 1000.0);
    o.put("active_sessions", cachedActiveSessions);
    o.put("timestamp", Timestamps.eventTime(Instant.now()));
    o.put("processor_id", http.options().serviceName());
    o.put("uptime", uptime);
    Runtime rt = Runtime.getRuntime();
    o.put("memory_usage", rt.totalMemory() - rt.freeMemory());
    return o;
  }

  private void ready(RoutingContext ctx) {
    long live = registry.liveCount();
    if (live == 0) {
      ObjectNode details = NODES.objectNode();
      details.putArray("reasons").add("no live workers");
      details.put("workers_live", 0);
      http.send(ctx, ApiError.of(ErrorCode.NOT_READY, "Gateway is not ready: no live workers", details));
      return;
    }
    http.ok(ctx, NODES.objectNode().put("status", "ready").put("workers_live", live)
        .put("workers_total", registry.all().size()).put("uptime_seconds", uptimeSeconds()));
  }

  private ObjectNode processors(ClusterStats.Snapshot snapshot) {
    List<ObjectNode> nodes = snapshot.nodes();
    nodes.sort((a, b) -> b.path("last_accessed").asText().compareTo(a.path("last_accessed").asText()));
    ObjectNode o = NODES.objectNode();
    o.put("total_processors", snapshot.sum("nodes_loaded"));
    o.put("max_processors", MAX_PROCESSORS);
    o.put("eviction_ttl_seconds", 3600);
    ArrayNode list = o.putArray("processors");
    nodes.stream().limit(MAX_PROCESSORS).forEach(list::add);
    return o;
  }

  private void status(RoutingContext ctx) {
    String node = http.node(ctx, true);
    // the [seed-003] stm_length/time of the node's implicit session; a read that creates nothing,
    // skipped (0) while no worker serves, so /status never waits for one
    // only a node placed already: a status read must not place (and load) every id it is asked about
    boolean placed = registry.liveCount() > 0 && !placement.describe(node).path("worker_id").isNull();
    Future<JsonNode> clock = !placed ? Future.succeededFuture(NODES.objectNode())
        : http.<JsonNode>onNode(ctx, node, (t, c) -> t.ping(node, c).map(p -> p)).otherwise(NODES.objectNode());
    Future<ClusterStats.Snapshot> stats = cluster.fetch(MAX_PROCESSORS, HttpSupport.traceId(ctx));
    Future.join(clock, stats).onComplete(joined -> {
      ClusterStats.Snapshot s = stats.succeeded() ? stats.result() : new ClusterStats.Snapshot(List.of(), 0);
      JsonNode implicit = clock.succeeded() ? clock.result() : NODES.objectNode();
      ObjectNode o = NODES.objectNode();
      o.put("status", healthStatus());
      o.put("base_processor_id", http.options().serviceName());
      o.put("uptime_seconds", uptimeSeconds());
      ObjectNode sessions = o.putObject("sessions");
      long active = s.sum("active_sessions");
      sessions.put("total_sessions", active);
      sessions.put("active_sessions", active);
      sessions.put("expired_sessions", 0);
      sessions.put("nodes_with_sessions", s.sum("nodes_with_sessions"));
      long events = s.sum("total_stm_events");
      sessions.put("average_stm_size", active == 0 ? 0.0 : (double) events / active);
      sessions.put("total_stm_events", events);
      sessions.put("backend", s.workers().isEmpty() ? "none" : s.workers().get(0).path("store").asText());
      sessions.put("redis_url", "");
      o.set("processors", processors(s));
      o.put("version", API_VERSION);
      o.put("processor_id", node);
      o.put("processor_name", "KatoProcessor");
      o.put("uptime", uptimeSeconds());
      o.put("stm_length", implicit.path("stm_length").asLong(0));
      o.put("time", implicit.path("interval").asLong(0));
      ObjectNode workers = o.putObject("workers");
      workers.put("total", registry.all().size());
      workers.put("live", registry.liveCount());
      http.ok(ctx, o);
    });
  }

  private ObjectNode summary(ClusterStats.Snapshot s, HostResources.Sample host) {
    RequestMetrics.Window window = metrics.window();
    ObjectNode o = NODES.objectNode();
    ObjectNode sessions = o.putObject("sessions");
    sessions.put("total_created", (double) metrics.sessionsCreated());
    sessions.put("total_deleted", (double) metrics.sessionsDeleted());
    sessions.put("active", s.sum("active_sessions"));
    sessions.put("operations_total", (double) metrics.sessionOperations());
    ObjectNode performance = o.putObject("performance");
    long total = metrics.requests();
    performance.put("total_requests", (double) total);
    performance.put("total_errors", (double) metrics.errors());
    performance.put("error_rate", total == 0 ? 0.0 : (double) metrics.errors() / total);
    performance.put("average_response_time", window.meanSeconds());
    ObjectNode resources = o.putObject("resources");
    resources.put("cpu_percent", host.cpuPercent());
    resources.put("memory_percent", host.memoryPercent());
    resources.put("disk_percent", host.diskPercent());
    ObjectNode databases = o.putObject("databases");
    for (String name : List.of("clickhouse", "qdrant", "redis")) {
      databases.putObject(name).put("operations", 0.0).put("errors", 0.0).put("avg_response_time", 0.0);
    }
    if (!s.workers().isEmpty()) {
      String store = s.workers().get(0).path("store").asText();
      databases.putObject(store).put("operations", (double) s.sum("store_operations"))
          .put("errors", (double) s.sum("store_errors"))
          .put("avg_response_time", s.workers().get(0).path("store_avg_seconds").asDouble());
    }
    return o;
  }

  private void metrics(RoutingContext ctx) {
    cluster.fetch(MAX_PROCESSORS, HttpSupport.traceId(ctx)).onComplete(done -> {
      ClusterStats.Snapshot s = done.succeeded() ? done.result() : new ClusterStats.Snapshot(List.of(), 0);
      HostResources.Sample host = lastHost;
      ObjectNode summary = summary(s, host);
      RequestMetrics.Window window = metrics.window();
      ObjectNode o = NODES.objectNode();
      o.put("timestamp", System.currentTimeMillis() / 1000.0);
      o.setAll(summary);
      ObjectNode rates = o.putObject("rates");
      rate(rates, "requests_per_second", window.requests() / 60.0);
      rate(rates, "requests_per_minute", (double) window.requests());
      rate(rates, "errors_per_minute", (double) window.errors());
      rate(rates, "sessions_per_minute", (double) window.sessionsCreated());
      o.set("processor_manager", processors(s));
      o.putNull("uptime_seconds");
      o.putNull("active_sessions");
      o.putNull("error");
      o.put("observations_processed", metrics.observations());
      o.put("patterns_learned", metrics.patternsLearned());
      o.put("predictions_generated", metrics.predictions());
      o.put("stm_size", s.sum("total_stm_events"));
      http.ok(ctx, o);
    });
  }

  /** upstream writes a zero rate as the integer 0 ({@code get_rate() or 0}). */
  private static void rate(ObjectNode rates, String name, double value) {
    if (value == 0.0) {
      rates.put(name, 0);
    } else {
      rates.put(name, value);
    }
  }

  private Integer minutes(RoutingContext ctx) {
    String text = ctx.request().getParam("minutes");
    if (text == null) {
      return 10;
    }
    var issues = new java.util.ArrayList<io.kato.common.json.ValidationIssue>();
    Long value = io.kato.common.json.LaxScalars.integer(NODES.textNode(text), List.of("query", "minutes"), issues);
    if (value == null) {
      http.send(ctx, ApiError.validation(issues));
      return null;
    }
    return value.intValue();
  }

  private void metric(RoutingContext ctx) {
    Integer minutes = minutes(ctx);
    if (minutes == null) {
      return;
    }
    String name = ctx.pathParam("metric_name");
    ArrayNode points = series.points(name, minutes * 60.0);
    if (points.isEmpty()) {
      http.send(ctx, ApiError.of(ErrorCode.METRIC_NOT_FOUND, "No data available for metric '" + name
          + "' in the last " + minutes + " minutes"));
      return;
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    for (var p : points) {
      double v = p.path("value").asDouble();
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    ObjectNode o = NODES.objectNode();
    o.put("metric_name", name);
    o.put("time_range_minutes", minutes);
    o.put("timestamp", System.currentTimeMillis() / 1000.0);
    o.putObject("statistics").put("count", points.size()).put("min", min).put("max", max)
        .put("avg", sum / points.size());
    o.set("data_points", points);
    http.ok(ctx, o);
  }

  private void stats(RoutingContext ctx) {
    Integer minutes = minutes(ctx);
    if (minutes == null) {
      return;
    }
    cluster.fetch(MAX_PROCESSORS, HttpSupport.traceId(ctx)).onComplete(done -> {
      ClusterStats.Snapshot s = done.succeeded() ? done.result() : new ClusterStats.Snapshot(List.of(), 0);
      HostResources.Sample host = lastHost;
      ObjectNode o = NODES.objectNode();
      o.put("time_range_minutes", minutes);
      o.put("timestamp", System.currentTimeMillis() / 1000.0);
      o.set("processor_manager", processors(s));
      ObjectNode current = o.putObject("current_status");
      current.put("status", healthStatus());
      current.putArray("issues");
      RequestMetrics.Window window = metrics.window();
      current.putObject("metrics").put("cpu_percent", host.cpuPercent()).put("memory_percent", host.memoryPercent())
          .put("error_rate_per_min", (double) window.errors());
      current.put("timestamp", Timestamps.eventTime(Instant.now()));
      ObjectNode timeSeries = o.putObject("time_series");
      for (String name : MetricSeries.NAMES) {
        timeSeries.set(name, series.points(name, minutes * 60.0));
      }
      o.set("summary", summary(s, host));
      o.putNull("error");
      o.set("connection_pools", pools());
      ArrayNode workers = o.putArray("workers");
      registry.all().forEach(w -> workers.add(w.toJson()));
      http.ok(ctx, o);
    });
  }

  ObjectNode pools() {
    ObjectNode pools = NODES.objectNode();
    for (Worker w : registry.all()) {
      ObjectNode p = w.transport().poolStatistics();
      p.put("state", w.state().wireName());
      p.put("circuit", WorkerCircuit.stateName(w.circuit()));
      pools.set(w.workerId(), p);
    }
    return pools;
  }

  private void concurrency(RoutingContext ctx) {
    ObjectNode o = NODES.objectNode();
    o.put("status", "healthy");
    int open = events.connections();
    o.putObject("current").put("concurrent_requests", open).put("utilization_percent", 0);
    o.putObject("peak").put("concurrent_requests", open).put("utilization_percent", 0);
    int perWorker = 1000;
    o.putObject("limits").put("per_worker", perWorker).put("warning_threshold", perWorker * 7 / 10)
        .put("critical_threshold", perWorker * 9 / 10).put("total_capacity", perWorker * Math.max(1,
            registry.all().size()));
    o.putObject("configuration").put("workers", registry.all().size()).put("backlog", 2048)
        .put("max_requests", "unlimited");
    o.putArray("recommendations");
    o.put("timestamp", Timestamps.eventTime(Instant.now()));
    http.ok(ctx, o);
  }

  private static ObjectNode cacheStats() {
    ObjectNode o = NODES.objectNode();
    o.putObject("cache_performance").put("status", "disabled").put("reason", "Cache manager not available");
    o.putObject("cache_health").put("status", "disabled");
    o.put("timestamp", Timestamps.eventTime(Instant.now()));
    return o;
  }

  private void cacheInvalidate(RoutingContext ctx) {
    ObjectNode o = NODES.objectNode();
    o.put("status", "disabled");
    o.putNull("patterns_invalidated");
    o.putNull("symbols_invalidated");
    String sessionId = ctx.request().getParam("session_id");
    if (sessionId == null) {
      o.putNull("session_id");
    } else {
      o.put("session_id", sessionId);
    }
    o.put("reason", "Cache manager not available");
    o.put("timestamp", Timestamps.eventTime(Instant.now()));
    http.ok(ctx, o);
  }

  private void distributedStm(RoutingContext ctx) {
    cluster.fetch(0, HttpSupport.traceId(ctx)).onComplete(done -> {
      long loaded = done.succeeded() ? done.result().sum("nodes_loaded") : 0;
      ObjectNode o = NODES.objectNode();
      o.put("status", "disabled");
      o.put("distributed_stm_enabled", false);
      o.put("reason", "No processors with distributed STM available");
      o.putObject("processor_info").put("total_active_processors", loaded);
      o.putNull("performance_stats");
      o.putNull("stm_stats");
      o.put("timestamp", Timestamps.eventTime(Instant.now()));
      http.ok(ctx, o);
    });
  }

  private void connectionPools(RoutingContext ctx) {
    ObjectNode o = NODES.objectNode();
    o.put("status", registry.liveCount() > 0 ? "healthy" : "degraded");
    o.putObject("health").put("workers_live", registry.liveCount()).put("workers_total", registry.all().size());
    o.set("pool_statistics", pools());
    o.putObject("connection_optimization").put("transport", "grpc").put("http2_multiplexing", true);
    o.putObject("performance_improvements");
    o.putNull("error");
    o.put("timestamp", Timestamps.eventTime(Instant.now()));
    http.ok(ctx, o);
  }

  /** {@code datetime.now().isoformat()}: local time, no offset (the snapshot quirk of §4.1). */
  static String naiveNow() {
    String text = LocalDateTime.now().toString();
    if (!text.contains(".")) {
      return text + ".000000";
    }
    String[] parts = text.split("\\.");
    String fraction = (parts[1] + "000000").substring(0, 6);
    return parts[0] + "." + fraction;
  }
}
