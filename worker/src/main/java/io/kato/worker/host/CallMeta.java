package io.kato.worker.host;

/**
 * What every call may carry besides its arguments.
 *
 * @param epoch the caller's assignment epoch of the node (0 = not fenced)
 * @param requestId idempotency key of a mutation ("" = none)
 * @param startBy {@link System#nanoTime()} by which a mutation must have started, else it is refused
 *     with GATEWAY_TIMEOUT and not applied (the ZeroMQ {@code deadline_ms}); 0 = no deadline
 */
public record CallMeta(long epoch, String requestId, long startBy) {
  public static final CallMeta NONE = new CallMeta(0, "");

  public CallMeta(long epoch, String requestId) {
    this(epoch, requestId, 0);
  }

  /** The meta of a call that must start within {@code millis} from now. */
  public static CallMeta withDeadline(long epoch, String requestId, long millis) {
    return new CallMeta(epoch, requestId, System.nanoTime() + Math.max(0, millis) * 1_000_000L);
  }

  /** Whether the deadline, if any, has passed. */
  public boolean expired() {
    return startBy != 0 && System.nanoTime() - startBy > 0;
  }
}
