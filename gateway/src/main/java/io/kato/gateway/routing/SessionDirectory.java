package io.kato.gateway.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.transport.CallContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code session_id → node_id} for routing (API.md §6.4). Hits come from a bounded LRU cache
 * filled by session creation and lookups; a miss asks every serving worker, which is what
 * makes a restarted gateway find every session again (sessions live with their node's owner).
 * A cached entry may outlive its session: the owner then answers SESSION_NOT_FOUND and the
 * caller {@link #forget}s it. The worker that answers a lookup holds the session's node, which
 * the placement {@link NodePlacement#adopt adopts} when the node has no owner yet.
 */
public final class SessionDirectory {
  private final WorkerRegistry registry;
  private final NodePlacement placement;
  private final long lookupDeadlineMillis;
  private final Map<String, SessionLocation> cache;

  public SessionDirectory(WorkerRegistry registry, NodePlacement placement, int capacity,
      long lookupDeadlineMillis) {
    this.registry = registry;
    this.placement = placement;
    this.lookupDeadlineMillis = lookupDeadlineMillis;
    this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SessionLocation> eldest) {
        return size() > capacity;
      }
    };
  }

  public void remember(String sessionId, String nodeId) {
    synchronized (cache) {
      cache.put(sessionId, new SessionLocation(sessionId, nodeId));
    }
  }

  public void forget(String sessionId) {
    synchronized (cache) {
      cache.remove(sessionId);
    }
  }

  /** The session's location, or empty when no worker knows it (or it expired). */
  public Future<Optional<SessionLocation>> locate(String sessionId, String traceId) {
    SessionLocation hit;
    synchronized (cache) {
      hit = cache.get(sessionId);
    }
    if (hit != null) {
      return Future.succeededFuture(Optional.of(hit));
    }
    return lookup(sessionId, traceId).map(found -> {
      found.filter(o -> o.path("exists").asBoolean())
          .ifPresent(o -> remember(sessionId, o.path("node_id").asText()));
      return found.filter(o -> o.path("exists").asBoolean())
          .map(o -> new SessionLocation(sessionId, o.path("node_id").asText()));
    });
  }

  /**
   * Asks every serving worker; the first that holds the session answers. The body is the
   * worker's lookup ({@code exists}, {@code expired}, {@code node_id}); empty when every
   * worker said no or failed.
   */
  public Future<Optional<ObjectNode>> lookup(String sessionId, String traceId) {
    List<Worker> workers = registry.serving();
    if (workers.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Promise<Optional<ObjectNode>> result = Promise.promise();
    AtomicInteger pending = new AtomicInteger(workers.size());
    ObjectNode[] expired = {null};
    CallContext call = new CallContext(0, "", traceId, lookupDeadlineMillis);
    for (Worker w : workers) {
      w.transport().lookupSession(sessionId, call).onComplete(done -> {
        if (done.succeeded() && done.result().path("exists").asBoolean()) {
          placement.adopt(done.result().path("node_id").asText(), w.workerId());
          result.tryComplete(Optional.of(done.result()));
        } else if (done.succeeded() && done.result().path("expired").asBoolean()) {
          synchronized (expired) {
            expired[0] = done.result();
          }
        }
        if (pending.decrementAndGet() == 0) {
          synchronized (expired) {
            result.tryComplete(Optional.ofNullable(expired[0]));
          }
        }
      });
    }
    return result.future();
  }
}
