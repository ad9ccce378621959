package io.kato.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kato.common.client.KatoWorkerClient;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.storage.MemoryNodeStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Java client against a real in-process worker server on a loopback socket. */
class KatoWorkerClientTest {

  @Test
  void callsWorkAndEveryMutationCarriesARequestId() throws Exception {
    try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), new MemoryNodeStore(), Clock.systemUTC());
        WorkerServer server = WorkerServer.start(host, "127.0.0.1", 0, 16 * 1024 * 1024);
        KatoWorkerClient client = KatoWorkerClient.connect("127.0.0.1", server.port())) {
      String s = client.createSession(CreateSessionRequest.newBuilder().setNodeId("client").build()).getSessionId();
      ObserveRequest observe = ObserveRequest.newBuilder().setSessionId(s)
          .setObservation(Observation.newBuilder().addStrings("a")).setRequestId("fixed-id").build();
      client.observe(observe);
      client.observe(observe); // the same request id again: a retry, applied once
      assertThat(client.getStm(s).getLength()).isEqualTo(1);
      client.observe(observe.toBuilder().clearRequestId().build());
      client.observe(observe.toBuilder().clearRequestId().build());
      assertThat(client.getStm(s).getLength()).isEqualTo(3);
      client.learn(s);
      assertThat(client.finalizeTraining(s).getPatternsProcessed()).isEqualTo(1);
    }
  }

  @Test
  void lookupsSymbolsPingAndStatsThroughTheClient() throws Exception {
    try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), new MemoryNodeStore(), Clock.systemUTC());
        WorkerServer server = WorkerServer.start(host, "127.0.0.1", 0, 16 * 1024 * 1024);
        KatoWorkerClient client = KatoWorkerClient.connect("127.0.0.1", server.port())) {
      String s = client.createSession(CreateSessionRequest.newBuilder().setNodeId("client-2").build()).getSessionId();
      for (String symbol : new String[] {"a", "b"}) {
        client.observe(ObserveRequest.newBuilder().setSessionId(s)
            .setObservation(Observation.newBuilder().addStrings(symbol)
                .addEmotives(io.kato.proto.v1.Emotive.newBuilder().setName("joy").setValue(2.0))).build());
      }
      client.learn(s);
      assertThat(client.lookupSession(s).getNodeId()).isEqualTo("client-2");
      assertThat(client.lookupSession("session-none").getExists()).isFalse();
      assertThat(client.getSymbolStats("client-2").getSymbolsList()).extracting(io.kato.proto.v1.SymbolStats::getName)
          .containsExactly("a", "b");
      assertThat(client.getSymbolAffinity("client-2", "zzz").getAffinity().getEntriesCount()).isZero();
      assertThat(client.ping("client-2").getStatus()).isEqualTo("okay");
      assertThat(client.getWorkerStats(10).getActiveSessions()).isEqualTo(1);
    }
  }

  @Test
  void unavailableWorkersAreRetriedWithBackoffThenReported() throws Exception {
    int port = WorkerProcess.freePort(); // nobody listens here
    try (KatoWorkerClient client = new KatoWorkerClient(ManagedChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext().build(), Duration.ofSeconds(2), 3, Duration.ofMillis(100))) {
      long start = System.nanoTime();
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> client.getStm("s"));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(elapsedMillis).as("two back-offs of 100 and 200 ms").isGreaterThanOrEqualTo(300);
    }
  }
}
