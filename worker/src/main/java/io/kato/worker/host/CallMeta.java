package io.kato.worker.host;

/**
 * What every call may carry besides its arguments.
 *
 * @param epoch the caller's assignment epoch of the node (0 = not fenced)
 * @param requestId idempotency key of a mutation ("" = none)
 */
public record CallMeta(long epoch, String requestId) {
  public static final CallMeta NONE = new CallMeta(0, "");
}
