package io.kato.worker.host;

import io.kato.common.ErrorCode;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: a node's mutations never
 * run concurrently and are applied in arrival order, without a thread per node. The queue is
 * bounded: a full lane refuses work with OVERLOADED instead of growing the heap.
 */
final class SerialLane {
  /** Tasks a lane runs before it yields its thread. */
  private static final int FAIR_SHARE = 64;

  private final Executor executor;
  private final int maxPending;
  private final ArrayDeque<Task<?>> queue = new ArrayDeque<>();
  private boolean running;

  private record Task<T>(Supplier<T> body, CompletableFuture<T> result) {
    void run() {
      try {
        result.complete(body.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }
  }

  SerialLane(Executor executor, int maxPending) {
    this.executor = executor;
    this.maxPending = maxPending;
  }

  <T> CompletableFuture<T> submit(Supplier<T> body) {
    Task<T> task = new Task<>(body, new CompletableFuture<>());
    boolean start;
    synchronized (this) {
      if (queue.size() >= maxPending) {
        task.result().completeExceptionally(new HostException(ErrorCode.OVERLOADED, "node queue is full; retry later"));
        return task.result();
      }
      queue.add(task);
      start = !running;
      running = true;
    }
    if (start) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        failAll(new HostException(ErrorCode.WORKER_UNAVAILABLE, "worker is shutting down"));
      }
    }
    return task.result();
  }

  int pending() {
    synchronized (this) {
      return queue.size();
    }
  }

  private void failAll(Throwable cause) {
    Task<?>[] dropped;
    synchronized (this) {
      dropped = queue.toArray(new Task<?>[0]);
      queue.clear();
      running = false;
    }
    for (Task<?> task : dropped) {
      task.result().completeExceptionally(cause);
    }
  }

  private void drain() {
    for (int ran = 0; ran < FAIR_SHARE; ran++) {
      Task<?> next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run();
    }
    // a busy lane gives its thread back after a fair share, so other nodes' lanes get to run
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      failAll(new HostException(ErrorCode.WORKER_UNAVAILABLE, "worker is shutting down"));
    }
  }
}
