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

/** Real HTTP/2 over loopback with the gateway–worker settings on both ends. */
class Http2WindowsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eachEndSeesTheOthersLargerWindowAndLargeAnswersArriveWhole() throws Exception {
    ConcurrentLinkedQueue<HttpConnection> serverConnections = new ConcurrentLinkedQueue<>();
    HttpServer server = vertx.createHttpServer(Http2Windows.apply(new HttpServerOptions().setHost("127.0.0.1")
            .setPort(0)))
        .connectionHandler(serverConnections::add)
        .requestHandler(request -> request.body().onSuccess(body -> request.response().end(answer(body.toString()))));
    int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    HttpClient client = vertx.createHttpClient(Http2Windows.apply(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(1000)));

    // 48 concurrent answers of ~200 KB: 9.6 MB in flight on one connection, far past the
    // default 64 KiB connection window
    List<Future<Buffer>> answers = new ArrayList<>();
    HttpConnection[] clientConnection = {null};
    for (int i = 0; i < 48; i++) {
      String key = "call-" + i;
      answers.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/big")).compose(request -> {
            clientConnection[0] = request.connection();
            return request.send(key);
          }).compose(response -> response.body()));
    }
    for (int i = 0; i < 48; i++) {
      Buffer body = answers.get(i).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(body.toString()).isEqualTo(answer("call-" + i));
    }

    assertThat(serverConnections).hasSize(1);
    HttpConnection serverSide = serverConnections.peek();
    assertThat(serverSide.remoteSettings().getInitialWindowSize()).isEqualTo(Http2Windows.STREAM_WINDOW_BYTES);
    assertThat(serverSide.remoteSettings().getMaxFrameSize()).isEqualTo(Http2Windows.MAX_FRAME_BYTES);
    assertThat(clientConnection[0].remoteSettings().getInitialWindowSize())
        .isEqualTo(Http2Windows.STREAM_WINDOW_BYTES);
    assertThat(clientConnection[0].remoteSettings().getMaxFrameSize()).isEqualTo(Http2Windows.MAX_FRAME_BYTES);
  }

  private static String answer(String key) {
    StringBuilder text = new StringBuilder(key.length() * 10_000);
    for (int i = 0; i < 20_000; i++) {
      text.append(key.charAt(i % key.length())).append(i % 10);
    }
    return key + ":" + text.length() + ":" + text;
  }
}
