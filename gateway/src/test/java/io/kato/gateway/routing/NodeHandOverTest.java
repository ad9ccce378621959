package io.kato.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.common.NodeIds;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.testing.FakeTransport;
import io.kato.proto.v1.RegisterRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over steps of a drain: release on the old owner, then acquire on the new one. */
class NodeHandOverTest {
  private final FakeTransport.Factory transports = new FakeTransport.Factory();
  private final WorkerRegistry registry = new WorkerRegistry(transports, Duration.ofSeconds(1), 5, Clock.systemUTC());
  private final NodePlacement placement = new NodePlacement(registry, System::currentTimeMillis);
  private final NodeHandOver handOver = new NodeHandOver(placement, 1000);

  private Worker register(String id, boolean shared) {
    return registry.register(RegisterRequest.newBuilder().setWorkerId(id).setGrpcAddress(id + ":1")
        .setSharedStore(shared).build(), false);
  }

  private FakeTransport transportOf(Worker w) {
    return (FakeTransport) w.transport();
  }

  @Test
  void everyNodeOfTheDrainedWorkerIsReleasedThenAcquiredUnderItsNewEpoch() throws Exception {
    Worker w1 = register("w1", true);
    Worker w2 = register("w2", true);
    List<String> onW1 = new java.util.ArrayList<>();
    for (int i = 0; onW1.size() < 5; i++) {
      String node = "n-" + i;
      if (placement.place(node).orElseThrow().worker() == w1) {
        onW1.add(node);
      }
    }
    registry.drain("w1");
    int moved = handOver.drain(registry.get("w1").orElseThrow()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(moved).isEqualTo(5);
    for (String node : onW1) {
      Placement now = placement.place(node).orElseThrow();
      assertThat(now.worker()).isSameAs(w2);
      assertThat(transportOf(w1).handOvers).contains("release:" + node + "@" + now.epoch());
      assertThat(transportOf(w2).handOvers).contains("acquire:" + node + "@" + now.epoch());
      assertThat(transportOf(w1).handOvers.indexOf("release:" + node + "@" + now.epoch())).isNotNegative();
      assertThat(placement.describe(node).path("state").asText()).isEqualTo("assigned");
      assertThat(NodeIds.kbId(node)).isEqualTo(now.kbId());
    }
    assertThat(transportOf(w2).handOvers).noneMatch(h -> h.startsWith("release"));
  }

  @Test
  void anEmbeddedStoreMovesNothing() throws Exception {
    Worker w1 = register("w1", false);
    register("w2", false);
    String node = null;
    for (int i = 0; node == null; i++) {
      if (placement.place("m-" + i).orElseThrow().worker() == w1) {
        node = "m-" + i;
      }
    }
    registry.drain("w1");
    assertThat(handOver.drain(registry.get("w1").orElseThrow()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS)).isZero();
    assertThat(placement.place(node).orElseThrow().worker()).isSameAs(w1);
    assertThat(transportOf(w1).handOvers).isEmpty();
  }
}
