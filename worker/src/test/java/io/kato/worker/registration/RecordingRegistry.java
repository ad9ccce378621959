package io.kato.worker.registration;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kato.proto.v1.DeregisterRequest;
import io.kato.proto.v1.DeregisterResponse;
import io.kato.proto.v1.HeartbeatRequest;
import io.kato.proto.v1.HeartbeatResponse;
import io.kato.proto.v1.RegisterRequest;
import io.kato.proto.v1.RegisterResponse;
import io.kato.proto.v1.RegistryGrpc;
import io.kato.proto.v1.WorkerRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real grpc-java {@code kato.v1.Registry} server on a loopback port, standing in for the
 * gateway: it records every call, answers with a short heartbeat interval and refuses heartbeats
 * on demand.
 */
public final class RecordingRegistry implements AutoCloseable {
  public final BlockingQueue<RegisterRequest> registers = new LinkedBlockingQueue<>();
  public final BlockingQueue<HeartbeatRequest> heartbeats = new LinkedBlockingQueue<>();
  public final BlockingQueue<DeregisterRequest> deregisters = new LinkedBlockingQueue<>();
  /** The generation the last Register handed out. */
  public final AtomicLong generation = new AtomicLong();
  private final AtomicInteger refusals = new AtomicInteger();
  private volatile Status refusal = Status.NOT_FOUND;
  private final Server server;

  private RecordingRegistry(int port, long heartbeatIntervalMs) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new RegistryGrpc.RegistryImplBase() {
          @Override
          public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
            long g = generation.incrementAndGet();
            registers.add(request);
            response.onNext(RegisterResponse.newBuilder().setHeartbeatIntervalMs(heartbeatIntervalMs)
                .setWorker(WorkerRecord.newBuilder().setWorkerId(request.getWorkerId()).setState("live")
                    .setGeneration(g)).build());
            response.onCompleted();
          }

          @Override
          public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
            heartbeats.add(request);
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              response.onError(refusal.withDescription("refused by the test").asRuntimeException());
              return;
            }
            response.onNext(HeartbeatResponse.newBuilder().setStatus("okay").setWorkerId(request.getWorkerId())
                .setState("live").setGeneration(request.getGeneration()).build());
            response.onCompleted();
          }

          @Override
          public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> response) {
            deregisters.add(request);
            response.onNext(DeregisterResponse.newBuilder().setStatus("deregistered")
                .setWorkerId(request.getWorkerId()).build());
            response.onCompleted();
          }
        }).build().start();
  }

  /** Serves on {@code port} (0 = any free port). */
  public static RecordingRegistry start(int port, long heartbeatIntervalMs) throws IOException {
    return new RecordingRegistry(port, heartbeatIntervalMs);
  }

  public int port() {
    return server.getPort();
  }

  /** The next {@code count} heartbeats are refused with {@code status}. */
  public void refuseHeartbeats(int count, Status status) {
    refusal = status;
    refusals.set(count);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
