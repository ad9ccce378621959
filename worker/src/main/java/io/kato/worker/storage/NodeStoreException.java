package io.kato.worker.storage;

/**
 * A store could not read or write (I/O error, database unreachable, corrupt record). The
 * operation being committed must not be acknowledged; its node's in-memory state is then ahead
 * of the store and should be reloaded.
 */
public final class NodeStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NodeStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public NodeStoreException(String message) {
    super(message);
  }
}
