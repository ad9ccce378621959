package io.kato.worker;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The worker's admin HTTP port: {@code GET /health} (liveness) and {@code GET
 * /metrics/prometheus} (Prometheus text of every request path's metrics).
 */
final class AdminServer implements AutoCloseable {
  private final HttpServer http;

  private AdminServer(HttpServer http) {
    this.http = http;
  }

  static AdminServer start(Vertx vertx, PrometheusMeterRegistry registry, String host, int port) throws Exception {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(request -> {
          switch (request.path()) {
            case "/health":
              request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"healthy\"}");
              break;
            case "/metrics/prometheus":
              request.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(registry.scrape());
              break;
            default:
              request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                  .end("{\"detail\":\"Not Found\"}");
          }
        });
    http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new AdminServer(http);
  }

  int port() {
    return http.actualPort();
  }

  @Override
  public void close() throws Exception {
    http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
