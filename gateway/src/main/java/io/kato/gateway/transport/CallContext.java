package io.kato.gateway.transport;

/**
 * What travels with every gateway→worker call: the node's assignment epoch (fencing), the
 * request id the worker de-duplicates retries by, the trace id for logs, and the deadline.
 */
public record CallContext(long epoch, String requestId, String traceId, long deadlineMillis) {

  public CallContext withEpoch(long newEpoch) {
    return new CallContext(newEpoch, requestId, traceId, deadlineMillis);
  }
}
