package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonBodies;
import io.kato.common.json.JsonValues;
import io.kato.common.json.RequestValidationException;
import io.kato.common.json.SegmentedUtf8Output;
import io.kato.common.json.ValidationIssue;
import io.kato.gateway.GatewayOptions;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.routing.NodeCalls;
import io.kato.gateway.routing.SessionDirectory;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.WorkerCallException;
import io.kato.gateway.transport.WorkerTransport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every route handler shares: reading bodies by the rules of API.md §1.2, resolving the
 * node of node-scoped routes (§1.9), calling the node's owner, and answering with a body or the
 * one error format, applying the retry-safety rules of §1.4.4 to worker failures.
 */
public final class HttpSupport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSupport.class);
  static final String TRACE_ID = "kato.traceId";
  static final String SESSION = "kato.session";

  private static final Pattern PATH_PARAM = Pattern.compile(":[A-Za-z0-9_]+");

  private final GatewayOptions options;
  private final NodeCalls calls;
  private final SessionDirectory sessions;
  /** The router the routes were registered on, for the {@code Allow} header of 405 answers. */
  private volatile Router router;

  public HttpSupport(GatewayOptions options, NodeCalls calls, SessionDirectory sessions) {
    this.options = options;
    this.calls = calls;
    this.sessions = sessions;
  }

  public GatewayOptions options() {
    return options;
  }

  public SessionDirectory sessions() {
    return sessions;
  }

  /** Remembers the router the route classes register on (idempotent). */
  public void attach(Router router) {
    this.router = router;
  }

  /** A JSON body as UTF-8 bytes, non-ASCII raw. */
  public static byte[] jsonBytes(JsonNode body) throws java.io.IOException {
    return JsonValues.responseWriter().writeValueAsBytes(body);
  }

  /**
   * A JSON body as a response buffer, the same bytes as {@link #jsonBytes}: text a worker
   * rendered ({@link io.kato.common.json.RawUtf8Json}) is referenced, not copied.
   */
  public static Buffer jsonBuffer(JsonNode body) throws java.io.IOException {
    SegmentedUtf8Output out = new SegmentedUtf8Output();
    JsonValues.responseWriter().writeValue(out, body);
    return BufferInternal.buffer(out.toByteBuf());
  }

  /**
   * The headers every response carries (§1.7: X-Trace-ID, X-Request-ID and X-Session-ID echoes,
   * CORS), put again when a reroute (the trailing-slash rule of §1.1) has cleared them, and the
   * echo of a {@code session_id} cookie as X-Session-ID. Leaves headers already set alone.
   */
  void commonHeaders(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      return;
    }
    HttpServerRequest request = ctx.request();
    if (!response.headers().contains("X-Trace-ID")) {
      String trace = traceId(ctx);
      if (trace != null) {
        response.putHeader("X-Trace-ID", trace);
      }
      String requestId = request.getHeader("X-Request-ID");
      if (requestId != null) {
        response.putHeader("X-Request-ID", requestId);
      }
      String sessionHeader = request.getHeader("X-Session-ID");
      if (sessionHeader != null && !response.headers().contains("X-Session-ID")) {
        response.putHeader("X-Session-ID", sessionHeader);
      }
      String origin = request.getHeader("Origin");
      if (options.corsEnabled() && origin != null && !response.headers().contains("Access-Control-Allow-Origin")) {
        response.putHeader("Access-Control-Allow-Origin", origin);
        response.putHeader("Access-Control-Allow-Credentials", "true");
        response.putHeader("Vary", "Origin");
      }
    }
    if (!response.headers().contains("X-Session-ID")) {
      // a session_id cookie is echoed like the X-Session-ID request header
      io.vertx.core.http.Cookie cookie = request.getCookie("session_id");
      if (cookie != null && !cookie.getValue().isEmpty()) {
        response.putHeader("X-Session-ID", cookie.getValue());
      }
    }
  }

  /** The methods the router serves on this request's path, for {@code Allow} (e.g. {@code POST}). */
  String allowedMethods(RoutingContext ctx) {
    Router r = router;
    if (r == null) {
      return null;
    }
    String path = ctx.normalizedPath();
    Set<String> methods = new TreeSet<>();
    for (Route route : r.getRoutes()) {
      Set<HttpMethod> served = route.methods();
      String pattern = route.getPath();
      if (served == null || served.isEmpty() || pattern == null) {
        continue;
      }
      if (pathMatches(pattern, path)) {
        served.forEach(m -> methods.add(m.name()));
      }
    }
    return methods.isEmpty() ? null : String.join(", ", methods);
  }

  private static boolean pathMatches(String pattern, String path) {
    if (pattern.indexOf(':') < 0) {
      return pattern.equals(path);
    }
    StringBuilder regex = new StringBuilder();
    java.util.regex.Matcher m = PATH_PARAM.matcher(pattern);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(pattern.substring(last, m.start()))).append("[^/]+");
      last = m.end();
    }
    regex.append(Pattern.quote(pattern.substring(last)));
    return path.matches(regex.toString());
  }

  // ---- bodies ---------------------------------------------------------------------------------

  /**
   * The JSON body; null when it is empty and not required.
   *
   * @throws ApiError 422 for a non-JSON content type, a missing required body or malformed JSON
   */
  public JsonNode body(RoutingContext ctx, boolean required) {
    Buffer raw = ctx.body().buffer();
    String type = ctx.request().getHeader("Content-Type");
    // as FastAPI: an empty body is "missing" whatever its content type; a multipart body is sent but
    // not kept in the buffer by the body handler, so its declared length counts
    boolean sent = (raw != null && raw.length() > 0) || (type != null && !isJson(type) && declaresBody(ctx));
    if (!sent) {
      if (required) {
        throw ApiError.validation(List.of(new ValidationIssue("missing", List.of("body"), "Field required", null,
            null)));
      }
      return null;
    }
    if (type != null && !isJson(type)) {
      String text = raw == null ? "" : raw.toString();
      throw ApiError.validation(List.of(new ValidationIssue("model_attributes_type", List.of("body"),
          "Input should be a valid dictionary or object to extract fields from", text, null)));
    }
    try {
      return JsonBodies.parse(raw.getBytes(), List.of("body"));
    } catch (RequestValidationException e) {
      throw ApiError.validation(e.issues());
    }
  }

  /** The body when the route takes one optionally and must ignore anything unparseable. */
  public JsonNode optionalBody(RoutingContext ctx) {
    try {
      return body(ctx, false);
    } catch (ApiError e) {
      return null;
    }
  }

  private static boolean declaresBody(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        return Long.parseLong(length.trim()) > 0;
      } catch (NumberFormatException e) {
        return true;
      }
    }
    return ctx.request().getHeader("Transfer-Encoding") != null;
  }

  private static boolean isJson(String contentType) {
    String media = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return media.isEmpty() || media.equals("application/json")
        || (media.startsWith("application/") && media.endsWith("+json"));
  }

  // ---- nodes ----------------------------------------------------------------------------------

  /**
   * The node of a node-scoped route (§1.9): query {@code node_id} (and {@code processor_id} on
   * seed routes), header {@code x-test-id} with the {@code test_} prefix rule, {@code X-Node-ID},
   * then {@code PROCESSOR_ID} or {@code default_node}.
   */
  public String node(RoutingContext ctx, boolean acceptProcessorId) {
    String q = ctx.request().getParam("node_id");
    if (q == null && acceptProcessorId) {
      q = ctx.request().getParam("processor_id");
    }
    if (q != null) {
      return q;
    }
    String testId = ctx.request().getHeader("x-test-id");
    if (testId != null) {
      return testId.startsWith("test_") ? testId : "test_" + testId;
    }
    String nodeHeader = ctx.request().getHeader("X-Node-ID");
    if (nodeHeader != null) {
      return nodeHeader;
    }
    return options.defaultNode();
  }

  // ---- calls ----------------------------------------------------------------------------------

  /**
   * The context of this request's worker calls: a fresh request id, or the one derived from the
   * client's Idempotency-Key (so a retry is de-duplicated by the worker), the trace id, the W3C
   * trace context and the deadline.
   */
  public CallContext callContext(RoutingContext ctx) {
    String keyed = Idempotency.requestId(ctx);
    String requestId = keyed != null ? keyed : "gw-" + UUID.randomUUID().toString().replace("-", "");
    return new CallContext(0, requestId, traceId(ctx), options.grpcDeadline().toMillis(), TraceContext.of(ctx));
  }

  public static String traceId(RoutingContext ctx) {
    return ctx.get(TRACE_ID);
  }

  /** Runs a call on the node's owner; the serving worker is exposed as {@code X-Kato-Worker}. */
  public <T> Future<T> onNode(RoutingContext ctx, String nodeId,
      BiFunction<WorkerTransport, CallContext, Future<T>> operation) {
    return calls.call(nodeId, callContext(ctx), operation).map(served -> {
      Worker worker = served.worker();
      if (options.exposeRouting() && !ctx.response().headWritten()) {
        ctx.response().putHeader("X-Kato-Worker", worker.workerId());
      }
      return served.result();
    });
  }

  // ---- answers --------------------------------------------------------------------------------

  public void ok(RoutingContext ctx, JsonNode body) {
    if (ctx.response().ended()) {
      return;
    }
    commonHeaders(ctx);
    Buffer bytes;
    try {
      bytes = jsonBuffer(body);
    } catch (Exception e) {
      fail(ctx, e, false);
      return;
    }
    end(ctx, 200, bytes);
  }

  /** Ends a JSON response; the one place answers are written, so keyed answers are kept. */
  private static void end(RoutingContext ctx, int status, Buffer body) {
    Idempotency.keep(ctx, status, body, "application/json");
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** Answers a future's body, or its failure; {@code mutation} selects the retry-safety rules. */
  public void reply(RoutingContext ctx, Future<? extends JsonNode> body, boolean mutation) {
    body.onComplete(done -> {
      if (done.succeeded()) {
        ok(ctx, done.result());
      } else {
        fail(ctx, done.cause(), mutation);
      }
    });
  }

  public void fail(RoutingContext ctx, Throwable failure, boolean mutation) {
    ApiError error = toApiError(ctx, failure, mutation);
    send(ctx, error);
  }

  public void send(RoutingContext ctx, ApiError error) {
    if (ctx.response().ended()) {
      return;
    }
    commonHeaders(ctx);
    int status = ErrorBodies.status(error.code());
    if (status == 503 || status == 429) {
      ctx.response().putHeader("Retry-After", "1");
    }
    if (error.code() == ErrorCode.METHOD_NOT_ALLOWED && !ctx.response().headers().contains("Allow")) {
      String allowed = allowedMethods(ctx);
      if (allowed != null) {
        ctx.response().putHeader("Allow", allowed);
      }
    }
    Buffer bytes;
    try {
      bytes = Buffer.buffer(jsonBytes(ErrorBodies.body(error, traceId(ctx))));
    } catch (Exception e) {
      ctx.response().setStatusCode(500).end();
      return;
    }
    end(ctx, status, bytes);
  }

  private ApiError toApiError(RoutingContext ctx, Throwable failure, boolean mutation) {
    if (failure instanceof ApiError) {
      return (ApiError) failure;
    }
    if (failure instanceof RequestValidationException) {
      return ApiError.validation(((RequestValidationException) failure).issues());
    }
    if (failure instanceof WorkerCallException) {
      WorkerCallException e = (WorkerCallException) failure;
      switch (e.outcome()) {
        case REJECTED:
          if (e.code() == ErrorCode.SESSION_NOT_FOUND) {
            String sessionId = e.details().path("session_id").asText(ctx.pathParam("session_id"));
            if (sessionId != null) {
              sessions.forget(sessionId);
              return ApiError.sessionNotFound(sessionId);
            }
          }
          if (e.code() == ErrorCode.VALIDATION_ERROR) {
            String field = e.details().path("field").asText("body");
            return ApiError.validation(List.of(new ValidationIssue("value_error", List.of("body", field),
                e.getMessage(), null, null)));
          }
          return ErrorBodies.fromWorker(e.code(), e.getMessage(), e.details());
        case NOT_APPLIED:
          return ApiError.of(e.code() == ErrorCode.OVERLOADED ? ErrorCode.OVERLOADED : ErrorCode.WORKER_UNAVAILABLE,
              e.getMessage());
        default:
          if (!mutation) {
            return ApiError.of(e.code() == ErrorCode.WORKER_ERROR ? ErrorCode.WORKER_ERROR : ErrorCode.GATEWAY_TIMEOUT,
                e.getMessage());
          }
          if (ctx.request().getHeader("Idempotency-Key") != null) {
            return ApiError.of(ErrorCode.GATEWAY_TIMEOUT, e.getMessage());
          }
          ObjectNode details = JsonNodeFactory.instance.objectNode().put("outcome", "unknown");
          return ApiError.of(ErrorCode.INTERNAL_ERROR, "The worker did not confirm the request: " + e.getMessage(),
              details);
      }
    }
    LOG.error("unhandled failure: trace_id={} path={}", traceId(ctx), ctx.request().path(), failure);
    return ApiError.of(ErrorCode.INTERNAL_ERROR, "Internal Server Error");
  }

}
