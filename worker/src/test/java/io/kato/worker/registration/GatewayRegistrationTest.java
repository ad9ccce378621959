package io.kato.worker.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.grpc.Status;
import io.kato.common.NodeIds;
import io.kato.common.json.ParsedObservation;
import io.kato.proto.v1.HeartbeatRequest;
import io.kato.proto.v1.RegisterRequest;
import io.kato.worker.host.CallMeta;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.storage.MemoryNodeStore;
import io.kato.worker.storage.NodeStore;
import io.kato.worker.storage.RocksDbNodeStore;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the registry protocol against a real grpc-java Registry server in the
 * test (heartbeat interval 50 ms): the registered record, heartbeats, re-registration when the
 * gateway forgot the worker, back-off while it is unreachable, and Deregister on close.
 */
class GatewayRegistrationTest {
  private static final long WAIT_SECONDS = 10;

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(item).as("a call within " + WAIT_SECONDS + " s").isNotNull();
    return item;
  }

  /** The first item that matches, skipping the others. */
  private static <T> T nextMatching(BlockingQueue<T> queue, Predicate<T> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      T item = queue.poll(100, TimeUnit.MILLISECONDS);
      if (item != null && condition.test(item)) {
        return item;
      }
    }
    throw new AssertionError("no matching call within " + WAIT_SECONDS + " s");
  }

  private static void learn(ProcessorHost host, String nodeId) throws Exception {
    String s = await(host.createSession(nodeId, Map.of(), Map.of(), 0, "", CallMeta.NONE)).sessionId();
    await(host.observe(s, new ParsedObservation(List.of("a", "b"), List.of(), Map.of(), Map.of()), CallMeta.NONE));
    await(host.learn(s, CallMeta.NONE));
  }

  @Test
  void registersItsStoredNodesHeartbeatsRegistersAgainWhenForgottenAndDeregistersOnClose(@TempDir Path dir)
      throws Exception {
    NodeStore first = RocksDbNodeStore.open(dir);
    try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), first, Clock.systemUTC())) {
      learn(host, "reg-node");
    }
    first.close();

    // a restart: the node is only in the store, not loaded
    NodeStore store = RocksDbNodeStore.open(dir);
    try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), store, Clock.systemUTC());
        RecordingRegistry registry = RecordingRegistry.start(0, 50)) {
      GatewayRegistration registration = GatewayRegistration.start(GatewayRegistration.Options.of(
          "http://127.0.0.1:" + registry.port(), "w-reg", "127.0.0.1:50051", "tcp://127.0.0.1:5555", 3, "0.1.0",
          false), store, host);
      try {
        RegisterRequest register = next(registry.registers);
        assertThat(register.getWorkerId()).isEqualTo("w-reg");
        assertThat(register.getTransport()).isEqualTo("grpc");
        assertThat(register.getGrpcAddress()).isEqualTo("127.0.0.1:50051");
        assertThat(register.getZmqAddress()).isEqualTo("tcp://127.0.0.1:5555");
        assertThat(register.getCapacity()).isEqualTo(3);
        assertThat(register.getVersion()).isEqualTo("0.1.0");
        assertThat(register.getHostedKbIdsList()).containsExactly(NodeIds.kbId("reg-node"));
        assertThat(register.getSharedStore()).isFalse();

        HeartbeatRequest beat = next(registry.heartbeats);
        assertThat(beat.getWorkerId()).isEqualTo("w-reg");
        assertThat(beat.getGeneration()).isEqualTo(1);
        assertThat(beat.getNodesLoaded()).isZero();
        await(host.symbolStats("reg-node", CallMeta.NONE)); // takes the stored node in
        nextMatching(registry.heartbeats, h -> h.getNodesLoaded() == 1);

        registry.refuseHeartbeats(1, Status.NOT_FOUND); // the gateway restarted and forgot the worker
        RegisterRequest again = next(registry.registers);
        assertThat(again.getHostedKbIdsList()).containsExactly(NodeIds.kbId("reg-node"));
        assertThat(nextMatching(registry.heartbeats, h -> h.getGeneration() == 2).getWorkerId()).isEqualTo("w-reg");
      } finally {
        registration.close();
      }
      assertThat(next(registry.deregisters).getWorkerId()).isEqualTo("w-reg");
      registry.heartbeats.clear();
      Thread.sleep(200);
      assertThat(registry.heartbeats).as("no heartbeat after close").isEmpty();
      assertThat(registry.registers).isEmpty();
    } finally {
      store.close();
    }
  }

  @Test
  void anUnreachableGatewayIsRetriedWithBackOffAndLoggedOnce() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Logger logger = (Logger) LoggerFactory.getLogger(GatewayRegistration.class);
    ConcurrentListAppender log = new ConcurrentListAppender();
    log.start();
    logger.addAppender(log);
    MemoryNodeStore store = new MemoryNodeStore();
    try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), store, Clock.systemUTC())) {
      learn(host, "shared-node");
      GatewayRegistration registration = GatewayRegistration.start(GatewayRegistration.Options.of(
          "127.0.0.1:" + port, "w-shared", "10.0.0.5:50051", null, 1, "0.1.0", true)
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)), store, host);
      try {
        Thread.sleep(800); // about six attempts while nobody listens
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.WARN)).as("one warning per outage")
            .hasSize(1);
        try (RecordingRegistry registry = RecordingRegistry.start(port, 50)) {
          RegisterRequest register = next(registry.registers);
          assertThat(register.getSharedStore()).isTrue();
          assertThat(register.getHostedKbIdsList()).as("a shared store pins no node here").isEmpty();
          assertThat(register.getZmqAddress()).isEmpty();

          registry.refuseHeartbeats(1, Status.FAILED_PRECONDITION); // an old generation
          next(registry.registers);
          // logged before the first heartbeat, so surely by now
          assertThat(log.list.stream().filter(e -> e.getFormattedMessage().startsWith("gateway reachable again")))
              .hasSize(1);
          registration.close();
          assertThat(next(registry.deregisters).getWorkerId()).isEqualTo("w-shared");
        }
      } finally {
        registration.close();
      }
    } finally {
      logger.detachAppender(log);
      store.close();
    }
    assertThat(log.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(1);
  }

  @Test
  void closingWithoutAGatewayIsBounded() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), new MemoryNodeStore(), Clock.systemUTC())) {
      GatewayRegistration registration = GatewayRegistration.start(GatewayRegistration.Options.of(
          "127.0.0.1:" + port, "w-alone", "127.0.0.1:1", null, 1, "0.1.0", false), new MemoryNodeStore(), host);
      long start = System.nanoTime();
      registration.close();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
    }
  }

  @Test
  void gatewayAddresses() {
    assertThat(GatewayRegistration.Address.parse("gw:8000")).isEqualTo(new GatewayRegistration.Address("gw", 8000));
    assertThat(GatewayRegistration.Address.parse("http://10.1.2.3:8000/"))
        .isEqualTo(new GatewayRegistration.Address("10.1.2.3", 8000));
    assertThat(GatewayRegistration.Address.parse("[::1]:8000")).isEqualTo(new GatewayRegistration.Address("::1", 8000));
    for (String bad : List.of("gw", "gw:", ":8000", "gw:99999", "gw:port", "https://gw:8000", "::1:8000",
        "http://gw:8000/path")) {
      assertThatThrownBy(() -> GatewayRegistration.Address.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Logback's ListAppender uses a plain ArrayList, which the registration thread appends to while we read. */
  private static final class ConcurrentListAppender extends ch.qos.logback.core.AppenderBase<ILoggingEvent> {
    final java.util.List<ILoggingEvent> list = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      list.add(event);
    }
  }
}
