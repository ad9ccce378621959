package io.kato.worker.storage;

import io.kato.engine.SessionState;
import java.time.Instant;
import java.util.Map;

/**
 * A session as a worker keeps it: the engine state plus what the session API shows around it
 * (API.md §1.10, §2.2).
 *
 * @param sessionId opaque id ({@code session-<32 hex>-<epoch ms>}, or client-chosen)
 * @param nodeId the raw node id the session was created for
 * @param kbId the knowledge base the node id maps to
 * @param ttlSeconds the sliding window length fixed at creation
 * @param metadata opaque creation metadata (Java JSON values)
 */
public record SessionRecord(
    String sessionId,
    String nodeId,
    String kbId,
    Instant createdAt,
    Instant expiresAt,
    long ttlSeconds,
    Map<String, Object> metadata,
    long accessCount,
    SessionState state) {

  public SessionRecord withState(SessionState next) {
    return new SessionRecord(sessionId, nodeId, kbId, createdAt, expiresAt, ttlSeconds, metadata, accessCount, next);
  }

  public SessionRecord withExpiry(Instant nextExpiresAt) {
    return new SessionRecord(sessionId, nodeId, kbId, createdAt, nextExpiresAt, ttlSeconds, metadata, accessCount, state);
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
