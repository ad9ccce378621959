package io.kato.gateway.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.kato.common.ErrorCode;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.WorkerCallException;
import io.kato.gateway.transport.WorkerTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs one call on the owner of a node: places the node, sends the call with the assignment
 * epoch, and when the worker fences the epoch (STALE_EPOCH) refreshes the placement and retries
 * once. A call whose outcome is unknown (no answer) is retried once with the same request id,
 * which the worker de-duplicates (API.md §6.4). Each worker's circuit breaker sees the outcome;
 * while it is open the call fails at once, unsent.
 *
 * <p>When no worker can take the node, the call waits up to {@code placementWait} for one to
 * register (workers of a starting cluster register a moment after the gateway listens) before
 * it answers WORKER_UNAVAILABLE; nothing has been sent then, so clients may retry.
 */
public final class NodeCalls {
  private static final long POLL_MILLIS = 50;

  private final NodePlacement placement;
  private final Vertx vertx;
  private final long placementWaitMillis;

  public NodeCalls(NodePlacement placement, Vertx vertx, Duration placementWait) {
    this.placement = placement;
    this.vertx = vertx;
    this.placementWaitMillis = placementWait.toMillis();
  }

  /** The result and the worker that produced it. */
  public record Served<T>(T result, Worker worker) {}

  public <T> Future<Served<T>> call(String nodeId, CallContext call,
      BiFunction<WorkerTransport, CallContext, Future<T>> operation) {
    return placed(nodeId, System.currentTimeMillis() + placementWaitMillis)
        .compose(placed -> attempt(nodeId, placed, call, operation, true, true));
  }

  private Future<Placement> placed(String nodeId, long giveUpAt) {
    Optional<Placement> placed = placement.place(nodeId);
    if (placed.isPresent()) {
      // a hand-over in progress finishes first: the new owner serves after the old one released
      Future<Void> settled = placement.settled(nodeId);
      if (!settled.isComplete()) {
        // the hand-over completes on another event loop: continue on this call's own context,
        // and at the latest after the placement wait (a hand-over that never settles stalls no one)
        io.vertx.core.Context here = vertx.getOrCreateContext();
        Promise<Void> onHere = Promise.promise();
        settled.onComplete(done -> here.runOnContext(v -> onHere.tryComplete()));
        vertx.setTimer(Math.max(1, placementWaitMillis), t -> onHere.tryComplete());
        settled = onHere.future();
      }
      return settled.map(v -> placement.place(nodeId).orElse(placed.get()));
    }
    if (System.currentTimeMillis() >= giveUpAt) {
      return Future.failedFuture(unavailable());
    }
    Promise<Placement> later = Promise.promise();
    vertx.setTimer(POLL_MILLIS, t -> placed(nodeId, giveUpAt).onComplete(later));
    return later.future();
  }

  private <T> Future<Served<T>> attempt(String nodeId, Placement placed, CallContext call,
      BiFunction<WorkerTransport, CallContext, Future<T>> operation, boolean mayRefresh, boolean mayResend) {
    Worker worker = placed.worker();
    CircuitBreaker circuit = worker.circuit();
    if (!circuit.tryAcquirePermission()) {
      return Future.failedFuture(new WorkerCallException(ErrorCode.WORKER_UNAVAILABLE, "Worker " + worker.workerId()
          + " is failing (circuit open): retry shortly", JsonNodeFactory.instance.objectNode(),
          WorkerCallException.Outcome.NOT_APPLIED));
    }
    long started = System.nanoTime();
    Future<T> sent;
    try {
      sent = operation.apply(worker.transport(), call.withEpoch(placed.epoch()));
    } catch (RuntimeException thrown) {
      circuit.releasePermission();
      return Future.failedFuture(thrown);
    }
    return sent
        .map(result -> {
          circuit.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          return new Served<>(result, worker);
        })
        .recover(failure -> {
          if (!(failure instanceof WorkerCallException)) {
            circuit.releasePermission();
            return Future.failedFuture(failure);
          }
          WorkerCallException e = (WorkerCallException) failure;
          if (isTransportFailure(e)) {
            circuit.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
          } else {
            circuit.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS); // the worker answered
          }
          if (e.code() == ErrorCode.STALE_EPOCH && mayRefresh) {
            Optional<Placement> refreshed = placement.refresh(nodeId, placed.epoch());
            return refreshed.isEmpty() ? Future.failedFuture(unavailable())
                : placed(nodeId, System.currentTimeMillis())
                    .compose(p -> attempt(nodeId, p, call, operation, false, mayResend));
          }
          if (e.outcome() == WorkerCallException.Outcome.UNKNOWN && mayResend) {
            // through placed(): a resend waits for a hand-over of the node like a first call
            return placed(nodeId, System.currentTimeMillis())
                .recover(none -> Future.failedFuture(e))
                .compose(p -> attempt(nodeId, p, call, operation, mayRefresh, false));
          }
          if (e.code() == ErrorCode.STALE_EPOCH) {
            return Future.failedFuture(unavailable());
          }
          return Future.failedFuture(e);
        });
  }

  /** No answer from the worker: unreachable, timed out, or an unknown outcome. */
  private static boolean isTransportFailure(WorkerCallException e) {
    return e.outcome() == WorkerCallException.Outcome.UNKNOWN
        || (e.outcome() == WorkerCallException.Outcome.NOT_APPLIED && e.code() == ErrorCode.WORKER_UNAVAILABLE);
  }

  private static WorkerCallException unavailable() {
    return new WorkerCallException(ErrorCode.WORKER_UNAVAILABLE, "No live worker can serve this node right now",
        JsonNodeFactory.instance.objectNode(), WorkerCallException.Outcome.NOT_APPLIED);
  }
}
