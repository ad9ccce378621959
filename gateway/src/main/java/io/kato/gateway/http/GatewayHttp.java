package io.kato.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonValues;
import io.kato.common.metrics.TimerFamily;
import io.kato.gateway.routing.NodeCalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the HTTP router in the precedence order of API.md §1.5: size limits (body handler,
 * server options), API keys, the session check before routing, Idempotency-Key replay, routing
 * (404/405), then the handlers.
 * Every request gets a trace id, CORS headers, a log line on failure and a metrics sample.
 */
public final class GatewayHttp {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHttp.class);
  private static final String STARTED = "kato.started";
  /** Memory bound of kept Idempotency-Key answers; the oldest go first beyond it. */
  private static final long IDEMPOTENCY_MAX_BYTES = 64L * 1024 * 1024;

  private final HttpSupport http;
  private final RequestMetrics metrics;
  private final MetricSeries series;
  private final TimerFamily requestTimers;
  private final EventHub events;
  private final MonitoringRoutes monitoring;
  private final Router router;

  public GatewayHttp(io.vertx.core.Vertx vertx, HttpSupport http, NodeCalls calls, RequestMetrics metrics,
      MetricSeries series,
      MeterRegistry meters, EventHub events, MonitoringRoutes monitoring, SessionRoutes sessions, NodeRoutes nodes,
      AdminRoutes admin) {
    this.http = http;
    this.metrics = metrics;
    this.series = series;
    this.requestTimers = new TimerFamily(meters, "kato_gateway_http_requests",
        "HTTP requests answered, by route and status", "method", "route", "status");
    this.events = events;
    this.monitoring = monitoring;
    this.router = Router.router(vertx);
    router.route().handler(this::prepare);
    router.get("/ws/events").handler(this::authenticate).handler(this::eventStream);
    router.get("/ws").handler(this::authenticate).handler(new SessionSocket(http, calls, metrics)::handle);
    // the body is read (and its size limited) before the session check, which may wait for workers
    router.route().handler(BodyHandler.create(false).setBodyLimit(http.options().limits().maxMessageBytes()));
    router.route().handler(this::authenticate);
    router.route().handler(new Idempotency(http, http.options().idempotencyKeep(), IDEMPOTENCY_MAX_BYTES)::handle);
    router.route().handler(new SessionCheck(http)::handle);
    monitoring.register(router);
    sessions.register(router);
    nodes.register(router);
    admin.register(router);
    OpenApiRoutes.register(router, http);
    // last: /{processor_id}/... must not shadow any other route
    new LegacyRoutes(http).register(router);
    router.errorHandler(404, ctx -> http.send(ctx, ApiError.of(ErrorCode.NOT_FOUND, "Not Found")));
    router.errorHandler(405, ctx -> http.send(ctx, ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, "Method Not Allowed")));
    router.errorHandler(413, ctx -> http.send(ctx, ApiError.of(ErrorCode.PAYLOAD_TOO_LARGE,
        "Request body is larger than " + http.options().limits().maxMessageBytes() + " bytes")));
    router.errorHandler(500, ctx -> {
      if (ctx.failure() != null) {
        LOG.error("request failed: trace_id={} path={}", HttpSupport.traceId(ctx), ctx.request().path(), ctx.failure());
      }
      http.send(ctx, ApiError.of(ErrorCode.INTERNAL_ERROR, "Internal Server Error"));
    });
  }

  public Router router() {
    return router;
  }

  /** Requests the server refused before routing: request line or headers too long (414 / 431). */
  public Handler<HttpServerRequest> invalidRequestHandler() {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      String name = cause == null ? "" : cause.getClass().getSimpleName();
      ErrorCode code = name.contains("TooLongHttpLine") || name.contains("TooLongUri") ? ErrorCode.URI_TOO_LONG
          : name.contains("TooLongHttpHeader") ? ErrorCode.HEADERS_TOO_LARGE : ErrorCode.BAD_REQUEST;
      String message = code == ErrorCode.URI_TOO_LONG ? "Request line too long"
          : code == ErrorCode.HEADERS_TOO_LARGE ? "Request header fields too large" : "Bad request";
      String traceId = newTraceId();
      try {
        byte[] body = JsonValues.mapper().writeValueAsBytes(ErrorBodies.body(ApiError.of(code, message), traceId));
        request.response().setStatusCode(ErrorBodies.status(code)).putHeader("Content-Type", "application/json")
            .putHeader("X-Trace-ID", traceId).putHeader("Connection", "close")
            .end(io.vertx.core.buffer.Buffer.buffer(body));
      } catch (Exception e) {
        request.response().setStatusCode(ErrorBodies.status(code)).end();
      }
    };
  }

  private static String newTraceId() {
    return "kato-" + UUID.randomUUID().toString().replace("-", "");
  }

  private void prepare(RoutingContext ctx) {
    if (ctx.get(STARTED) == null) {
      ctx.put(STARTED, System.nanoTime());
      HttpServerRequest request = ctx.request();
      String trace = request.getHeader("X-Trace-ID");
      String requestId = request.getHeader("X-Request-ID");
      if (trace == null || trace.isEmpty()) {
        trace = requestId != null && !requestId.isEmpty() ? requestId : newTraceId();
      }
      ctx.put(HttpSupport.TRACE_ID, trace);
      var response = ctx.response();
      response.putHeader("X-Trace-ID", trace);
      if (requestId != null) {
        response.putHeader("X-Request-ID", requestId);
      }
      String sessionHeader = request.getHeader("X-Session-ID");
      if (sessionHeader != null) {
        response.putHeader("X-Session-ID", sessionHeader);
      }
      String origin = request.getHeader("Origin");
      if (http.options().corsEnabled() && origin != null) {
        response.putHeader("Access-Control-Allow-Origin", origin);
        response.putHeader("Access-Control-Allow-Credentials", "true");
        response.putHeader("Vary", "Origin");
      }
      response.endHandler(v -> record(ctx));
      if (http.options().corsEnabled() && request.method().name().equals("OPTIONS")
          && request.getHeader("Access-Control-Request-Method") != null) {
        response.putHeader("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        String requested = request.getHeader("Access-Control-Request-Headers");
        if (requested != null) {
          response.putHeader("Access-Control-Allow-Headers", requested);
        }
        response.putHeader("Access-Control-Max-Age", "600");
        response.putHeader("Content-Type", "text/plain; charset=utf-8").setStatusCode(200).end("OK");
        return;
      }
      String path = request.path();
      if (path.length() > 1 && path.endsWith("/")) {
        ctx.put(SessionCheck.RAW_PATH, path);
        String stripped = path.replaceAll("/+$", "");
        String query = request.query();
        ctx.reroute(request.method(), (stripped.isEmpty() ? "/" : stripped) + (query == null ? "" : "?" + query));
        return;
      }
    }
    ctx.next();
  }

  /** 401/403 of API.md §1.5 step 2; WebSocket handshakes are refused with HTTP 401 before the upgrade. */
  private void authenticate(RoutingContext ctx) {
    http.options().apiKeys().refusal(ctx.request(), ctx.normalizedPath())
        .ifPresentOrElse(error -> http.send(ctx, error), ctx::next);
  }

  private void record(RoutingContext ctx) {
    Long started = ctx.get(STARTED);
    if (started == null) {
      return;
    }
    long nanos = System.nanoTime() - started;
    int status = ctx.response().getStatusCode();
    boolean error = status >= 500;
    metrics.request(nanos, error);
    String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "unmatched"
        : ctx.currentRoute().getPath();
    Map<String, String> labels = Map.of("method", ctx.request().method().name(), "path", route);
    series.record("kato_requests_total", metrics.requests(), labels);
    series.record("kato_request_duration_seconds", nanos / 1e9, labels);
    if (error) {
      series.record("kato_errors_total", metrics.errors(), labels);
    }
    requestTimers.record(nanos, ctx.request().method().name(), route, String.valueOf(status));
  }

  private void eventStream(RoutingContext ctx) {
    ctx.request().toWebSocket().onSuccess(socket -> {
      monitoring.activeSessions(ctx).otherwise(0L).onComplete(count -> {
        var snapshot = JsonNodeFactory.instance.objectNode();
        snapshot.put("event_type", "state.snapshot");
        snapshot.put("timestamp", MonitoringRoutes.naiveNow());
        snapshot.putObject("data").put("active_sessions", count.result()).put("system_status",
            monitoring.healthStatus());
        try {
          socket.writeTextMessage(JsonValues.mapper().writeValueAsString(snapshot));
        } catch (Exception e) {
          socket.close();
          return;
        }
        events.add(socket);
      });
      socket.textMessageHandler(text -> {
        if ("ping".equals(text)) {
          socket.writeTextMessage("pong");
        }
      });
      socket.binaryMessageHandler(b -> socket.close((short) 1003, "binary frames are not supported"));
    }).onFailure(e -> http.send(ctx, ApiError.of(ErrorCode.BAD_REQUEST, "WebSocket upgrade failed: "
        + e.getMessage())));
  }

}
