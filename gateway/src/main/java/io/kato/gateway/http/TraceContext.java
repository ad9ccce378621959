package io.kato.gateway.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The W3C trace context of a request ({@code traceparent}, {@code tracestate}; API.md §1.7),
 * validated by OpenTelemetry's propagator and re-encoded for the worker calls, which carry it
 * as gRPC metadata or ZeroMQ fields. The gateway records no spans of its own, so the caller's
 * span is the workers' parent. A malformed {@code traceparent} is dropped, as the W3C
 * specification asks.
 */
final class TraceContext {
  private static final String KEY = "kato.traceContext";
  private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServerRequest carrier) {
      return carrier.headers().names();
    }

    @Override
    public String get(HttpServerRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  };

  private TraceContext() {}

  /** The headers to send on with this request's worker calls; empty when it carried none. */
  static Map<String, String> of(RoutingContext ctx) {
    Map<String, String> cached = ctx.get(KEY);
    if (cached != null) {
      return cached;
    }
    Map<String, String> out = fromRequest(ctx.request());
    ctx.put(KEY, out);
    return out;
  }

  static Map<String, String> fromRequest(HttpServerRequest request) {
    if (request.getHeader("traceparent") == null) {
      return Map.of();
    }
    Context extracted = PROPAGATOR.extract(Context.root(), request, HEADERS);
    if (!Span.fromContext(extracted).getSpanContext().isValid()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    PROPAGATOR.inject(extracted, out, Map::put);
    return Map.copyOf(out);
  }
}
