package io.kato.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small JSON-over-HTTP client for tests, on the JDK's HttpClient (a real socket). */
public final class Http {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(String base) {
    this.base = base;
  }

  /** A response: status, parsed body (null when not JSON) and raw text. */
  public record Reply(int status, JsonNode json, String text, HttpResponse<String> raw) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
  }

  public Reply get(String path, Map<String, String> headers) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
  }

  public Reply delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Map.of());
  }

  public Reply post(String path, String json) throws IOException, InterruptedException {
    return post(path, json, Map.of("Content-Type", "application/json"));
  }

  public Reply post(String path, String body, Map<String, String> headers) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body, StandardCharsets.UTF_8)), headers);
  }

  public Reply method(String method, String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)),
        body == null ? Map.of() : Map.of("Content-Type", "application/json"));
  }

  /** Any method, a body (or null) and headers as given (set Content-Type yourself). */
  public Reply send(String method, String path, String body, Map<String, String> headers) throws IOException,
      InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body,
            StandardCharsets.UTF_8)), headers);
  }

  /** The JDK client, for WebSocket tests. */
  public HttpClient client() {
    return client;
  }

  private Reply send(HttpRequest.Builder builder, Map<String, String> headers) throws IOException,
      InterruptedException {
    headers.forEach(builder::header);
    HttpResponse<String> response = client.send(builder.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json = null;
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("application/json")) {
      json = MAPPER.readTree(response.body());
    }
    return new Reply(response.statusCode(), json, response.body(), response);
  }

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
