package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.RequestModels;
import io.kato.gateway.routing.SessionLocation;
import io.kato.gateway.transport.SessionRef;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * The v3 session routes (API.md §2.2, §2.3) and their seed-003 aliases (§3.4). The session
 * check of §1.5 step 3 has already run ({@link SessionCheck}): handlers find the session's
 * location in the routing context. {@code GET /sessions/count} belongs to the monitoring routes
 * and must be registered before these.
 */
public final class SessionRoutes {
  private final HttpSupport http;
  private final EventHub events;
  private final RequestMetrics metrics;

  public SessionRoutes(HttpSupport http, EventHub events, RequestMetrics metrics) {
    this.http = http;
    this.events = events;
    this.metrics = metrics;
  }

  public void register(Router router) {
    http.attach(router);
    // the hot routes first: the router tries routes in order, matching each path pattern by regex;
    // none of the routes they now precede matches their paths, so the order changes no answer
    router.post("/sessions/:session_id/observe").handler(this::observe);
    router.get("/sessions/:session_id/predictions").handler(this::predictions);
    router.post("/sessions/:session_id/learn").handler(this::learn);
    router.post("/sessions").handler(ctx -> create(ctx, false));
    router.post("/session/create").handler(ctx -> create(ctx, true));
    router.get("/sessions/:session_id").handler(this::info);
    router.delete("/sessions/:session_id").handler(this::delete);
    router.delete("/session/:session_id").handler(this::delete);
    router.get("/sessions/:session_id/exists").handler(this::exists);
    router.get("/sessions/:session_id/config").handler(ctx -> session(ctx, false,
        (s, c) -> c.transport().getConfig(s, c.call())));
    router.post("/sessions/:session_id/config").handler(this::updateConfig);
    router.post("/sessions/:session_id/extend").handler(this::extend);
    router.post("/session/:session_id/observe").handler(this::observe);
    router.post("/sessions/:session_id/observe-sequence").handler(this::observeSequence);
    router.get("/sessions/:session_id/stm").handler(ctx -> session(ctx, false, (s, c) -> c.transport().stm(s, c.call())));
    router.get("/session/:session_id/stm").handler(ctx -> session(ctx, false, (s, c) -> c.transport().stm(s, c.call())));
    router.post("/sessions/:session_id/clear-stm").handler(ctx -> session(ctx, true,
        (s, c) -> c.transport().clearStm(s, c.call())));
    router.post("/sessions/:session_id/clear-all").handler(ctx -> session(ctx, true,
        (s, c) -> c.transport().clearAll(s, c.call())));
    router.get("/sessions/:session_id/percept-data").handler(ctx -> session(ctx, false,
        (s, c) -> c.transport().perceptData(s, c.call())));
    router.get("/sessions/:session_id/cognition-data").handler(ctx -> session(ctx, false,
        (s, c) -> c.transport().cognitionData(s, c.call())));
    router.post("/sessions/:session_id/finalize-training").handler(ctx -> session(ctx, true,
        (s, c) -> c.transport().finalizeTraining(s, c.call())));
  }

  /** One call of a session route: the transport and call context of the session's node. */
  interface SessionCall {
    Future<ObjectNode> apply(SessionRef session, NodeCall call);
  }

  record NodeCall(io.kato.gateway.transport.WorkerTransport transport, io.kato.gateway.transport.CallContext call) {}

  private void session(RoutingContext ctx, boolean mutation, SessionCall operation) {
    SessionLocation location = ctx.get(HttpSupport.SESSION);
    SessionRef ref = new SessionRef(location.sessionId(), location.nodeId());
    metrics.sessionOperation();
    http.reply(ctx, http.onNode(ctx, location.nodeId(), (t, c) -> operation.apply(ref, new NodeCall(t, c))), mutation);
  }

  // ---- create / info / delete -----------------------------------------------------------------

