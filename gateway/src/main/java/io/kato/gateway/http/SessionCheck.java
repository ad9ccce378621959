package io.kato.gateway.http;

import io.kato.gateway.routing.SessionLocation;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 3 of API.md §1.5: an unknown session on {@code /sessions/{id}/…} (and the seed-003
 * {@code /session/{id}/…} aliases) is a 404 SESSION_NOT_FOUND decided before routing and body
 * validation, on the path as sent (so {@code /sessions/count/} reads {@code count} as an id).
 * Exempt: {@code GET /sessions/{id}}, {@code /sessions/{id}/exists} and {@code GET
 * /sessions/count}, which do their own lookup.
 */
final class SessionCheck {
  private static final Pattern SESSION_PATH = Pattern.compile("^/(sessions|session)/([^/]+)(/.*)?$");
  static final String RAW_PATH = "kato.rawPath";

  private final HttpSupport http;

  SessionCheck(HttpSupport http) {
    this.http = http;
  }

  void handle(RoutingContext ctx) {
    String raw = ctx.get(RAW_PATH);
    if (raw != null) {
      // the trailing-slash reroute cleared the response headers set before it
      http.commonHeaders(ctx);
    }
    String path = raw != null ? raw : ctx.request().path();
    Matcher m = SESSION_PATH.matcher(path);
    if (!m.matches() || exempt(ctx, m)) {
      ctx.next();
      return;
    }
    String sessionId = URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
    http.sessions().locate(sessionId, HttpSupport.traceId(ctx)).onComplete(done -> {
      if (done.failed() || done.result().isEmpty()) {
        http.send(ctx, ApiError.sessionNotFound(sessionId));
        return;
      }
      SessionLocation location = done.result().get();
      ctx.put(HttpSupport.SESSION, location);
      ctx.response().putHeader("X-Session-ID", sessionId);
      ctx.next();
    });
  }

  private static boolean exempt(RoutingContext ctx, Matcher m) {
    String rest = m.group(3);
    boolean get = ctx.request().method().name().equals("GET");
    if (m.group(1).equals("session")) {
      // only the alias routes /session/{id}/observe, /session/{id}/stm and DELETE /session/{id}
      return m.group(2).equals("create") && rest == null;
    }
    if (rest == null) {
      return (get) || (m.group(2).equals("count") && !"DELETE".equals(ctx.request().method().name()));
    }
    return rest.equals("/exists");
  }
}
