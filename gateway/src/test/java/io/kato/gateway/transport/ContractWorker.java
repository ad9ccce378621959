package io.kato.gateway.transport;

import io.kato.worker.WorkerServer;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.host.WorkerIdentity;
import io.kato.worker.storage.MemoryNodeStore;
import io.kato.worker.zmq.ZmqEndpoint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One real worker in-process, as the worker's own tests start it: a {@link ProcessorHost} with
 * the memory store behind both its gRPC server and its ZeroMQ endpoint on free loopback ports,
 * plus the gateway side: a Vert.x instance, a gRPC client and one transport of each kind.
 */
final class ContractWorker implements AutoCloseable {
  static final String WORKER_ID = "w-contract";
  static final String PROCESSOR_NAME = "ContractProcessor";
  static final int CAPACITY = 3;

  final ProcessorHost host;
  final WorkerServer grpcServer;
  final ZmqEndpoint zmqEndpoint;
  final Vertx vertx;
  final Context context;
  final GrpcClient grpcClient;
  final GrpcTransport grpc;
  final ZmqTransport zmq;

  private ContractWorker(ZmqTransport.Options zmqOptions) throws Exception {
    WorkerIdentity identity = new WorkerIdentity(WORKER_ID, PROCESSOR_NAME, CAPACITY);
    host = new ProcessorHost(HostOptions.defaults().withSweepInterval(Duration.ofHours(1)).withIdentity(identity),
        new MemoryNodeStore(), Clock.systemUTC());
    grpcServer = WorkerServer.start(host, "127.0.0.1", 0, 16 * 1024 * 1024);
    zmqEndpoint = ZmqEndpoint.start(host, ZmqEndpoint.Options.defaults().withBind("127.0.0.1", 0)
        .withIdentity(PROCESSOR_NAME, "default_node", WORKER_ID, CAPACITY));
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    grpcClient = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true),
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    grpc = new GrpcTransport(grpcClient, "127.0.0.1:" + grpcServer.port());
    zmq = new ZmqTransport(zmqAddress(), zmqOptions);
  }

  static ContractWorker start() throws Exception {
    return new ContractWorker(ZmqTransport.Options.defaults());
  }

  static ContractWorker start(ZmqTransport.Options zmqOptions) throws Exception {
    return new ContractWorker(zmqOptions);
  }

  String zmqAddress() {
    return "tcp://127.0.0.1:" + zmqEndpoint.port();
  }

  /**
   * Runs {@code call} on the Vert.x context (as an HTTP handler would) and waits for its
   * outcome; checks that the future completed back on that context.
   */
  <T> T await(Supplier<Future<T>> call) throws Exception {
    CompletableFuture<T> outcome = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<T> future;
      try {
        future = call.get();
      } catch (RuntimeException e) {
        outcome.completeExceptionally(e);
        return;
      }
      future.onComplete(done -> {
        if (Vertx.currentContext() != context) {
          outcome.completeExceptionally(new AssertionError("completed off the caller's context on "
              + Thread.currentThread().getName()));
        } else if (done.succeeded()) {
          outcome.complete(done.result());
        } else {
          outcome.completeExceptionally(done.cause());
        }
      });
    });
    try {
      return outcome.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    zmq.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    grpc.close();
    grpcClient.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    zmqEndpoint.close();
    grpcServer.close(); // closes the host
  }
}
