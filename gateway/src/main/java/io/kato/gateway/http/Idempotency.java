package io.kato.gateway.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kato.common.ErrorCode;
import io.kato.common.json.ValidationIssue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code Idempotency-Key} on mutating requests (API.md §1.7). The first request with a key runs
 * and its answer is kept; a retry with the same key and the same method, path and body gets the
 * kept status and body with {@code Idempotent-Replayed: true}; the same key on a different
 * request is 409 IDEMPOTENCY_KEY_REUSED. A retry arriving while the first is still running waits
 * for it. Keys are scoped: the session for {@code /sessions/{id}/…}, the gateway for
 * {@code POST /sessions}, the node elsewhere.
 *
 * <p>Only final answers are kept: a 5xx, 429 or 503 is not (the client is meant to retry those,
 * and the retry runs again). Every worker call of such a request carries a request id derived
 * from scope, key and the request itself, so a mutation the worker did apply is not applied twice when the retry
 * comes back, even through another gateway or after a restart: the worker de-duplicates it.
 *
 * <p>Kept answers live in memory, at least the configured time (SESSION_TTL) unless the byte
 * bound forces the oldest out first.
 */
final class Idempotency {
  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  private static final String ENTRY = "kato.idempotency";
  private static final String REQUEST_ID = "kato.idempotency.requestId";
  private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
      HttpMethod.PATCH);

  /** A kept answer. */
  record Kept(int status, byte[] body, String contentType) {}

  private static final class Entry {
    final String fingerprint;
    final Promise<Kept> answer = Promise.promise();
    volatile Kept kept;

    Entry(String fingerprint) {
      this.fingerprint = fingerprint;
    }
  }

  private final HttpSupport http;
  private final Cache<String, Entry> entries;

  Idempotency(HttpSupport http, Duration keep, long maxBytes) {
    this.http = http;
    this.entries = Caffeine.newBuilder().expireAfterWrite(keep).maximumWeight(maxBytes)
        .weigher((String key, Entry e) -> 256 + key.length() + (e.kept == null ? 0 : e.kept.body().length))
        .build();
  }

  /** Whether the key is 1–255 visible ASCII characters. */
  static boolean validKey(String key) {
    if (key.isEmpty() || key.length() > 255) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * The request id every worker call of a keyed request carries, set by {@link #handle}; null
   * when the request has no (valid) key.
   */
  static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }

  /**
   * Router handler: runs after the API-key check and before the session check, so a retried
   * DELETE of a session gets its kept answer rather than 404.
   */
  void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null || !MUTATING.contains(ctx.request().method())) {
      ctx.next();
      return;
    }
    if (!validKey(key)) {
      http.send(ctx, ApiError.validation(List.of(new ValidationIssue("string_pattern_mismatch",
          List.of("header", "idempotency-key"), "Idempotency-Key must be 1-255 visible ASCII characters", key,
          null))));
      return;
    }
    String cacheKey = scope(ctx) + "\u0000" + key;
    Entry fresh = new Entry(fingerprint(ctx));
    // the request's fingerprint too: the same key on another request must not be answered by the
    // worker's de-duplication with the first one's result once the gateway's entry is gone
    ctx.put(REQUEST_ID, "idem-" + sha256(cacheKey + "\u0000" + fresh.fingerprint).substring(0, 40));
    Entry existing = entries.asMap().putIfAbsent(cacheKey, fresh);
    if (existing == null) {
      ctx.put(ENTRY, fresh);
      ctx.addEndHandler(done -> {
        if (fresh.kept == null) {
          // not kept (a retryable failure, or the connection went away): the next retry runs again
          entries.asMap().remove(cacheKey, fresh);
          fresh.answer.tryFail("not kept");
        } else {
          entries.put(cacheKey, fresh); // re-weighed with its body
        }
      });
      ctx.next();
      return;
    }
    if (!existing.fingerprint.equals(fresh.fingerprint)) {
      http.send(ctx, ApiError.of(ErrorCode.IDEMPOTENCY_KEY_REUSED,
          "Idempotency-Key was already used for a different request"));
      return;
    }
    Future<Kept> answer = existing.answer.future();
    // the first request may run on another event loop: answer this one on its own
    io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
    answer.onComplete(done -> here.runOnContext(v -> {
      if (done.succeeded()) {
        replay(ctx, done.result());
      } else {
        handle(ctx); // the first attempt kept nothing: this one runs (and is kept) in its place
      }
    }));
  }

  /** Called by {@link HttpSupport} just before it ends a response. */
  static void keep(RoutingContext ctx, int status, Buffer body, String contentType) {
    Entry entry = ctx.get(ENTRY);
    if (entry == null || status >= 500 || status == 429) {
      return;
    }
    Kept kept = new Kept(status, body.getBytes(), contentType);
    entry.kept = kept;
    entry.answer.tryComplete(kept);
  }

  private void replay(RoutingContext ctx, Kept kept) {
    if (ctx.response().ended()) {
      return;
    }
    http.commonHeaders(ctx);
    ctx.response().setStatusCode(kept.status()).putHeader("Content-Type", kept.contentType())
        .putHeader(REPLAYED, "true").end(Buffer.buffer(kept.body()));
  }

  /** The scope of a key (§1.7): the session, the gateway for POST /sessions, else the node. */
  private String scope(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String[] segments = path.split("/");
    if (segments.length >= 3 && (segments[1].equals("sessions") || segments[1].equals("session"))) {
      return "session:" + segments[2];
    }
    if (segments.length == 2 && segments[1].equals("sessions")) {
      return "gateway";
    }
    if (segments.length >= 2 && !segments[1].isEmpty() && !LegacyRoutes.isReserved(segments[1])) {
      return "node:" + segments[1]; // /{processor_id}/... (seed-002)
    }
    return "node:" + http.node(ctx, true);
  }

  private static String fingerprint(RoutingContext ctx) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((ctx.request().method().name() + " " + ctx.request().uri() + "\n")
          .getBytes(StandardCharsets.UTF_8));
      Buffer body = ctx.body() == null ? null : ctx.body().buffer();
      if (body != null) {
        digest.update(body.getBytes());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
