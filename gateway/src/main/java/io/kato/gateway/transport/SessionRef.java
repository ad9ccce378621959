package io.kato.gateway.transport;

/**
 * The session a call is about: an explicit session id, or (session id empty) the implicit
 * session {@code __node__:<node_id>} of a node (API.md §1.10). The node id always names the
 * node the call is routed by.
 */
public record SessionRef(String sessionId, String nodeId) {

  public static SessionRef implicit(String nodeId) {
    return new SessionRef("", nodeId);
  }

  public boolean isImplicit() {
    return sessionId.isEmpty();
  }

  /** The id shown to clients. */
  public String visibleId() {
    return isImplicit() ? "__node__:" + nodeId : sessionId;
  }
}
