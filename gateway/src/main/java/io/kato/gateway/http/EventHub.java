package io.kato.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.Timestamps;
import io.kato.common.json.JsonValues;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws/events} stream (API.md §4.1): every connected client gets {@code
 * session.created} and {@code session.destroyed} for explicit sessions, in commit order. A
 * client whose send queue is full is disconnected (close 1013) rather than growing memory.
 */
public final class EventHub {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  private static final int MAX_QUEUED_FRAMES = 1000;

  private final Set<ServerWebSocket> clients = ConcurrentHashMap.newKeySet();

  public void add(ServerWebSocket socket) {
    socket.setWriteQueueMaxSize(MAX_QUEUED_FRAMES);
    clients.add(socket);
    socket.closeHandler(v -> clients.remove(socket));
  }

  public int connections() {
    return clients.size();
  }

  public void sessionCreated(String sessionId, String nodeId, String createdAtIso) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("session_id", sessionId);
    data.put("node_id", nodeId);
    data.put("created_at", createdAtIso);
    publish("session.created", data);
  }

  public void sessionDestroyed(String sessionId, String reason) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("session_id", sessionId);
    data.put("destroyed_at", Timestamps.eventTime(Instant.now()));
    data.put("reason", reason);
    publish("session.destroyed", data);
  }

  private void publish(String type, ObjectNode data) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("event_type", type);
    event.put("timestamp", Timestamps.eventTime(Instant.now()));
    event.set("data", data);
    String frame;
    try {
      frame = JsonValues.mapper().writeValueAsString(event);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    for (ServerWebSocket socket : clients) {
      if (socket.writeQueueFull()) {
        LOG.warn("event client too slow, disconnecting: remote={}", socket.remoteAddress());
        clients.remove(socket);
        socket.close((short) 1013, "send queue full");
      } else {
        socket.writeTextMessage(frame);
      }
    }
  }
}
