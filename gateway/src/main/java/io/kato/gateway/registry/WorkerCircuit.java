package io.kato.gateway.registry;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * The per-worker circuit breaker of API.md §6.4 (seed-001): open after 5 consecutive transport
 * failures (window of the last 5 calls, all failed), half-open after 30 s, where one trial call
 * decides. While open, calls to the worker fail at once with nothing sent (503), instead of each
 * waiting for its deadline. Only transport failures count; an error the worker answered is a
 * working worker.
 */
public final class WorkerCircuit {
  public static final int CONSECUTIVE_FAILURES = 5;
  public static final Duration OPEN_FOR = Duration.ofSeconds(30);

  private WorkerCircuit() {}

  public static CircuitBreaker create(String workerId) {
    return create(workerId, OPEN_FOR);
  }

  public static CircuitBreaker create(String workerId, Duration openFor) {
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(CONSECUTIVE_FAILURES)
        .minimumNumberOfCalls(CONSECUTIVE_FAILURES)
        .failureRateThreshold(100.0f)
        .waitDurationInOpenState(openFor)
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .build();
    return CircuitBreaker.of("worker-" + workerId, config);
  }

  /** {@code closed}, {@code open} or {@code half_open}, for the stats routes. */
  public static String stateName(CircuitBreaker breaker) {
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> "open";
      case HALF_OPEN -> "half_open";
      default -> "closed";
    };
  }
}