  private void create(RoutingContext ctx, boolean userIdAlias) {
    CreateSessionRequest request;
    try {
      request = RequestModels.createSession(http.body(ctx, true), http.options().limits(), userIdAlias);
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    Instant started = Instant.now();
    Future<Optional<ObjectNode>> existing = request.getSessionId().isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : http.sessions().lookup(request.getSessionId(), HttpSupport.traceId(ctx));
    existing.compose(found -> {
      if (found.isPresent() && found.get().path("exists").asBoolean()
          && !found.get().path("node_id").asText().equals(request.getNodeId())) {
        return Future.failedFuture(ApiError.of(ErrorCode.SESSION_EXISTS, "Session " + request.getSessionId()
            + " already exists for another node",
            JsonNodeFactory.instance.objectNode().put("session_id", request.getSessionId())));
      }
      boolean reuse = found.isPresent() && found.get().path("exists").asBoolean();
      return http.onNode(ctx, request.getNodeId(), (t, c) -> t.createSession(request, c)).map(body -> {
        String sessionId = body.path("session_id").asText();
        http.sessions().remember(sessionId, request.getNodeId());
        if (!reuse) {
          metrics.sessionCreated();
          events.sessionCreated(sessionId, request.getNodeId(), eventTime(body.path("created_at").asText(), started));
        }
        return body;
      });
    }).onComplete(done -> {
      if (done.succeeded()) {
        http.ok(ctx, done.result());
      } else {
        http.fail(ctx, done.cause(), true);
      }
    });
  }

  /** created_at in the +00:00 form of WebSocket events. */
  private static String eventTime(String sessionTime, Instant fallback) {
    if (sessionTime.endsWith("Z")) {
      String base = sessionTime.substring(0, sessionTime.length() - 1);
      return base.contains(".") ? base + "+00:00" : base + ".000000+00:00";
    }
    return io.kato.common.Timestamps.eventTime(fallback);
  }

  private void info(RoutingContext ctx) {
    String sessionId = ctx.pathParam("session_id");
    metrics.sessionOperation();
    http.sessions().locate(sessionId, HttpSupport.traceId(ctx)).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ApiError.sessionNotFound(sessionId));
      }
      SessionRef ref = new SessionRef(sessionId, found.get().nodeId());
      return http.onNode(ctx, ref.nodeId(), (t, c) -> t.getSession(ref, c));
    }).onComplete(done -> {
      if (done.succeeded()) {
        http.ok(ctx, done.result());
      } else {
        http.fail(ctx, done.cause(), false);
      }
    });
  }

  private void delete(RoutingContext ctx) {
    SessionLocation location = ctx.get(HttpSupport.SESSION);
    SessionRef ref = new SessionRef(location.sessionId(), location.nodeId());
    http.onNode(ctx, ref.nodeId(), (t, c) -> t.deleteSession(ref, c)).onComplete(done -> {
      if (done.succeeded()) {
        http.sessions().forget(ref.sessionId());
        metrics.sessionDeleted();
        events.sessionDestroyed(ref.sessionId(), "explicit_delete");
        http.ok(ctx, done.result());
      } else {
        http.fail(ctx, done.cause(), true);
      }
    });
  }

  private void exists(RoutingContext ctx) {
    String sessionId = ctx.pathParam("session_id");
    http.sessions().lookup(sessionId, HttpSupport.traceId(ctx)).onComplete(done -> {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      boolean exists = done.succeeded() && done.result().map(o -> o.path("exists").asBoolean()).orElse(false);
      boolean expired = done.succeeded() && done.result().map(o -> o.path("expired").asBoolean()).orElse(false);
      if (!exists) {
        http.sessions().forget(sessionId);
      }
      body.put("exists", exists);
      body.put("expired", !exists && expired);
      body.put("session_id", sessionId);
      http.ok(ctx, body);
    });
  }

  // ---- operations -----------------------------------------------------------------------------

  private void updateConfig(RoutingContext ctx) {
    MapValue update;
    try {
      update = RequestModels.configUpdate(http.body(ctx, true));
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    session(ctx, true, (s, c) -> c.transport().updateConfig(s, update, c.call()));
  }

  private void extend(RoutingContext ctx) {
    long ttl;
    try {
      String query = ctx.request().getParam("ttl_seconds");
      ttl = RequestModels.extendTtl(query, query == null ? http.optionalBody(ctx) : null);
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    session(ctx, true, (s, c) -> c.transport().extendSession(s, ttl, c.call()));
  }

  private void observe(RoutingContext ctx) {
    Observation observation;
    try {
      observation = RequestModels.observe(http.body(ctx, true), http.options().limits(), false);
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
      return;
    }
    metrics.observed(1);
    session(ctx, true, (s, c) -> c.transport().observe(s, observation, c.call()));
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
    session(ctx, true, (s, c) -> c.transport().observeSequence(s, request, c.call()));
  }

  private void learn(RoutingContext ctx) {
    metrics.learned();
    session(ctx, true, (s, c) -> c.transport().learn(s, c.call()));
  }

  private void predictions(RoutingContext ctx) {
    metrics.predicted();
    boolean asList = "list".equals(ctx.request().getParam("format"));
    SessionLocation location = ctx.get(HttpSupport.SESSION);
    SessionRef ref = new SessionRef(location.sessionId(), location.nodeId());
    metrics.sessionOperation();
    Future<JsonNode> body = http.onNode(ctx, ref.nodeId(), (t, c) -> t.predictionsForReply(ref, c))
        .map(o -> asList ? o.get("predictions") : o);
    http.reply(ctx, body, false);
  }
}
