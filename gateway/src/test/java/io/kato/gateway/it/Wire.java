package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Wire-level helpers for the conformance tests: any method with any headers and raw bytes as
 * body (JDK HttpClient), a raw socket for requests a well-behaved client cannot send (oversized
 * request lines, header blocks, bodies), a WebSocket collecting text frames, and assertions on
 * the one error format of API.md §1.4.3.
 */
final class Wire {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String JSON = "application/json";

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String host = "127.0.0.1";
  private final int port;

  Wire(int port) {
    this.port = port;
  }

  String base() {
    return "http://" + host + ":" + port;
  }

  // ---- JDK client -----------------------------------------------------------------------------

  /** {@code headers} alternate name, value; a null body sends none. */
  Http.Reply send(String method, String path, String body, String... headers) throws Exception {
    return sendBytes(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
  }

  Http.Reply sendBytes(String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json = null;
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith(JSON)) {
      json = MAPPER.readTree(response.body());
    }
    return new Http.Reply(response.statusCode(), json, response.body(), response);
  }

  Http.Reply get(String path, String... headers) throws Exception {
    return send("GET", path, null, headers);
  }

  Http.Reply post(String path, String json) throws Exception {
    return send("POST", path, json, "Content-Type", JSON);
  }

  Http.Reply delete(String path) throws Exception {
    return send("DELETE", path, null);
  }

  // ---- raw socket -----------------------------------------------------------------------------

  /** A response read from a raw socket. */
  record Raw(String statusLine, int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return MAPPER.readTree(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-terminated) then streams {@code body} from
   * another thread (the server may answer and close before it has read it all) and reads one
   * response.
   */
  Raw raw(byte[] head, byte[] body) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.flush();
      Thread writer = null;
      if (body != null) {
        writer = new Thread(() -> {
          try {
            for (int off = 0; off < body.length; off += 65536) {
              out.write(body, off, Math.min(65536, body.length - off));
            }
            out.flush();
          } catch (IOException closedByServer) {
            // expected when the server refuses the body early
          }
        }, "raw-body-writer");
        writer.setDaemon(true);
        writer.start();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("connection closed before the response head: " + headBytes);
        }
        headBytes.write(c);
        matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
            ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] content = in.readNBytes(length);
      if (writer != null) {
        writer.join(100);
      }
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      return new Raw(lines[0], status, headers, new String(content, StandardCharsets.UTF_8));
    }
  }

  // ---- WebSocket ------------------------------------------------------------------------------

  /** A /ws/events connection whose text frames are queued. */
  static final class Events implements AutoCloseable {
    final BlockingQueue<String> frames;
    final CompletableFuture<Integer> closed;
    final WebSocket socket;

    Events(BlockingQueue<String> frames, CompletableFuture<Integer> closed, WebSocket socket) {
      this.frames = frames;
      this.closed = closed;
      this.socket = socket;
    }

    String next(long timeoutMillis) throws InterruptedException {
      return frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    void send(String text) {
      socket.sendText(text, true).join();
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
      socket.abort();
    }
  }

  Events events(String path) throws Exception {
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(partial.toString());
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }
    };
    CompletableFuture<WebSocket> socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://" + host + ":" + port + path), listener);
    Events events = new Events(frames, closed, socket.get(10, TimeUnit.SECONDS));
    return events;
  }

  // ---- assertions -----------------------------------------------------------------------------

  static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    Iterator<String> names = node.fieldNames();
    names.forEachRemaining(out::add);
    return out;
  }

  /**
   * The one error format of §1.4.3: detail, error {code, message, details, trace_id}, status equal
   * to the HTTP status, JSON content type without charset.
   */
  static JsonNode assertError(Http.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).isEqualTo(JSON);
    JsonNode body = reply.json();
    assertErrorBody(body, status, code);
    assertThat(body.path("error").path("trace_id").asText()).isEqualTo(reply.header("X-Trace-ID"));
    return body;
  }

  static void assertErrorBody(JsonNode body, int status, String code) {
    assertThat(body).as("error body").isNotNull();
    assertThat(body.has("detail")).as(body.toString()).isTrue();
    assertThat(body.path("status").isInt()).as(body.toString()).isTrue();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    JsonNode error = body.path("error");
    assertThat(error.path("code").asText()).as(body.toString()).isEqualTo(code);
    assertThat(error.path("message").isTextual()).as(body.toString()).isTrue();
    assertThat(error.path("message").asText()).isNotEmpty();
    assertThat(error.path("details").isObject()).as(body.toString()).isTrue();
    assertThat(error.path("trace_id").isTextual()).as(body.toString()).isTrue();
    if (body.path("detail").isTextual()) {
      assertThat(body.path("detail").asText()).isEqualTo(error.path("message").asText());
    }
    if (code.equals("VALIDATION_ERROR")) {
      assertThat(error.path("message").asText()).isEqualTo("Request validation failed");
      JsonNode items = body.path("detail");
      assertThat(items.isArray()).as(body.toString()).isTrue();
      assertThat(items.size()).isGreaterThan(0);
      JsonNode summary = error.path("details").path("validation_errors");
      assertThat(summary.size()).isEqualTo(items.size());
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        assertThat(item.path("type").isTextual()).as(item.toString()).isTrue();
        assertThat(item.path("loc").isArray()).as(item.toString()).isTrue();
        assertThat(item.path("loc").get(0).asText()).as(item.toString()).isIn("body", "query", "path", "header");
        assertThat(item.path("msg").isTextual()).as(item.toString()).isTrue();
        assertThat(item.has("input")).as(item.toString()).isTrue();
        StringBuilder field = new StringBuilder();
        item.path("loc").forEach(p -> field.append(field.length() == 0 ? "" : ".").append(p.asText()));
        assertThat(summary.get(i).path("field").asText()).isEqualTo(field.toString());
        assertThat(summary.get(i).path("message").asText()).isEqualTo(item.path("msg").asText());
        assertThat(summary.get(i).path("type").asText()).isEqualTo(item.path("type").asText());
      }
    }
  }

  /** A 422 with exactly one item of {@code type} at {@code loc} (JSON array text) with {@code msg}. */
  static JsonNode assertSingleIssue(Http.Reply reply, String type, String loc, String msg) {
    JsonNode body = assertError(reply, 422, "VALIDATION_ERROR");
    assertThat(body.path("detail").size()).as(body.toString()).isEqualTo(1);
    JsonNode item = body.path("detail").get(0);
    assertThat(item.path("type").asText()).as(body.toString()).isEqualTo(type);
    assertThat(item.path("loc").toString()).as(body.toString()).isEqualTo(loc);
    assertThat(item.path("msg").asText()).as(body.toString()).isEqualTo(msg);
    return item;
  }
}
