package io.kato.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.registry.WorkerState;
import io.kato.gateway.testing.FakeTransport;
import io.kato.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The static ZeroMQ processors of {@code PROCESSORS} (API.md §6.3). */
class StaticProcessorsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final WorkerRegistry registry = new WorkerRegistry(new FakeTransport.Factory(), Duration.ofSeconds(1), 5,
      clock);

  @Test
  void onePinnedExclusiveZmqWorkerPerHostPort() {
    GatewayServer.registerStaticProcessors(registry, "p001:kato-1:5555, p002:kato-2:5555,p003:kato-1:5555");
    assertThat(registry.all()).extracting(Worker::workerId).containsExactly("zmq-kato-1-5555", "zmq-kato-2-5555");
    Worker first = registry.get("zmq-kato-1-5555").orElseThrow();
    assertThat(first.processors()).containsExactly("p001", "p003");
    assertThat(first.exclusive()).isTrue();
    assertThat(first.isStaticWorker()).isTrue();
    assertThat(first.toJson().path("zmq_address").asText()).isEqualTo("tcp://kato-1:5555");
    assertThat(first.toJson().path("transport").asText()).isEqualTo("zmq");
  }

  @Test
  void pingedWorkersAreNotAgedByMissingHeartbeats() {
    GatewayServer.registerStaticProcessors(registry, "p001:kato-1:5555");
    clock.advance(Duration.ofSeconds(60));
    registry.tick();
    assertThat(registry.get("zmq-kato-1-5555").orElseThrow().state()).isEqualTo(WorkerState.LIVE);
    registry.pinged("zmq-kato-1-5555", false, 5);
    assertThat(registry.get("zmq-kato-1-5555").orElseThrow().state()).isEqualTo(WorkerState.DEAD);
    registry.pinged("zmq-kato-1-5555", true, 0);
    assertThat(registry.get("zmq-kato-1-5555").orElseThrow().state()).isEqualTo(WorkerState.LIVE);
  }

  @Test
  void aMalformedEntryIsRefused() {
    assertThatThrownBy(() -> GatewayServer.registerStaticProcessors(registry, "p001:kato-1"))
        .hasMessageContaining("pid:host:port");
  }
}
