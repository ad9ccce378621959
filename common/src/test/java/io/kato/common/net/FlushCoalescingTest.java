package io.kato.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTP/2 over loopback, as between the gateway and a worker. */
class FlushCoalescingTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyAnswerOfABurstArrivesWhole() throws Exception {
    ConcurrentLinkedQueue<HttpConnection> serverConnections = new ConcurrentLinkedQueue<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> {
          FlushCoalescing.install(connection);
          serverConnections.add(connection);
        })
        .requestHandler(request -> request.body().onSuccess(body ->
            // answered off the event loop, as a worker's lanes answer
            new Thread(() -> request.response().end("echo:" + body)).start()));
    int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(1000));

    List<Future<String>> answers = new ArrayList<>();
    HttpConnection[] clientConnection = {null};
    for (int i = 0; i < 300; i++) {
      String payload = "call-" + i + "-" + "x".repeat(i * 37);
      answers.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/echo")).compose(request -> {
            FlushCoalescing.install(request.connection());
            clientConnection[0] = request.connection();
            return request.send(Buffer.buffer(payload));
          }).compose(response -> response.body()).map(Buffer::toString));
    }
    List<String> received = new ArrayList<>();
    for (Future<String> answer : answers) {
      received.add(answer.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
    }

    for (int i = 0; i < 300; i++) {
      assertThat(received.get(i)).isEqualTo("echo:call-" + i + "-" + "x".repeat(i * 37));
    }
    assertThat(serverConnections).hasSize(1).allMatch(FlushCoalescing::installed);
    assertThat(FlushCoalescing.installed(clientConnection[0])).isTrue();
  }

  @Test
  void aLoneCallIsNotHeldBack() throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(FlushCoalescing::install)
        .requestHandler(request -> request.response().end("pong"));
    int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    for (int i = 0; i < 20; i++) {
      // each call waits for the one before, so no later write can flush it: the deferred flush must
      String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/ping")
          .compose(request -> {
            FlushCoalescing.install(request.connection());
            return request.send();
          })
          .compose(response -> response.body()).map(Buffer::toString)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(body).isEqualTo("pong");
    }
  }

  @Test
  void installingFromManyThreadsAtOnceAddsOneHandler() throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.response().end("ok"));
    int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    HttpConnection connection = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .map(request -> request.connection()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          FlushCoalescing.install(connection);
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }

    assertThat(failures).isEmpty();
    assertThat(FlushCoalescing.installed(connection)).isTrue();
    assertThat(((io.vertx.core.net.impl.ConnectionBase) connection).channel().pipeline().names())
        .filteredOn(name -> name.startsWith("kato-flush-coalescing")).hasSize(1);
  }
}
