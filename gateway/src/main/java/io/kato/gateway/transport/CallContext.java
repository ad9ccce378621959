package io.kato.gateway.transport;

import java.util.Map;

/**
 * What travels with every gateway→worker call: the node's assignment epoch (fencing), the
 * request id the worker de-duplicates retries by, the trace id for logs, the deadline, and the
 * caller's W3C trace context ({@code traceparent}/{@code tracestate}, empty when none).
 */
public record CallContext(long epoch, String requestId, String traceId, long deadlineMillis,
    Map<String, String> traceContext) {

  public CallContext(long epoch, String requestId, String traceId, long deadlineMillis) {
    this(epoch, requestId, traceId, deadlineMillis, Map.of());
  }

  public CallContext withEpoch(long newEpoch) {
    return new CallContext(newEpoch, requestId, traceId, deadlineMillis, traceContext);
  }
}
