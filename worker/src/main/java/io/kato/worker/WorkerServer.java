package io.kato.worker;

import io.kato.common.net.FlushCoalescing;
import io.kato.common.net.Http2Windows;
import io.kato.proto.v1.ProcessorGrpcService;
import io.kato.worker.grpc.ProcessorGrpcEndpoint;
import io.kato.worker.host.ProcessorHost;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: the Vert.x gRPC server with the Processor service, the standard
 * {@code grpc.health.v1.Health} service and server reflection, in front of a {@link
 * ProcessorHost}.
 */
public final class WorkerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerServer.class);

  private final Vertx vertx;
  private final HttpServer http;
  private final AdminServer admin;
  private final ProcessorHost host;

  private WorkerServer(Vertx vertx, HttpServer http, AdminServer admin, ProcessorHost host) {
    this.vertx = vertx;
    this.http = http;
    this.admin = admin;
    this.host = host;
  }

  /** Starts serving on {@code port} (0 = any free port) without an admin port; blocks until listening. */
  public static WorkerServer start(ProcessorHost host, String bindHost, int port, int maxMessageBytes) throws Exception {
    return start(host, bindHost, port, -1, maxMessageBytes);
  }

  /**
   * Starts serving gRPC on {@code port} and, unless {@code adminPort} is negative, the admin HTTP
   * port ({@code /health}, {@code /metrics/prometheus}); 0 = any free port. Blocks until listening.
   */
  public static WorkerServer start(ProcessorHost host, String bindHost, int port, int adminPort, int maxMessageBytes)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      FunctionCounter.builder("kato_worker_predictions_memoized", host, ProcessorHost::memoizedPredictions)
          .description("prediction searches answered from a node's memo (knowledge base unchanged since)")
          .register(metrics);
      GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
      grpc.addService(new ProcessorGrpcEndpoint(host, metrics));
      grpc.addService(HealthService.create(vertx).register(ProcessorGrpcService.SERVICE_NAME,
          () -> io.vertx.core.Future.succeededFuture(true)));
      grpc.addService(ReflectionService.v1());
      HttpServerOptions serverOptions = Http2Windows.apply(new HttpServerOptions().setHost(bindHost).setPort(port));
      HttpServer http = vertx.createHttpServer(serverOptions)
          .connectionHandler(FlushCoalescing::install).requestHandler(grpc);
      http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      AdminServer admin = adminPort < 0 ? null : AdminServer.start(vertx, metrics, bindHost, adminPort);
      LOG.info("worker gRPC listening host={} port={} admin_port={} store={}", bindHost, http.actualPort(),
          admin == null ? "off" : admin.port(), host.storeKind());
      return new WorkerServer(vertx, http, admin, host);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  public int port() {
    return http.actualPort();
  }

  public ProcessorHost host() {
    return host;
  }

  /** The admin HTTP port, or -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** Stops accepting calls and lets in-flight work finish (bounded); the caller closes the store. */
  @Override
  public void close() {
    try {
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (admin != null) {
        admin.close();
      }
    } catch (Exception e) {
      LOG.warn("closing the listeners failed: {}", e.toString());
    }
    host.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing Vert.x failed: {}", e.toString());
    }
    LOG.info("worker stopped");
  }
}
