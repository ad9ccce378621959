package io.kato.gateway.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own request counters for {@code /metrics} and {@code /stats} (API.md §2.5.3):
 * totals since start and a 60-second window of per-second buckets for the mean duration and
 * the rates. Cheap enough to update on every request.
 */
public final class RequestMetrics {
  private static final int WINDOW = 60;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong sessionsCreated = new AtomicLong();
  private final AtomicLong sessionsDeleted = new AtomicLong();
  private final AtomicLong sessionOperations = new AtomicLong();
  private final AtomicLong observations = new AtomicLong();
  private final AtomicLong patternsLearned = new AtomicLong();
  private final AtomicLong predictions = new AtomicLong();
  private final long[] bucketSecond = new long[WINDOW];
  private final long[] bucketCount = new long[WINDOW];
  private final long[] bucketErrors = new long[WINDOW];
  private final long[] bucketNanos = new long[WINDOW];
  private final long[] bucketSessions = new long[WINDOW];

  public void request(long nanos, boolean error) {
    requests.incrementAndGet();
    if (error) {
      errors.incrementAndGet();
    }
    long second = System.currentTimeMillis() / 1000;
    int i = (int) (second % WINDOW);
    synchronized (bucketCount) {
      roll(i, second);
      bucketCount[i]++;
      bucketNanos[i] += nanos;
      if (error) {
        bucketErrors[i]++;
      }
    }
  }

  public void sessionCreated() {
    sessionsCreated.incrementAndGet();
    long second = System.currentTimeMillis() / 1000;
    int i = (int) (second % WINDOW);
    synchronized (bucketCount) {
      // the create is counted before its request is recorded: the bucket may still be stale
      roll(i, second);
      bucketSessions[i]++;
    }
  }

  /** Starts bucket {@code i} afresh for {@code second} if it holds an older second (lock held). */
  private void roll(int i, long second) {
    if (bucketSecond[i] != second) {
      bucketSecond[i] = second;
      bucketCount[i] = 0;
      bucketErrors[i] = 0;
      bucketNanos[i] = 0;
      bucketSessions[i] = 0;
    }
  }

  public void sessionDeleted() {
    sessionsDeleted.incrementAndGet();
  }

  public void sessionOperation() {
    sessionOperations.incrementAndGet();
  }

  public void observed(long count) {
    observations.addAndGet(count);
  }

  public void learned() {
    patternsLearned.incrementAndGet();
  }

  public void predicted() {
    predictions.incrementAndGet();
  }

  /** A consistent view of the last 60 seconds. */
  public record Window(long requests, long errors, double meanSeconds, long sessionsCreated) {}

  public Window window() {
    long now = System.currentTimeMillis() / 1000;
    long count = 0;
    long errorCount = 0;
    long nanos = 0;
    long sessions = 0;
    synchronized (bucketCount) {
      for (int i = 0; i < WINDOW; i++) {
        if (now - bucketSecond[i] < WINDOW) {
          count += bucketCount[i];
          errorCount += bucketErrors[i];
          nanos += bucketNanos[i];
          sessions += bucketSessions[i];
        }
      }
    }
    return new Window(count, errorCount, count == 0 ? 0.0 : nanos / 1e9 / count, sessions);
  }

  public long requests() {
    return requests.get();
  }

  public long errors() {
    return errors.get();
  }

  public long sessionsCreated() {
    return sessionsCreated.get();
  }

  public long sessionsDeleted() {
    return sessionsDeleted.get();
  }

  public long sessionOperations() {
    return sessionOperations.get();
  }

  public long observations() {
    return observations.get();
  }

  public long patternsLearned() {
    return patternsLearned.get();
  }

  public long predictions() {
    return predictions.get();
  }
}
