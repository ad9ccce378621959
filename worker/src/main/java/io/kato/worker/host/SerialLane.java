package io.kato.worker.host;

import io.kato.common.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: a node's mutations never
 * run concurrently and are applied in arrival order, without a thread per node. The queue is
 * bounded: a full lane refuses work with OVERLOADED instead of growing the heap.
 *
 * <p>Group commit: tasks stage their durable changes with the lane's {@link Staging} instead of
 * writing them one by one. After a run of queued tasks the lane flushes what they staged in one
 * durable write, and only then completes those tasks, so an answer never reveals a change that
 * is not durable yet, and one WAL sync serves every mutation that was queued meanwhile. Tasks that
 * ran before anything was staged complete at once. If the flush fails, every task of the run
 * that came after the first staged change fails with the store's error (the staging resets the
 * node's memory to what is durable).
 */
final class SerialLane {
  /** Tasks a lane runs before it yields its thread. */
  private static final int FAIR_SHARE = 64;
  /** A run stops taking tasks after this long, so the first answers of a batch wait little. */
  private static final long MAX_RUN_NANOS = 5_000_000;

  /** The durable changes the lane's tasks staged (the node's pending group commit). */
  interface Staging {
    boolean hasStaged();

    /**
     * Makes every staged change durable. On failure the implementation has reset the node's
     * memory to its durable state and rethrows.
     */
    void flush();
  }

  private final Executor executor;
  private final int maxPending;
  private final Staging staging;
  private final ArrayDeque<Task<?>> queue = new ArrayDeque<>();
  private boolean running;

  /** A task's outcome, held until the run's flush when the task came after a staged change. */
  private record Outcome<T>(CompletableFuture<T> result, T value, Throwable failure) {
    void complete() {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failure);
      }
    }

    void fail(Throwable cause) {
      result.completeExceptionally(cause);
    }
  }

  private record Task<T>(Supplier<T> body, CompletableFuture<T> result) {
    Outcome<T> run() {
      try {
        return new Outcome<>(result, body.get(), null);
      } catch (Throwable t) {
        return new Outcome<>(result, null, t);
      }
    }
  }

  SerialLane(Executor executor, int maxPending, Staging staging) {
    this.executor = executor;
    this.maxPending = maxPending;
    this.staging = staging;
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
      schedule();
    }
    return task.result();
  }

  int pending() {
    synchronized (this) {
      return queue.size();
    }
  }

  private void schedule() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      failAll(new HostException(ErrorCode.WORKER_UNAVAILABLE, "worker is shutting down"));
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
    long started = System.nanoTime();
    List<Outcome<?>> held = new ArrayList<>();
    for (int ran = 0; ran < FAIR_SHARE && System.nanoTime() - started < MAX_RUN_NANOS; ran++) {
      Task<?> next;
      synchronized (this) {
        next = queue.poll();
      }
      if (next == null) {
        break;
      }
      Outcome<?> outcome = next.run();
      if (held.isEmpty() && !staging.hasStaged()) {
        outcome.complete();
      } else {
        held.add(outcome);
      }
    }
    if (staging.hasStaged() || !held.isEmpty()) {
      Throwable failure = null;
      try {
        staging.flush();
      } catch (Throwable t) {
        failure = t;
      }
      for (Outcome<?> outcome : held) {
        if (failure == null) {
          outcome.complete();
        } else {
          outcome.fail(failure);
        }
      }
    }
    synchronized (this) {
      if (queue.isEmpty()) {
        running = false;
        return;
      }
    }
    // more work: a fresh run on the executor, so other nodes' lanes get their turn between runs
    schedule();
  }
}
