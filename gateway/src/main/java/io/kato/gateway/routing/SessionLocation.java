package io.kato.gateway.routing;

/** Where a session lives: its raw node id (routing goes by the node's kb_id). */
public record SessionLocation(String sessionId, String nodeId) {}
