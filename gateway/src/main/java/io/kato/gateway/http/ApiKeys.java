package io.kato.gateway.http;

import io.kato.common.ErrorCode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys of API.md §1.7 (off unless keys are configured). A key comes in the configured header
 * ({@code X-API-Key} by default) or as {@code Authorization: Bearer <key>}; WebSocket handshakes
 * may also carry it as query {@code api_key} or {@code token} (§4), because browsers cannot set
 * headers on them. Probes ({@code /health}, {@code /ready}, {@code /kato-api/ping}) and CORS
 * preflights are exempt. Admin writes ({@code POST/PUT/DELETE} under {@code /workers} and
 * {@code /nodes}) need an admin key when admin keys are configured; a valid ordinary key there
 * is 403.
 */
public final class ApiKeys {
  private static final Set<String> EXEMPT_PATHS = Set.of("/health", "/ready", "/kato-api/ping");

  private final List<byte[]> keys;
  private final List<byte[]> adminKeys;
  private final String header;

  /**
   * @param keys accepted keys; empty = authentication off
   * @param adminKeys keys allowed on admin writes (also accepted everywhere); empty = any key
   * @param header the header that carries a key
   */
  public ApiKeys(Set<String> keys, Set<String> adminKeys, String header) {
    Set<String> all = new LinkedHashSet<>(keys);
    if (!keys.isEmpty()) {
      all.addAll(adminKeys);
    }
    this.keys = all.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    this.adminKeys = adminKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    this.header = header == null || header.isBlank() ? "X-API-Key" : header;
  }

  public static ApiKeys disabled() {
    return new ApiKeys(Set.of(), Set.of(), "X-API-Key");
  }

  /** Splits a comma-separated key list (blank entries dropped). */
  public static Set<String> parseList(String commaSeparated) {
    Set<String> out = new LinkedHashSet<>();
    if (commaSeparated != null) {
      Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(k -> !k.isEmpty()).forEach(out::add);
    }
    return out;
  }

  public boolean enabled() {
    return !keys.isEmpty();
  }

  /**
   * The error that refuses this request, or empty when it may proceed.
   *
   * @param normalizedPath the path as the router matches it (dot segments resolved), so
   *     {@code /sessions/../workers/x/drain} is judged as the admin write it is
   */
  public Optional<ApiError> refusal(HttpServerRequest request, String normalizedPath) {
    String path = normalized(normalizedPath);
    if (!enabled() || request.method() == HttpMethod.OPTIONS || EXEMPT_PATHS.contains(path)) {
      return Optional.empty();
    }
    byte[] given = presented(request);
    if (given == null || !matchesAny(given, keys)) {
      return Optional.of(ApiError.of(ErrorCode.UNAUTHORIZED, given == null ? "Missing API key" : "Invalid API key"));
    }
    if (isAdminWrite(request.method(), path) && !adminKeys.isEmpty() && !matchesAny(given, adminKeys)) {
      return Optional.of(ApiError.of(ErrorCode.FORBIDDEN, "This API key may not change workers or node placement"));
    }
    return Optional.empty();
  }

  private byte[] presented(HttpServerRequest request) {
    String value = request.getHeader(header);
    if (value == null) {
      String authorization = request.getHeader("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        value = authorization.substring(7).trim();
      }
    }
    if (value == null && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      value = request.getParam("api_key");
      if (value == null) {
        value = request.getParam("token");
      }
    }
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }

  /** Constant-time per key, so response times do not reveal how much of a key was right. */
  private static boolean matchesAny(byte[] given, List<byte[]> candidates) {
    boolean found = false;
    for (byte[] key : candidates) {
      found |= MessageDigest.isEqual(given, key);
    }
    return found;
  }

  private static boolean isAdminWrite(HttpMethod m, String path) {
    if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
      return false;
    }
    return path.equals("/workers") || path.startsWith("/workers/") || path.startsWith("/nodes/");
  }

  private static String normalized(String path) {
    String p = path == null ? "/" : path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
