package io.kato.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /openapi.json}, {@code /docs} and {@code /redoc} (API.md §2.1.2). The document is built
 * from {@link #CATALOG}, the route list of API.md §7; a test holds the catalog and the router to
 * each other, so the document cannot drift from what is served.
 */
public final class OpenApiRoutes {
  private OpenApiRoutes() {}

  /** One documented operation: OpenAPI-style path ({@code {param}}), summary, tag. */
  public record Operation(String method, String path, String summary, String tag, boolean deprecated) {}

  private static Operation op(String method, String path, String summary, String tag) {
    return new Operation(method, path, summary, tag, false);
  }

  public static final List<Operation> CATALOG = List.of(
      op("GET", "/", "Service root", "monitoring"),
      op("GET", "/openapi.json", "This document", "docs"),
      op("GET", "/docs", "Human-readable API documentation", "docs"),
      op("GET", "/redoc", "Redirects to /docs", "docs"),
      op("POST", "/sessions", "Create a session", "sessions"),
      op("GET", "/sessions/count", "Count live sessions", "sessions"),
      op("GET", "/sessions/{session_id}", "Session info (an access)", "sessions"),
      op("DELETE", "/sessions/{session_id}", "Delete a session", "sessions"),
      op("GET", "/sessions/{session_id}/exists", "Whether a session exists (never an access)", "sessions"),
      op("GET", "/sessions/{session_id}/config", "Effective session configuration", "sessions"),
      op("POST", "/sessions/{session_id}/config", "Update the session configuration (genes)", "sessions"),
      op("POST", "/sessions/{session_id}/extend", "Extend the session expiry", "sessions"),
      op("POST", "/sessions/{session_id}/observe", "Observe one event", "sessions"),
      op("POST", "/sessions/{session_id}/observe-sequence", "Observe a sequence of events", "sessions"),
      op("POST", "/sessions/{session_id}/learn", "Learn the STM as a pattern", "sessions"),
      op("GET", "/sessions/{session_id}/stm", "Short-term memory", "sessions"),
      op("GET", "/sessions/{session_id}/predictions", "Predictions for the current STM", "sessions"),
      op("POST", "/sessions/{session_id}/clear-stm", "Clear STM, accumulators and time", "sessions"),
      op("POST", "/sessions/{session_id}/clear-all", "Clear the session and wipe the node", "sessions"),
      op("GET", "/sessions/{session_id}/percept-data", "Last observation", "sessions"),
      op("GET", "/sessions/{session_id}/cognition-data", "Cognition data", "sessions"),
      op("POST", "/sessions/{session_id}/finalize-training", "Corpus-level pattern metrics", "sessions"),
      op("POST", "/session/create", "Create a session (seed-003 alias)", "sessions"),
      op("POST", "/session/{session_id}/observe", "Observe (seed-003 alias)", "sessions"),
      op("GET", "/session/{session_id}/stm", "STM (seed-003 alias)", "sessions"),
      op("DELETE", "/session/{session_id}", "Delete a session (seed-003 alias)", "sessions"),
      op("GET", "/pattern/{pattern_id}", "A learned pattern of the node", "nodes"),
      new Operation("GET", "/percept-data", "Percept data of the node's implicit session", "nodes", true),
      new Operation("GET", "/cognition-data", "Cognition data of the node's implicit session", "nodes", true),
      op("GET", "/symbols/affinity", "Emotive affinity of every symbol", "nodes"),
      op("GET", "/symbols/stats", "Symbol statistics", "nodes"),
      op("GET", "/symbols/{symbol}/affinity", "Emotive affinity of one symbol", "nodes"),
      op("POST", "/observe", "Observe on the node's implicit session", "root"),
      op("POST", "/observe-sequence", "Observe a sequence on the node's implicit session", "root"),
      op("GET", "/stm", "STM of the node's implicit session", "root"),
      op("GET", "/short-term-memory", "STM of the node's implicit session", "root"),
      op("POST", "/learn", "Learn the implicit session's STM", "root"),
      op("POST", "/clear-stm", "Clear the implicit session's STM", "root"),
      op("POST", "/clear-short-term-memory", "Clear the implicit session's STM", "root"),
      op("POST", "/clear-all", "Wipe the node", "root"),
      op("POST", "/clear-all-memory", "Wipe the node", "root"),
      op("GET", "/predictions", "Predictions of the implicit session", "root"),
      op("POST", "/predictions", "Predictions of the implicit session", "root"),
      op("POST", "/genes/update", "Update the implicit session's genes", "root"),
      op("GET", "/gene/{gene_name}", "One gene of the implicit session", "root"),
      op("GET", "/health", "Liveness", "monitoring"),
      op("GET", "/ready", "Readiness", "monitoring"),
      op("GET", "/kato-api/ping", "Gateway ping", "monitoring"),
      op("GET", "/status", "Status of sessions, nodes and workers", "monitoring"),
      op("GET", "/metrics", "Metrics", "monitoring"),
      op("GET", "/metrics/prometheus", "Prometheus exposition", "monitoring"),
      op("GET", "/metrics/{metric_name}", "One metric's time series", "monitoring"),
      op("GET", "/stats", "Time series and connection pools", "monitoring"),
      op("GET", "/concurrency", "Concurrency", "monitoring"),
      op("GET", "/cache/stats", "Cache statistics", "monitoring"),
      op("POST", "/cache/invalidate", "Cache invalidation", "monitoring"),
      op("GET", "/distributed-stm/stats", "Distributed STM statistics", "monitoring"),
      op("GET", "/connection-pools", "Worker connection pools", "monitoring"),
      op("GET", "/ingest/stats", "Event ingestion counters (no broker consumer in this build)", "monitoring"),
      op("GET", "/ws/events", "WebSocket: session event stream", "websocket"),
      op("GET", "/ws", "WebSocket: request/response on a session", "websocket"),
      op("GET", "/connect", "Legacy connect: the genome of a processor", "legacy"),
      op("POST", "/connect", "Legacy connect: the genome of a processor", "legacy"),
      op("GET", "/{pid}/ping", "Round trip to the processor's worker", "legacy"),
      op("GET", "/{pid}/status", "Processor status", "legacy"),
      op("POST", "/{pid}/observe", "Observe on the processor", "legacy"),
      op("GET", "/{pid}/short-term-memory", "Processor STM", "legacy"),
      op("GET", "/{pid}/stm", "Processor STM", "legacy"),
      op("POST", "/{pid}/learn", "Learn the processor's STM", "legacy"),
      op("GET", "/{pid}/predictions", "Processor predictions (PTRN| names)", "legacy"),
      op("POST", "/{pid}/predictions", "Processor predictions (PTRN| names)", "legacy"),
      op("POST", "/{pid}/clear-short-term-memory", "Clear the processor's STM", "legacy"),
      op("POST", "/{pid}/clear-stm", "Clear the processor's STM", "legacy"),
      op("POST", "/{pid}/short-term-memory/clear", "Clear the processor's STM", "legacy"),
      op("POST", "/{pid}/stm/clear", "Clear the processor's STM", "legacy"),
      op("POST", "/{pid}/clear-all-memory", "Wipe the processor", "legacy"),
      op("POST", "/{pid}/memory/clear-all", "Wipe the processor", "legacy"),
      op("GET", "/{pid}/percept-data", "Processor percept data", "legacy"),
      op("GET", "/{pid}/cognition-data", "Processor cognition data", "legacy"),
      op("GET", "/{pid}/gene/{gene_name}", "One gene of the processor", "legacy"),
      op("POST", "/{pid}/genes/change", "Change genes of the processor", "legacy"),
      op("POST", "/{pid}/gene/{gene_name}/change", "Change one gene of the processor", "legacy"),
      op("GET", "/{pid}/pattern/{pattern_id}", "A pattern of the processor (404 when missing)", "legacy"),
      op("POST", "/workers", "Register a worker", "admin"),
      op("GET", "/workers", "List workers", "admin"),
      op("GET", "/workers/{worker_id}", "One worker", "admin"),
      op("DELETE", "/workers/{worker_id}", "Deregister a worker", "admin"),
      op("POST", "/workers/{worker_id}/heartbeat", "Worker heartbeat", "admin"),
      op("POST", "/workers/{worker_id}/drain", "Drain a worker", "admin"),
      op("GET", "/nodes/{node_id}", "Placement of a node", "admin"),
      op("PUT", "/nodes/{node_id}/pin", "Pin a node to a worker", "admin"),
      op("DELETE", "/nodes/{node_id}/pin", "Unpin a node", "admin"));

  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  static void register(Router router, HttpSupport http) {
    ObjectNode document = document();
    router.get("/openapi.json").handler(ctx -> http.ok(ctx, document));
    router.get("/docs").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .end(docsPage()));
    router.get("/redoc").handler(ctx -> ctx.response().setStatusCode(307).putHeader("Location", "/docs").end());
  }

  public static ObjectNode document() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    doc.put("openapi", "3.0.3");
    doc.putObject("info").put("title", "KATO API").put("version", MonitoringRoutes.API_VERSION)
        .put("description", "KATO v3-compatible REST API served by kato-jvm (see spec/API.md)");
    ObjectNode paths = doc.putObject("paths");
    for (Operation o : CATALOG) {
      ObjectNode path = paths.has(o.path()) ? (ObjectNode) paths.get(o.path()) : paths.putObject(o.path());
      ObjectNode operation = path.putObject(o.method().toLowerCase(java.util.Locale.ROOT));
      operation.put("summary", o.summary());
      operation.putArray("tags").add(o.tag());
      operation.put("operationId", (o.method() + o.path()).replaceAll("[^A-Za-z0-9]+", "_"));
      if (o.deprecated()) {
        operation.put("deprecated", true);
      }
      Matcher m = PARAM.matcher(o.path());
      ArrayNode parameters = null;
      while (m.find()) {
        if (parameters == null) {
          parameters = operation.putArray("parameters");
        }
        parameters.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
            .putObject("schema").put("type", "string");
      }
      ObjectNode responses = operation.putObject("responses");
      responses.putObject("200").put("description", "OK");
      responses.putObject("default").put("description", "Error in the format of API.md §1.4.3");
    }
    return doc;
  }

  private static String docsPage() {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>KATO API"
        + "</title><style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px}code{font-size:1.05em}</style>"
        + "</head><body><h1>KATO API " + MonitoringRoutes.API_VERSION + "</h1><p>Machine-readable: "
        + "<a href=\"/openapi.json\">/openapi.json</a></p><table><tr><th>method</th><th>path</th><th>what</th>"
        + "<th>group</th></tr>");
    for (Operation o : CATALOG) {
      html.append("<tr><td>").append(o.method()).append("</td><td><code>").append(escape(o.path()))
          .append("</code></td><td>").append(escape(o.summary())).append(o.deprecated() ? " (deprecated)" : "")
          .append("</td><td>").append(o.tag()).append("</td></tr>");
    }
    return html.append("</table></body></html>").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
