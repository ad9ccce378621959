package io.kato.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.gateway.testing.FakeTransport;
import io.kato.gateway.testing.MutableClock;
import io.kato.proto.v1.RegisterRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, heartbeats and lease ageing of API.md §6.2. */
class WorkerRegistryTest {
  private static final Instant T0 = Instant.parse("2026-11-24T13:00:00Z");
  private static final Duration INTERVAL = Duration.ofMillis(1000);

  private MutableClock clock;
  private FakeTransport.Factory transports;
  private WorkerRegistry registry;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    transports = new FakeTransport.Factory();
    registry = new WorkerRegistry(transports, INTERVAL, 5, clock);
  }

  private static RegisterRequest grpc(String id, String address) {
    return RegisterRequest.newBuilder().setWorkerId(id).setGrpcAddress(address).build();
  }

  private static RegistryException refused(Runnable call) {
    RegistryException e = catchThrowableOfType(call::run, RegistryException.class);
    assertThat(e).as("expected a RegistryException").isNotNull();
    return e;
  }

  private void at(long millisAfterStart) {
    clock.set(T0.plusMillis(millisAfterStart));
    registry.tick();
  }

  // ---- registration ---------------------------------------------------------------------------

  @Test
  void registerDefaults() {
    Worker w = registry.register(grpc("w1", "127.0.0.1:50051"), false);
    assertThat(w.workerId()).isEqualTo("w1");
    assertThat(w.state()).isEqualTo(WorkerState.LIVE);
    assertThat(w.generation()).isEqualTo(1);
    assertThat(w.capacity()).isEqualTo(1);
    assertThat(w.exclusive()).isFalse();
    assertThat(w.isStaticWorker()).isFalse();
    assertThat(w.transport()).isSameAs(transports.made.get(0));
    assertThat(registry.get("w1")).containsSame(w);
    ObjectNode json = w.toJson();
    assertThat(json.get("transport").textValue()).isEqualTo("grpc");
    assertThat(json.get("grpc_address").textValue()).isEqualTo("127.0.0.1:50051");
    assertThat(json.get("zmq_address").isNull()).isTrue();
    assertThat(json.get("registered_at").textValue()).isEqualTo("2026-11-24T13:00:00+00:00");
    assertThat(json.get("state").textValue()).isEqualTo("live");
  }

  @Test
  void recordJsonHasTheSpecFieldsInOrder() {
    Worker w = registry.register(RegisterRequest.newBuilder().setWorkerId("w1").setGrpcAddress("h:1").setCapacity(3)
        .addProcessors("p1").putLabels("zone", "a").setVersion("1.2").build(), false);
    List<String> keys = new ArrayList<>();
    w.toJson().fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("worker_id", "transport", "grpc_address", "zmq_address", "capacity",
        "processors", "exclusive", "labels", "version", "state", "registered_at", "last_heartbeat",
        "missed_heartbeats", "generation", "node_count", "static");
    assertThat(w.toJson().get("capacity").longValue()).isEqualTo(3);
    assertThat(w.toJson().get("labels").get("zone").textValue()).isEqualTo("a");
  }

  @Test
  void badWorkerIdsAreRefused() {
    for (String id : new String[] {"", "has space", "a/b", "\u00e9", "x".repeat(129), "w:1"}) {
      RegistryException e = refused(() -> registry.register(grpc(id, "h:1"), false));
      assertThat(e.code()).as(id).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }
    assertThat(registry.all()).isEmpty();
    assertThat(registry.register(grpc("A-z_0.9", "h:1"), false).workerId()).isEqualTo("A-z_0.9");
    assertThat(registry.register(grpc("x".repeat(128), "h:1"), false).workerId()).hasSize(128);
  }

  @Test
  void grpcNeedsHostPort() {
    for (String address : new String[] {"", "host", "host:", ":50051", "host:0", "host:65536", "host:abc"}) {
      RegistryException e = refused(() -> registry.register(grpc("w1", address), false));
      assertThat(e.code()).as(address).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }
    assertThat(registry.register(grpc("w1", "host:65535"), false).state()).isEqualTo(WorkerState.LIVE);
    assertThat(transports.made).hasSize(1);
  }

  @Test
  void zmqNeedsTcpAddress() {
    for (String address : new String[] {"", "host:5555", "ipc:///tmp/x", "udp://host:5555"}) {
      RegisterRequest r = RegisterRequest.newBuilder().setWorkerId("z1").setTransport("zmq").setZmqAddress(address)
          .build();
      assertThat(refused(() -> registry.register(r, false)).code()).as(address).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }
    Worker z = registry.register(RegisterRequest.newBuilder().setWorkerId("z1").setTransport("zmq")
        .setZmqAddress("tcp://kato-1:5555").build(), false);
    assertThat(z.toJson().get("transport").textValue()).isEqualTo("zmq");
    assertThat(z.toJson().get("grpc_address").isNull()).isTrue();
    assertThat(z.exclusive()).isFalse();
  }

  @Test
  void unknownTransportAndNegativeCapacityAreRefused() {
    RegisterRequest http = RegisterRequest.newBuilder().setWorkerId("w1").setTransport("http")
        .setGrpcAddress("h:1").build();
    assertThat(refused(() -> registry.register(http, false)).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    RegisterRequest negative = grpc("w1", "h:1").toBuilder().setCapacity(-1).build();
    assertThat(refused(() -> registry.register(negative, false)).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
  }

  @Test
  void zmqWithProcessorsIsExclusive() {
    Worker z = registry.register(RegisterRequest.newBuilder().setWorkerId("zmq-kato-1-5555").setTransport("zmq")
        .setZmqAddress("tcp://kato-1:5555").addProcessors("p001").build(), true);
    assertThat(z.exclusive()).isTrue();
    assertThat(z.processors()).containsExactly("p001");
    assertThat(z.isStaticWorker()).isTrue();
    Worker g = registry.register(grpc("g1", "h:1").toBuilder().addProcessors("p002").build(), false);
    assertThat(g.exclusive()).isFalse();
  }

  @Test
  void reRegisteringBumpsTheGeneration() {
    assertThat(registry.register(grpc("w1", "h:1"), false).generation()).isEqualTo(1);
    assertThat(registry.register(grpc("w1", "h:1"), false).generation()).isEqualTo(2);
    Worker third = registry.register(grpc("w1", "h:1").toBuilder().setCapacity(4).build(), false);
    assertThat(third.generation()).isEqualTo(3);
    assertThat(third.capacity()).isEqualTo(4);
    assertThat(registry.get("w1")).containsSame(third);
    assertThat(registry.all()).hasSize(1);
    assertThat(registry.register(grpc("w2", "h:2"), false).generation()).isEqualTo(1);
  }

  @Test
  void reRegisteringTheSameEndpointKeepsTheTransport() {
    Worker first = registry.register(grpc("w1", "h:1"), false);
    Worker second = registry.register(grpc("w1", "h:1"), false);
    assertThat(second.transport()).isSameAs(first.transport());
    assertThat(transports.made).hasSize(1);
    Worker moved = registry.register(grpc("w1", "h:2"), false);
    assertThat(transports.made).hasSize(2);
    assertThat(moved.transport()).isNotSameAs(first.transport());
    assertThat(transports.made.get(0).closed).hasValue(1);
    assertThat(transports.made.get(1).closed).hasValue(0);
  }

  @Test
  void reRegisteringRevivesADeadWorker() {
    registry.register(grpc("w1", "h:1"), false);
    at(10_000);
    assertThat(registry.get("w1").get().state()).isEqualTo(WorkerState.DEAD);
    Worker again = registry.register(grpc("w1", "h:1"), false);
    assertThat(again.state()).isEqualTo(WorkerState.LIVE);
    registry.tick();
    assertThat(again.state()).isEqualTo(WorkerState.LIVE);
  }

  // ---- heartbeats -----------------------------------------------------------------------------

  @Test
  void heartbeatWithTheCurrentOrAnyGeneration() {
    registry.register(grpc("w1", "h:1"), false);
    registry.register(grpc("w1", "h:1"), false);
    assertThat(registry.heartbeat("w1", 2).generation()).isEqualTo(2);
    assertThat(registry.heartbeat("w1", 0).state()).isEqualTo(WorkerState.LIVE);
  }

  @Test
  void heartbeatWithAnOldGenerationIsStale() {
    registry.register(grpc("w1", "h:1"), false);
    registry.register(grpc("w1", "h:1"), false);
    RegistryException e = refused(() -> registry.heartbeat("w1", 1));
    assertThat(e.code()).isEqualTo(ErrorCode.STALE_EPOCH);
    assertThat(refused(() -> registry.heartbeat("w1", 3)).code()).isEqualTo(ErrorCode.STALE_EPOCH);
  }

  @Test
  void staleHeartbeatDoesNotRenewTheLease() {
    registry.register(grpc("w1", "h:1"), false);
    registry.register(grpc("w1", "h:1"), false);
    clock.advance(Duration.ofMillis(4_500));
    refused(() -> registry.heartbeat("w1", 1));
    at(5_000);
    assertThat(registry.get("w1").get().state()).isEqualTo(WorkerState.DEAD);
  }

  @Test
  void heartbeatForAnUnknownWorker() {
    RegistryException e = refused(() -> registry.heartbeat("nobody", 0));
    assertThat(e.code()).isEqualTo(ErrorCode.WORKER_NOT_FOUND);
    assertThat(e.getMessage()).contains("nobody");
    registry.register(grpc("w1", "h:1"), false);
    registry.deregister("w1");
    assertThat(refused(() -> registry.heartbeat("w1", 1)).code()).isEqualTo(ErrorCode.WORKER_NOT_FOUND);
  }

  // ---- lease ageing ---------------------------------------------------------------------------

  @Test
  void liveSuspectDeadByMissedBeats() {
    Worker w = registry.register(grpc("w1", "h:1"), false);
    at(1_999);
    assertThat(w.state()).isEqualTo(WorkerState.LIVE);
    assertThat(w.toJson().get("missed_heartbeats").longValue()).isEqualTo(1);
    at(2_000);
    assertThat(w.state()).isEqualTo(WorkerState.SUSPECT);
    assertThat(w.toJson().get("missed_heartbeats").longValue()).isEqualTo(2);
    at(4_999);
    assertThat(w.state()).isEqualTo(WorkerState.SUSPECT);
    at(5_000);
    assertThat(w.state()).isEqualTo(WorkerState.DEAD);
    assertThat(w.toJson().get("missed_heartbeats").longValue()).isEqualTo(5);
    assertThat(registry.liveCount()).isZero();
  }

  @Test
  void heartbeatMakesASuspectOrDeadWorkerLiveAgain() {
    Worker w = registry.register(grpc("w1", "h:1"), false);
    at(2_500);
    assertThat(w.state()).isEqualTo(WorkerState.SUSPECT);
    registry.heartbeat("w1", 1);
    assertThat(w.state()).isEqualTo(WorkerState.LIVE);
    assertThat(w.toJson().get("missed_heartbeats").longValue()).isZero();
    assertThat(w.toJson().get("last_heartbeat").textValue()).isEqualTo("2026-11-24T13:00:02.500000+00:00");
    at(2_500 + 1_999);
    assertThat(w.state()).isEqualTo(WorkerState.LIVE);
    at(2_500 + 6_000);
    assertThat(w.state()).isEqualTo(WorkerState.DEAD);
    registry.heartbeat("w1", 1);
    assertThat(w.state()).isEqualTo(WorkerState.LIVE);
    registry.tick();
    assertThat(w.state()).isEqualTo(WorkerState.LIVE);
  }

  @Test
  void regularHeartbeatsKeepAWorkerLive() {
    Worker w = registry.register(grpc("w1", "h:1"), false);
    for (int i = 1; i <= 20; i++) {
      clock.advance(INTERVAL);
      registry.heartbeat("w1", 1);
      registry.tick();
      assertThat(w.state()).isEqualTo(WorkerState.LIVE);
    }
  }

  @Test
  void drainingStaysDraining() {
    Worker w = registry.register(grpc("w1", "h:1"), false);
    assertThat(registry.drain("w1")).isSameAs(w);
    assertThat(w.state()).isEqualTo(WorkerState.DRAINING);
    at(10_000);
    assertThat(w.state()).isEqualTo(WorkerState.DRAINING);
    registry.heartbeat("w1", 1);
    assertThat(w.state()).isEqualTo(WorkerState.DRAINING);
    registry.tick();
    assertThat(w.state()).isEqualTo(WorkerState.DRAINING);
    assertThat(registry.serving()).containsExactly(w);
    assertThat(registry.liveCount()).isZero();
    assertThat(refused(() -> registry.drain("nobody")).code()).isEqualTo(ErrorCode.WORKER_NOT_FOUND);
  }

  @Test
  void staticWorkersAreNotAgedByTicks() {
    Worker z = registry.register(RegisterRequest.newBuilder().setWorkerId("zmq-kato-1-5555").setTransport("zmq")
        .setZmqAddress("tcp://kato-1:5555").addProcessors("p001").build(), true);
    at(3_600_000);
    assertThat(z.state()).isEqualTo(WorkerState.LIVE);
    assertThat(z.toJson().get("missed_heartbeats").longValue()).isZero();
    registry.pinged("zmq-kato-1-5555", false, 4);
    assertThat(z.state()).isEqualTo(WorkerState.LIVE);
    registry.pinged("zmq-kato-1-5555", false, 5);
    assertThat(z.state()).isEqualTo(WorkerState.DEAD);
    registry.tick();
    assertThat(z.state()).isEqualTo(WorkerState.DEAD);
    registry.pinged("zmq-kato-1-5555", true, 0);
    assertThat(z.state()).isEqualTo(WorkerState.LIVE);
    registry.pinged("unknown", true, 0); // ignored
  }

  @Test
  void servingAndLiveCount() {
    Worker a = registry.register(grpc("a", "h:1"), false);
    Worker b = registry.register(grpc("b", "h:2"), false);
    Worker c = registry.register(grpc("c", "h:3"), false);
    clock.advance(Duration.ofMillis(2_000));
    registry.heartbeat("a", 0);
    registry.heartbeat("c", 0);
    registry.tick();
    assertThat(b.state()).isEqualTo(WorkerState.SUSPECT);
    assertThat(registry.serving()).containsExactly(a, b, c);
    assertThat(registry.liveCount()).isEqualTo(2);
    clock.advance(Duration.ofMillis(3_000));
    registry.heartbeat("a", 0);
    registry.tick();
    assertThat(b.state()).isEqualTo(WorkerState.DEAD);
    assertThat(c.state()).isEqualTo(WorkerState.SUSPECT);
    assertThat(registry.serving()).containsExactly(a, c);
    assertThat(registry.all()).containsExactly(a, b, c);
  }

  @Test
  void deregisterClosesTheTransport() {
    registry.register(grpc("w1", "h:1"), false);
    assertThat(registry.deregister("w1")).isTrue();
    assertThat(transports.made.get(0).closed).hasValue(1);
    assertThat(registry.get("w1")).isEmpty();
    assertThat(registry.deregister("w1")).isFalse();
    // a later registration starts again at generation 1
    assertThat(registry.register(grpc("w1", "h:1"), false).generation()).isEqualTo(1);
  }
}
