package io.kato.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** W3C trace context read from real HTTP requests (a Vert.x server on loopback). */
class TraceContextTest {
  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      try {
        request.response().end(new ObjectMapper().writeValueAsString(TraceContext.fromRequest(request)));
      } catch (Exception e) {
        request.response().setStatusCode(500).end();
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> send(String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    String body = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    return new ObjectMapper().readValue(body, Map.class);
  }

  @Test
  void aValidTraceparentAndItsStateAreCarriedOn() throws Exception {
    assertThat(send("traceparent", PARENT, "tracestate", "congo=t61rcWkgMzE"))
        .containsEntry("traceparent", PARENT).containsEntry("tracestate", "congo=t61rcWkgMzE");
  }

  @Test
  void noTraceparentNothingToCarry() throws Exception {
    assertThat(send("tracestate", "congo=t61rcWkgMzE")).isEmpty();
  }

  @Test
  void aMalformedTraceparentIsDropped() throws Exception {
    assertThat(send("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
    assertThat(send("traceparent", "not-a-trace")).isEmpty();
  }
}
