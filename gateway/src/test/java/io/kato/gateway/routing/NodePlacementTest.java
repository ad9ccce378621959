package io.kato.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.NodeIds;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.registry.WorkerState;
import io.kato.gateway.testing.FakeTransport;
import io.kato.gateway.testing.MutableClock;
import io.kato.proto.v1.RegisterRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node ownership, stickiness and epochs of API.md §6.4. */
class NodePlacementTest {
  private static final Instant T0 = Instant.parse("2026-11-24T13:00:00Z");

  private MutableClock clock;
  private WorkerRegistry registry;
  /** The epoch floor handed to NodePlacement (wall-clock millis in production). */
  private AtomicLong epochClock;
  private NodePlacement placement;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    registry = new WorkerRegistry(new FakeTransport.Factory(), Duration.ofMillis(1000), 5, clock);
    epochClock = new AtomicLong(T0.toEpochMilli());
    placement = new NodePlacement(registry, epochClock::get);
  }

  private Worker register(String id) {
    return registry.register(RegisterRequest.newBuilder().setWorkerId(id).setGrpcAddress(id + ":50051").build(), false);
  }

  private Worker registerHosting(String id, String... kbIds) {
    return registry.register(RegisterRequest.newBuilder().setWorkerId(id).setGrpcAddress(id + ":50051")
        .addAllHostedKbIds(List.of(kbIds)).build(), false);
  }

  private Placement place(String nodeId) {
    Optional<Placement> p = placement.place(nodeId);
    assertThat(p).as("placement of %s", nodeId).isPresent();
    return p.get();
  }

  /** Advances the registry clock and keeps every listed worker beating, so only the others age. */
  private void elapse(long millis, String... beating) {
    clock.advance(Duration.ofMillis(millis));
    for (String id : beating) {
      registry.heartbeat(id, 0);
    }
    registry.tick();
  }

  private static List<String> nodes(String prefix, int n) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(prefix + "-" + i);
    }
    return nodes;
  }

  /** A node id whose rendezvous winner among {@code workers} is {@code wanted}. */
  private String nodeWonBy(String wanted, List<Worker> workers, String... except) {
    for (int i = 0; i < 10_000; i++) {
      String node = "probe-" + i;
      if (!List.of(except).contains(node)
          && Rendezvous.owner(workers, NodeIds.kbId(node)).workerId().equals(wanted)) {
        return node;
      }
    }
    throw new AssertionError("no node found for " + wanted);
  }

  // ---- basic placement ------------------------------------------------------------------------

  @Test
  void noWorkerNoPlacement() {
    assertThat(placement.place("n1")).isEmpty();
    assertThat(placement.nodeCounts()).isEmpty();
  }

  @Test
  void placementIsTheRendezvousWinnerByKbId() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    Worker w3 = register("w3");
    for (String node : nodes("user", 100)) {
      Placement p = place(node);
      assertThat(p.kbId()).isEqualTo(NodeIds.kbId(node));
      assertThat(p.worker().workerId()).isEqualTo(Rendezvous.owner(List.of(w1, w2, w3), NodeIds.kbId(node)).workerId());
    }
  }

  @Test
  void nodeIdsSharingAKbIdShareAnOwnerAndEpoch() {
    register("w1");
    register("w2");
    register("w3");
    Placement dash = place("a-b");
    Placement underscore = place("a_b");
    assertThat(NodeIds.kbId("a-b")).isEqualTo("a_b_kato");
    assertThat(underscore.worker()).isSameAs(dash.worker());
    assertThat(underscore.epoch()).isEqualTo(dash.epoch());
  }

  @Test
  void epochsAreAtLeastTheSuppliedClock() {
    register("w1");
    epochClock.set(1_764_000_000_000L);
    assertThat(place("n1").epoch()).isGreaterThanOrEqualTo(1_764_000_000_000L);
    epochClock.set(1_764_000_500_000L);
    assertThat(place("n2").epoch()).isGreaterThanOrEqualTo(1_764_000_500_000L);
  }

  @Test
  void repeatedPlacementIsStable() {
    register("w1");
    register("w2");
    Placement first = place("n1");
    epochClock.addAndGet(60_000);
    Placement again = place("n1");
    assertThat(again.worker()).isSameAs(first.worker());
    assertThat(again.epoch()).isEqualTo(first.epoch());
  }

  // ---- stickiness -----------------------------------------------------------------------------

  @Test
  void nodesStayOnTheirOwnerWhenANewWorkerJoins() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    Map<String, Placement> before = new HashMap<>();
    for (String node : nodes("old", 200)) {
      before.put(node, place(node));
    }
    Worker w3 = register("w3");
    for (Map.Entry<String, Placement> e : before.entrySet()) {
      Placement now = place(e.getKey());
      assertThat(now.worker().workerId()).isEqualTo(e.getValue().worker().workerId());
      assertThat(now.epoch()).isEqualTo(e.getValue().epoch());
    }
    // new nodes use the new live set, so some land on w3
    int onW3 = 0;
    for (String node : nodes("new", 300)) {
      Placement p = place(node);
      assertThat(p.worker().workerId())
          .isEqualTo(Rendezvous.owner(List.of(w1, w2, w3), NodeIds.kbId(node)).workerId());
      if (p.worker() == w3) {
        onW3++;
      }
    }
    assertThat(onW3).isBetween(60, 140);
  }

  @Test
  void suspectOwnerKeepsItsNodesButGetsNoNewOnes() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement p = place(node);
    assertThat(p.worker()).isSameAs(w1);
    elapse(2_500, "w2");
    assertThat(w1.state()).isEqualTo(WorkerState.SUSPECT);
    assertThat(place(node).worker()).isSameAs(w1);
    assertThat(place(node).epoch()).isEqualTo(p.epoch());
    for (String n : nodes("fresh", 50)) {
      assertThat(place(n).worker()).isSameAs(w2);
    }
  }

  @Test
  void aNodeWhoseOwnerDiesMovesWithAHigherEpoch() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement before = place(node);
    assertThat(before.worker()).isSameAs(w1);
    elapse(5_000, "w2");
    assertThat(w1.state()).isEqualTo(WorkerState.DEAD);
    Placement after = place(node);
    assertThat(after.worker()).isSameAs(w2);
    assertThat(after.epoch()).isGreaterThan(before.epoch());
    // the dead worker coming back does not take the node back (sticky to w2)
    registry.heartbeat("w1", 0);
    assertThat(w1.state()).isEqualTo(WorkerState.LIVE);
    Placement later = place(node);
    assertThat(later.worker()).isSameAs(w2);
    assertThat(later.epoch()).isEqualTo(after.epoch());
  }

  @Test
  void aDeregisteredOwnerLosesItsNodes() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement before = place(node);
    registry.deregister("w1");
    Placement after = place(node);
    assertThat(after.worker()).isSameAs(w2);
    assertThat(after.epoch()).isGreaterThan(before.epoch());
  }

  @Test
  void ownerDeadAndNoOtherWorkerMeansNoPlacement() {
    register("w1");
    place("n1");
    elapse(5_000);
    assertThat(placement.place("n1")).isEmpty();
  }

  @Test
  void newEpochAfterMoveIsAtLeastTheClock() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    place(node);
    elapse(5_000, "w2");
    epochClock.set(T0.toEpochMilli() + 5_000);
    assertThat(place(node).epoch()).isGreaterThanOrEqualTo(T0.toEpochMilli() + 5_000);
  }

  // ---- hosted kb ids / static processors ------------------------------------------------------

  @Test
  void aWorkerHostingTheKbGetsTheNode() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    // w3 declares it holds the node's knowledge base: it wins although the hash says otherwise
    List<Worker> withW3 = new ArrayList<>(List.of(w1, w2));
    Worker w3 = registerHosting("w3", NodeIds.kbId(node));
    withW3.add(w3);
    String other = nodeWonBy("w1", withW3, node);
    assertThat(place(node).worker()).isSameAs(w3);
    assertThat(place(other).worker()).isSameAs(w1);
  }

  @Test
  void hostedKbIdIsMatchedByKbIdNotNodeId() {
    register("w1");
    Worker holder = registerHosting("holder", NodeIds.kbId("my node.v1"));
    assertThat(NodeIds.kbId("my node.v1")).isEqualTo("my_node_v1_kato");
    assertThat(place("my node.v1").worker()).isSameAs(holder);
    assertThat(place("my_node_v1").worker()).isSameAs(holder);
  }

  @Test
  void exclusiveStaticWorkerServesOnlyItsProcessors() {
    Worker general = register("general");
    Worker legacy = registry.register(RegisterRequest.newBuilder().setWorkerId("zmq-kato-1-5555").setTransport("zmq")
        .setZmqAddress("tcp://kato-1:5555").addProcessors("p001").build(), true);
    assertThat(legacy.exclusive()).isTrue();
    assertThat(place("p001").worker()).isSameAs(legacy);
    for (String n : nodes("other", 50)) {
      assertThat(place(n).worker()).isSameAs(general);
    }
  }

  // ---- pins -----------------------------------------------------------------------------------

  @Test
  void pinMovesTheNodeAndUnpinKeepsIt() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement before = place(node);
    assertThat(before.worker()).isSameAs(w1);

    placement.pin(node, "w2");
    assertThat(placement.describe(node).get("pinned").booleanValue()).isTrue();
    Placement pinned = place(node);
    assertThat(pinned.worker()).isSameAs(w2);
    assertThat(pinned.epoch()).isGreaterThan(before.epoch());

    placement.unpin(node);
    assertThat(placement.describe(node).get("pinned").booleanValue()).isFalse();
    Placement unpinned = place(node);
    assertThat(unpinned.worker()).isSameAs(w2);
    assertThat(unpinned.epoch()).isEqualTo(pinned.epoch());
  }

  @Test
  void pinBeforeFirstUseAndPinToADeadWorker() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    placement.pin(node, "w2");
    assertThat(place(node).worker()).isSameAs(w2);
    elapse(5_000, "w1");
    assertThat(w2.state()).isEqualTo(WorkerState.DEAD);
    // pinned worker dead: no fallback (503 WORKER_UNAVAILABLE)
    assertThat(placement.place(node)).isEmpty();
    placement.unpin(node);
    assertThat(place(node).worker()).isSameAs(w1);
  }

  @Test
  void pinToAnUnknownWorkerPlacesNothing() {
    register("w1");
    placement.pin("n1", "ghost");
    assertThat(placement.place("n1")).isEmpty();
  }

  // ---- refresh after STALE_EPOCH --------------------------------------------------------------

  @Test
  void refreshAfterAStaleEpochGivesALargerEpochOnTheSameWorker() {
    register("w1");
    register("w2");
    Placement p = place("n1");
    Placement refreshed = placement.refresh("n1", p.epoch()).orElseThrow();
    assertThat(refreshed.worker()).isSameAs(p.worker());
    assertThat(refreshed.epoch()).isGreaterThan(p.epoch());
    assertThat(place("n1").epoch()).isEqualTo(refreshed.epoch());
    Placement twice = placement.refresh("n1", refreshed.epoch()).orElseThrow();
    assertThat(twice.epoch()).isGreaterThan(refreshed.epoch());
  }

  @Test
  void refreshWithAnOlderEpochKeepsTheCurrentOne() {
    register("w1");
    Placement p = place("n1");
    Placement bumped = placement.refresh("n1", p.epoch()).orElseThrow();
    Placement again = placement.refresh("n1", p.epoch()).orElseThrow();
    assertThat(again.epoch()).isEqualTo(bumped.epoch());
  }

  @Test
  void refreshOfAnUnknownNodePlacesIt() {
    register("w1");
    Placement p = placement.refresh("never-seen", 5).orElseThrow();
    assertThat(p.worker().workerId()).isEqualTo("w1");
    assertThat(p.epoch()).isGreaterThanOrEqualTo(epochClock.get());
  }

  // ---- describe -------------------------------------------------------------------------------

  @Test
  void describeNeverCreatesAnAssignment() {
    register("w1");
    ObjectNode d = placement.describe("user-123");
    assertThat(d.get("node_id").textValue()).isEqualTo("user-123");
    assertThat(d.get("kb_id").textValue()).isEqualTo("user_123_kato");
    assertThat(d.get("worker_id").isNull()).isTrue();
    assertThat(d.get("epoch").isNull()).isTrue();
    assertThat(d.get("pinned").booleanValue()).isFalse();
    assertThat(d.get("state").textValue()).isEqualTo("unassigned");
    assertThat(placement.nodeCounts()).isEmpty();
    assertThat(placement.describe("user-123").get("state").textValue()).isEqualTo("unassigned");

    Placement p = place("user-123");
    ObjectNode assigned = placement.describe("user-123");
    assertThat(assigned.get("worker_id").textValue()).isEqualTo("w1");
    assertThat(assigned.get("epoch").longValue()).isEqualTo(p.epoch());
    assertThat(assigned.get("state").textValue()).isEqualTo("assigned");
    assertThat(placement.nodeCounts()).containsExactly(Map.entry("w1", 1L));
  }

  @Test
  void describeShowsADeadOwnerAsUnassignedWithoutMovingIt() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement before = place(node);
    elapse(5_000, "w2");
    ObjectNode d = placement.describe(node);
    assertThat(d.get("state").textValue()).isEqualTo("unassigned");
    assertThat(d.get("worker_id").isNull()).isTrue();
    // describe did not reassign: once w1 is back, the old assignment (same epoch) is still there
    registry.heartbeat("w1", 0);
    Placement after = place(node);
    assertThat(after.worker()).isSameAs(w1);
    assertThat(after.epoch()).isEqualTo(before.epoch());
  }

  // ---- suspected bugs -------------------------------------------------------------------------

  @Test
  void epochsStayStrictlyIncreasingAcrossAnUnavailableGap() {
    epochClock.set(1_000);
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement first = place(node);
    assertThat(first.epoch()).isEqualTo(1_000);
    elapse(5_000, "w2");
    Placement second = place(node);
    assertThat(second.worker()).isSameAs(w2);
    assertThat(second.epoch()).isEqualTo(1_001);
    elapse(5_000);
    assertThat(placement.place(node)).isEmpty();
    registry.heartbeat("w1", 0);
    Placement third = place(node);
    assertThat(third.worker()).isSameAs(w1);
    assertThat(third.epoch()).isGreaterThan(second.epoch());
  }

  private Worker registerShared(String id) {
    return registry.register(RegisterRequest.newBuilder().setWorkerId(id).setGrpcAddress(id + ":50051")
        .setSharedStore(true).build(), false);
  }

  @Test
  void aDrainingOwnerOnASharedStoreHandsItsNodesOverWithANewEpoch() {
    Worker w1 = registerShared("w1");
    Worker w2 = registerShared("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    String other = nodeWonBy("w2", List.of(w1, w2));
    Placement before = place(node);
    Placement stays = place(other);
    registry.drain("w1");
    List<NodePlacement.Move> moves = placement.reassign("w1");
    assertThat(moves).hasSize(1);
    NodePlacement.Move move = moves.get(0);
    assertThat(move.nodeId()).isEqualTo(node);
    assertThat(move.from()).isSameAs(w1);
    assertThat(move.to()).isSameAs(w2);
    assertThat(move.epoch()).isGreaterThan(before.epoch());
    assertThat(placement.describe(node).path("state").asText()).isEqualTo("moving");
    assertThat(placement.settled(node).isComplete()).as("calls wait for the hand-over").isFalse();
    assertThat(placement.settled(other).isComplete()).isTrue();

    placement.settle(move.kbId(), move.epoch());
    assertThat(placement.settled(node).isComplete()).isTrue();
    Placement after = place(node);
    assertThat(after.worker()).isSameAs(w2);
    assertThat(after.epoch()).isEqualTo(move.epoch());
    assertThat(placement.describe(node).path("state").asText()).isEqualTo("assigned");
    assertThat(place(other).epoch()).isEqualTo(stays.epoch());
    assertThat(placement.nodeCounts()).doesNotContainKey("w1");
    assertThat(placement.reassign("w1")).as("nothing left to move").isEmpty();
  }

  @Test
  void aDrainingOwnerOnAnEmbeddedStoreKeepsItsNodesAndADrainOutlivesReRegistration() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement before = place(node);
    registry.drain("w1");
    // nothing reassigns it (NodeHandOver moves shared-store nodes only): the owner keeps serving it
    assertThat(place(node).worker().workerId()).isEqualTo("w1");
    assertThat(place(node).epoch()).isEqualTo(before.epoch());
    Worker again = register("w1");
    assertThat(again.state()).isEqualTo(WorkerState.DRAINING);
  }

  @Test
  void pinnedNodesStayOnADrainingWorker() {
    Worker w1 = registerShared("w1");
    Worker w2 = registerShared("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    placement.pin(node, "w1");
    place(node);
    registry.drain("w1");
    assertThat(placement.reassign("w1")).isEmpty();
    assertThat(place(node).worker().workerId()).isEqualTo("w1");
  }

  @Test
  void aDrainingWorkerGetsNoNewNodes() {
    register("w1");
    register("w2");
    registry.drain("w1");
    for (String n : nodes("fresh", 50)) {
      assertThat(place(n).worker().workerId()).isEqualTo("w2");
    }
  }

  // ---- adoption from session lookups ----------------------------------------------------------

  @Test
  void aWorkerHoldingASessionOfAnUnplacedNodeBecomesItsOwner() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    placement.adopt(node, "w2");
    Placement p = place(node);
    assertThat(p.worker().workerId()).isEqualTo("w2");
    assertThat(p.epoch()).isGreaterThanOrEqualTo(T0.toEpochMilli());
  }

  @Test
  void adoptionNeverTakesANodeFromAServingOwner() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String node = nodeWonBy("w1", List.of(w1, w2));
    Placement before = place(node);
    placement.adopt(node, "w2");
    Placement after = place(node);
    assertThat(after.worker().workerId()).isEqualTo("w1");
    assertThat(after.epoch()).isEqualTo(before.epoch());
  }

  @Test
  void adoptionRespectsPinsAndIgnoresUnknownOrDeadWorkers() {
    Worker w1 = register("w1");
    Worker w2 = register("w2");
    String pinnedNode = nodeWonBy("w2", List.of(w1, w2));
    placement.pin(pinnedNode, "w1");
    placement.adopt(pinnedNode, "w2");
    assertThat(place(pinnedNode).worker().workerId()).isEqualTo("w1");

    String node = nodeWonBy("w1", List.of(w1, w2), pinnedNode);
    placement.adopt(node, "nobody");
    elapse(6000, "w1");
    placement.adopt(node, "w2");
    assertThat(place(node).worker().workerId()).isEqualTo("w1");
  }
}
