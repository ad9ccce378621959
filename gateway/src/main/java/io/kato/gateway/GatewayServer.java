package io.kato.gateway;

import io.kato.common.net.Http2Windows;
import io.kato.gateway.http.AdminRoutes;
import io.kato.gateway.http.EventHub;
import io.kato.gateway.http.GatewayHttp;
import io.kato.gateway.http.HttpSupport;
import io.kato.gateway.http.MetricSeries;
import io.kato.gateway.http.MonitoringRoutes;
import io.kato.gateway.http.NodeRoutes;
import io.kato.gateway.http.RequestMetrics;
import io.kato.gateway.http.SessionRoutes;
import io.kato.gateway.registry.RegistryGrpcEndpoint;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.routing.NodeCalls;
import io.kato.gateway.routing.NodeHandOver;
import io.kato.gateway.routing.NodePlacement;
import io.kato.gateway.routing.SessionDirectory;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.GrpcTransport;
import io.kato.gateway.transport.WorkerTransport;
import io.kato.proto.v1.RegisterRequest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.server.GrpcServer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway process: the HTTP API and the {@code kato.v1.Registry} gRPC service on one port
 * (gRPC requests are told apart by their content type), the worker registry with its lease
 * timer, and the gRPC client every worker call goes through.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final Vertx vertx;
  private final HttpServer server;
  private final WorkerRegistry registry;
  private final io.vertx.ext.web.Router router;

  private GatewayServer(Vertx vertx, HttpServer server, WorkerRegistry registry, io.vertx.ext.web.Router router) {
    this.vertx = vertx;
    this.server = server;
    this.registry = registry;
    this.router = router;
  }

  /** {@code METHOD path} of every method-specific route, in the OpenAPI path syntax. */
  public List<String> routes() {
    List<String> out = new java.util.ArrayList<>();
    for (var route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String path = route.getPath().replaceAll(":([a-z_]+)", "{$1}");
      route.methods().forEach(m -> out.add(m.name() + " " + path));
    }
    return out;
  }

  public static GatewayServer start(GatewayOptions options) {
    Vertx vertx = Vertx.vertx();
    try {
      return startOn(vertx, options);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private static GatewayServer startOn(Vertx vertx, GatewayOptions options) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GrpcClient grpcClient = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true)
            .setMaxMessageSize(options.limits().maxMessageBytes() + 64 * 1024L),
        Http2Windows.apply(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(1000)));
    WorkerRegistry registry = new WorkerRegistry(r -> transport(grpcClient, r), options.heartbeatInterval(),
        options.heartbeatMisses(), Clock.systemUTC());
    NodePlacement placement = new NodePlacement(registry, System::currentTimeMillis);
    SessionDirectory directory = new SessionDirectory(registry, placement, 200_000, 2000);
    NodeCalls calls = new NodeCalls(placement, vertx, options.placementWait());
    HttpSupport http = new HttpSupport(options, calls, directory);
    RequestMetrics metrics = new RequestMetrics();
    MetricSeries series = new MetricSeries();
    EventHub events = new EventHub();
    MonitoringRoutes monitoring = new MonitoringRoutes(http, registry, placement, metrics, series, meters, events);
    GatewayHttp gatewayHttp = new GatewayHttp(vertx, http, calls, metrics, series, meters, events, monitoring,
        new SessionRoutes(http, events, metrics), new NodeRoutes(http, metrics),
        new AdminRoutes(http, registry, placement, new NodeHandOver(placement, options.grpcDeadline().toMillis())));

    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(new RegistryGrpcEndpoint(registry));
    HttpServerOptions serverOptions = new HttpServerOptions().setHost(options.host()).setPort(options.port())
        .setMaxInitialLineLength(8 * 1024).setMaxHeaderSize(16 * 1024)
        .setMaxWebSocketMessageSize(options.limits().maxMessageBytes())
        .setMaxWebSocketFrameSize(options.limits().maxMessageBytes());
    var router = gatewayHttp.router();
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler = request -> {
      String type = request.getHeader("content-type");
      if (type != null && type.startsWith("application/grpc")) {
        grpc.handle(request);
      } else {
        router.handle(request);
      }
    };
    // One server per event loop on the same port (Vert.x spreads the connections over them): a
    // single server would run every connection on one event loop, i.e. one core.
    int loops = Math.max(1, options.eventLoops());
    // Vert.x shares a server by the address asked for; port 0 (in-process tests) would give each
    // one its own random port, so it gets a single server.
    HttpServer server = listenOn(vertx, serverOptions, gatewayHttp, handler);
    for (int i = 1; i < loops && options.port() != 0; i++) {
      listenOn(vertx, serverOptions, gatewayHttp, handler);
    }

    for (String entry : options.staticWorkers()) {
      int eq = entry.indexOf('=');
      String id = eq > 0 ? entry.substring(0, eq) : "worker-" + entry.replace(':', '-');
      String address = eq > 0 ? entry.substring(eq + 1) : entry;
      registry.register(RegisterRequest.newBuilder().setWorkerId(id).setTransport("grpc").setGrpcAddress(address)
          .build(), true);
    }
    registerStaticProcessors(registry, options.processors());
    Map<String, Integer> pingFailures = new ConcurrentHashMap<>();
    vertx.setPeriodic(options.heartbeatInterval().toMillis(), t -> {
      registry.tick();
      pingStaticWorkers(registry, pingFailures);
    });
    vertx.setPeriodic(1000, t -> monitoring.refreshSessionCount());
    vertx.executeBlocking(() -> {
      monitoring.sampleResources();
      return null;
    });
    vertx.setPeriodic(10_000, t -> vertx.executeBlocking(() -> {
      monitoring.sampleResources();
      return null;
    }));
    LOG.info("kato gateway listening: port={} host={} static_workers={}", server.actualPort(), options.host(),
        options.staticWorkers().size());
    return new GatewayServer(vertx, server, registry, router);
  }

  /** Creates and binds one HTTP server on a fresh event-loop context. */
  private static HttpServer listenOn(Vertx vertx, HttpServerOptions serverOptions, GatewayHttp gatewayHttp,
      io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    io.vertx.core.Promise<HttpServer> bound = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> vertx.createHttpServer(serverOptions)
        .invalidRequestHandler(gatewayHttp.invalidRequestHandler())
        .requestHandler(handler)
        .listen().onComplete(bound));
    try {
      return bound.future().await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("gateway HTTP server did not start within 30 s", e);
    }
  }

  private static WorkerTransport transport(GrpcClient client, RegisterRequest r) {
    if ("zmq".equals(r.getTransport())) {
      return new io.kato.gateway.transport.ZmqTransport(r.getZmqAddress(),
          io.kato.gateway.transport.ZmqTransport.Options.fromEnvironment(System.getenv()));
    }
    return new GrpcTransport(client, r.getGrpcAddress());
  }

  /**
   * {@code PROCESSORS=p001:host:5555,p002:host:5556} (API.md §6.3): one static ZeroMQ worker per
   * host:port, {@code zmq-<host>-<port>}, serving exactly the listed processor ids.
   */
  static void registerStaticProcessors(WorkerRegistry registry, String processors) {
    if (processors == null || processors.isBlank()) {
      return;
    }
    Map<String, List<String>> byAddress = new java.util.LinkedHashMap<>();
    for (String entry : processors.split(",")) {
      String[] parts = entry.trim().split(":");
      if (parts.length != 3) {
        throw new IllegalArgumentException("PROCESSORS entry '" + entry + "' is not pid:host:port");
      }
      byAddress.computeIfAbsent(parts[1] + ":" + parts[2], k -> new java.util.ArrayList<>()).add(parts[0]);
    }
    byAddress.forEach((hostPort, pids) -> {
      String[] hp = hostPort.split(":");
      registry.register(RegisterRequest.newBuilder().setWorkerId("zmq-" + hp[0] + "-" + hp[1]).setTransport("zmq")
          .setZmqAddress("tcp://" + hostPort).addAllProcessors(pids).setExclusive(true).build(), true);
    });
  }

  /** Static and ZeroMQ workers have no heartbeat of their own: a cheap call stands in for it. */
  private static void pingStaticWorkers(WorkerRegistry registry, Map<String, Integer> failures) {
    for (Worker w : registry.all()) {
      if (!w.pingedByGateway()) {
        continue;
      }
      w.transport().workerStats(0, new CallContext(0, "", null, 1000)).onComplete(done -> {
        int failed = done.succeeded() ? 0 : failures.merge(w.workerId(), 1, Integer::sum);
        if (done.succeeded()) {
          failures.remove(w.workerId());
        }
        registry.pinged(w.workerId(), done.succeeded(), failed);
      });
    }
  }

  public int port() {
    return server.actualPort();
  }

  public WorkerRegistry registry() {
    return registry;
  }

  public List<Worker> workers() {
    return registry.all();
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.warn("gateway HTTP server did not close cleanly: {}", e.toString());
    }
    vertx.close().await();
  }
}
