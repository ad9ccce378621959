package io.kato.gateway.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kato.common.ErrorCode;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.WorkerCallException;
import io.kato.gateway.transport.WorkerTransport;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Runs one call on the owner of a node: places the node, sends the call with the assignment
 * epoch, and when the worker fences the epoch (STALE_EPOCH) refreshes the placement and retries
 * once. A call whose outcome is unknown (no answer) is retried once with the same request id,
 * which the worker de-duplicates (API.md §6.4).
 */
public final class NodeCalls {
  private final NodePlacement placement;

  public NodeCalls(NodePlacement placement) {
    this.placement = placement;
  }

  /** The result and the worker that produced it. */
  public record Served<T>(T result, Worker worker) {}

  public <T> Future<Served<T>> call(String nodeId, CallContext call,
      BiFunction<WorkerTransport, CallContext, Future<T>> operation) {
    Optional<Placement> placed = placement.place(nodeId);
    if (placed.isEmpty()) {
      return Future.failedFuture(unavailable());
    }
    return attempt(nodeId, placed.get(), call, operation, true, true);
  }

  private <T> Future<Served<T>> attempt(String nodeId, Placement placed, CallContext call,
      BiFunction<WorkerTransport, CallContext, Future<T>> operation, boolean mayRefresh, boolean mayResend) {
    Worker worker = placed.worker();
    return operation.apply(worker.transport(), call.withEpoch(placed.epoch()))
        .map(result -> new Served<>(result, worker))
        .recover(failure -> {
          if (!(failure instanceof WorkerCallException)) {
            return Future.failedFuture(failure);
          }
          WorkerCallException e = (WorkerCallException) failure;
          if (e.code() == ErrorCode.STALE_EPOCH && mayRefresh) {
            Optional<Placement> refreshed = placement.refresh(nodeId, placed.epoch());
            return refreshed.isEmpty() ? Future.failedFuture(unavailable())
                : attempt(nodeId, refreshed.get(), call, operation, false, mayResend);
          }
          if (e.outcome() == WorkerCallException.Outcome.UNKNOWN && mayResend) {
            Optional<Placement> again = placement.place(nodeId);
            return again.isEmpty() ? Future.failedFuture(e)
                : attempt(nodeId, again.get(), call, operation, mayRefresh, false);
          }
          if (e.code() == ErrorCode.STALE_EPOCH) {
            return Future.failedFuture(unavailable());
          }
          return Future.failedFuture(e);
        });
  }

  private static WorkerCallException unavailable() {
    return new WorkerCallException(ErrorCode.WORKER_UNAVAILABLE, "No live worker can serve this node right now",
        JsonNodeFactory.instance.objectNode(), WorkerCallException.Outcome.NOT_APPLIED);
  }
}
