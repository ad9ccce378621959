package io.kato.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.json.JsonValues;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./kato bench}: a closed-loop load generator against a running gateway. It preloads each
 * node's knowledge base with synthetic patterns (progress on stderr), then runs {@code clients}
 * concurrent clients for {@code seconds}, each drawing operations from the mix, and prints
 * p50/p95/p99 and throughput per operation. With several knowledge-base sizes it grows the
 * knowledge bases step by step and measures at each size; results go to JSON and an SVG chart
 * of latency against knowledge-base size.
 *
 * <p>Workload (the synthetic one of the performance issue): an alphabet of 2,000 symbols drawn
 * Zipf(s=1), patterns of 5-12 events of 1-3 symbols; clients observe events of the same kind and
 * clear their STM every four observations, so predictions run on 0-4 events.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Closed-loop HTTP load against a running KATO gateway.")
public final class LoadGenerator implements Callable<Integer> {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8000", description = "gateway base URL")
  String url;

  @Option(names = "--clients", defaultValue = "64")
  int clients;

  @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per knowledge-base size")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "3")
  int warmupSeconds;

  @Option(names = "--mix", defaultValue = "observe:1,predictions:1", description = "operation weights")
  String mix;

  @Option(names = "--nodes", defaultValue = "4")
  int nodes;

  @Option(names = "--patterns", defaultValue = "1000", split = ",",
      description = "patterns per node; a list measures at each size")
  List<Integer> patternSizes;

  @Option(names = "--node-prefix", description = "node ids are <prefix>-<n>; default: a fresh prefix per run. "
      + "Reusing a prefix adds the preload to the patterns already there")
  String nodePrefix;

  @Option(names = "--skip-preload", description = "measure the knowledge bases as they are (nodes loaded by an "
      + "earlier run with the same --node-prefix); --patterns then only labels the results")
  boolean skipPreload;

  @Option(names = "--out", defaultValue = "bench-results.json")
  Path out;

  @Option(names = "--chart", defaultValue = "bench-results.svg")
  Path chart;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  private HttpClient http;
  private String host;
  private int port;
  private Zipf zipf;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    URI base = URI.create(url);
    host = base.getHost();
    port = base.getPort() < 0 ? 80 : base.getPort();
    zipf = new Zipf(2000, 1.0);
    if (nodePrefix == null) {
      nodePrefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    }
    Map<String, Integer> weights = parseMix(mix);
    Vertx vertx = Vertx.vertx();
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(host)
        .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(Math.max(clients, 16)));
    ObjectNode report = NODES.objectNode();
    report.put("url", url).put("clients", clients).put("seconds", seconds).put("nodes", nodes).put("mix", mix);
    ArrayNode runs = report.putArray("runs");
    try {
      List<String> loaders = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        String loader = createSession(nodePrefix + "-" + n);
        // loading needs no prediction pass per observation: the engine skips it, the patterns are the same
        send(HttpMethod.POST, "/sessions/" + loader + "/config", NODES.objectNode().put("process_predictions", false))
            .await(30, TimeUnit.SECONDS);
        loaders.add(loader);
      }
      int loaded = 0;
      List<Integer> sizes = new ArrayList<>(patternSizes);
      sizes.sort(Integer::compare);
      for (int size : sizes) {
        long learned = skipPreload ? 0 : preload(loaders, loaded, size);
        loaded = size;
        ObjectNode run = measure(weights, size);
        run.put("patterns_preloaded", learned);
        runs.add(run);
      }
      Files.writeString(out, JsonValues.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
      Files.writeString(chart, SvgChart.latencyBySize(report));
      System.out.println("wrote " + out + " and " + chart);
      return 0;
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Integer> parseMix(String text) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.split(":");
      String op = kv[0].trim();
      if (!List.of("observe", "predictions").contains(op)) {
        throw new CommandLine.ParameterException(new CommandLine(new LoadGenerator()), "unknown operation " + op);
      }
      weights.put(op, kv.length > 1 ? Integer.parseInt(kv[1].trim()) : 1);
    }
    return weights;
  }

  // ---- preload --------------------------------------------------------------------------------

  /** Learns patterns {@code from..to} on every node; returns how many were learned (all, or it throws). */
  private long preload(List<String> sessions, int from, int to) throws Exception {
    long total = (long) (to - from) * sessions.size();
    if (total <= 0) {
      return 0;
    }
    AtomicLong done = new AtomicLong();
    SplittableRandom random = new SplittableRandom(seed + from);
    int inFlight = 16;
    List<Future<?>> lanes = new ArrayList<>();
    AtomicLong next = new AtomicLong();
    for (int lane = 0; lane < inFlight; lane++) {
      SplittableRandom laneRandom = random.split();
      lanes.add(preloadLane(sessions, from, to, next, done, laneRandom));
    }
    long started = System.nanoTime();
    while (!lanes.stream().allMatch(Future::isComplete)) {
      progress("preload to " + to + " patterns/node", done.get(), total, started);
      Thread.sleep(1000);
    }
    progress("preload to " + to + " patterns/node", done.get(), total, started);
    System.err.println();
    for (Future<?> lane : lanes) {
      if (lane.failed()) {
        throw new IllegalStateException("preload failed", lane.cause());
      }
    }
    return done.get();
  }

  private Future<Void> preloadLane(List<String> sessions, int from, int to, AtomicLong next, AtomicLong done,
      SplittableRandom random) {
    long i = next.getAndIncrement();
    long total = (long) (to - from) * sessions.size();
    if (i >= total) {
      return Future.succeededFuture();
    }
    String session = sessions.get((int) (i % sessions.size()));
    ObjectNode body = NODES.objectNode();
    ArrayNode observations = body.putArray("observations");
    int events = 5 + random.nextInt(8);
    for (int e = 0; e < events; e++) {
      observations.addObject().set("strings", event(random));
    }
    body.put("learn_at_end", true);
    return send(HttpMethod.POST, "/sessions/" + session + "/observe-sequence", body).compose(status -> {
      if (status != 200) {
        return Future.failedFuture(new IllegalStateException("preload: observe-sequence answered " + status));
      }
      done.incrementAndGet();
      return preloadLane(sessions, from, to, next, done, random);
    });
  }

  private static void progress(String what, long done, long total, long startedNanos) {
    int width = 40;
    int filled = (int) (width * done / Math.max(1, total));
    double secs = (System.nanoTime() - startedNanos) / 1e9;
    System.err.printf("\r%s [%s%s] %3d%% %d/%d %.0f/s", what, "#".repeat(filled), ".".repeat(width - filled),
        100 * done / Math.max(1, total), done, total, secs > 0 ? done / secs : 0.0);
  }

  private ArrayNode event(SplittableRandom random) {
    ArrayNode symbols = NODES.arrayNode();
    int n = 1 + random.nextInt(3);
    for (int s = 0; s < n; s++) {
      symbols.add("s" + zipf.sample(random));
    }
    return symbols;
  }

  // ---- measurement ----------------------------------------------------------------------------

  private ObjectNode measure(Map<String, Integer> weights, int size) throws Exception {
    List<String> ops = new ArrayList<>();
    weights.forEach((op, w) -> {
      for (int i = 0; i < w; i++) {
        ops.add(op);
      }
    });
    List<Client> all = new ArrayList<>();
    // one event-loop thread carries every measuring connection: the generator leaves the other
    // core to what it measures
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      for (int c = 0; c < clients; c++) {
        Client client = new Client(createSession(nodePrefix + "-" + (c % nodes)),
            new SplittableRandom(seed * 31 + c), ops, BenchConnection.open(loop, host, port));
        client.primeQuery().await(30, TimeUnit.SECONDS);
        all.add(client);
      }
      return measure(weights, size, all);
    } finally {
      all.forEach(c -> c.connection.close());
      loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private ObjectNode measure(Map<String, Integer> weights, int size, List<Client> all) throws Exception {
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (Client c : all) {
      loops.add(c.loop(warmupEnd, end));
    }
    long started = System.nanoTime();
    while (!loops.stream().allMatch(Future::isComplete)) {
      progress("run at " + size + " patterns/node", Math.min(System.nanoTime() - started,
          end - started) / 1_000_000, (end - started) / 1_000_000, started);
      Thread.sleep(1000);
    }
    System.err.println();
    for (Future<Void> loop : loops) {
      if (loop.failed()) {
        throw new IllegalStateException("a client stopped", loop.cause());
      }
    }
    ObjectNode run = NODES.objectNode();
    run.put("patterns_per_node", size);
    ObjectNode results = run.putObject("operations");
    System.out.printf("%n%d patterns/node, %d clients, %d s:%n", size, clients, seconds);
    System.out.printf("  %-12s %10s %10s %10s %10s %8s%n", "operation", "requests/s", "p50 ms", "p95 ms", "p99 ms",
        "errors");
    for (String op : weights.keySet()) {
      List<long[]> parts = new ArrayList<>();
      long errors = 0;
      int count = 0;
      for (Client c : all) {
        LongList l = c.latencies.get(op);
        parts.add(Arrays.copyOf(l.values, l.size));
        count += l.size;
        errors += c.errors.getOrDefault(op, 0L);
      }
      long[] merged = new long[count];
      int at = 0;
      for (long[] p : parts) {
        System.arraycopy(p, 0, merged, at, p.length);
        at += p.length;
      }
      Arrays.sort(merged);
      ObjectNode r = results.putObject(op);
      r.put("requests", count);
      r.put("requests_per_second", count / (double) seconds);
      r.put("p50_ms", percentile(merged, 0.50));
      r.put("p95_ms", percentile(merged, 0.95));
      r.put("p99_ms", percentile(merged, 0.99));
      r.put("errors", errors);
      System.out.printf("  %-12s %10.0f %10.2f %10.2f %10.2f %8d%n", op, count / (double) seconds,
          percentile(merged, 0.50), percentile(merged, 0.95), percentile(merged, 0.99), errors);
    }
    return run;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0.0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  /** One closed-loop client with its own session. */
  private final class Client {
    final String session;
    final SplittableRandom random;
    final List<String> ops;
    final Map<String, LongList> latencies = new LinkedHashMap<>();
    final Map<String, Long> errors = new LinkedHashMap<>();
    final BenchConnection connection;
    int observedSinceClear;

    Client(String session, SplittableRandom random, List<String> ops, BenchConnection connection) {
      this.session = session;
      this.random = random;
      this.ops = ops;
      this.connection = connection;
      ops.forEach(op -> latencies.putIfAbsent(op, new LongList()));
    }

    /**
     * A query in the STM before the first measured call (3 events of the workload's symbols), so
     * predictions search the knowledge base even when the mix has no observe: on an empty STM
     * they would return at once.
     */
    Future<Void> primeQuery() {
      Future<Void> chain = Future.succeededFuture();
      for (int e = 0; e < 3; e++) {
        chain = chain.compose(v -> send(HttpMethod.POST, "/sessions/" + session + "/observe",
            NODES.objectNode().set("strings", event(random))).mapEmpty());
      }
      observedSinceClear = 3;
      return chain;
    }

    /**
     * Calls until {@code end}, one request at a time. Each call starts from the previous one's
     * callback and the loop completes one promise: a chain of futures, one per call, completed
     * the whole chain recursively at the end and overflowed the stack of a fast single client.
     */
    Future<Void> loop(long warmupEnd, long end) {
      Promise<Void> finished = Promise.promise();
      step(warmupEnd, end, finished);
      return finished.future();
    }

    /**
     * One call on the client's connection; the next starts from its callback on the event loop
     * (the call stack unwinds between calls, since each answer arrives in a later read).
     */
    private void step(long warmupEnd, long end, Promise<Void> finished) {
      if (System.nanoTime() >= end) {
        finished.complete();
        return;
      }
      String op = ops.get(random.nextInt(ops.size()));
      if (op.equals("observe") && observedSinceClear >= 4) {
        observedSinceClear = 0;
        connection.send(HttpMethod.POST, "/sessions/" + session + "/clear-stm", null, status -> {
          if (status == BenchConnection.FAILED) {
            finished.fail("connection to the gateway lost");
            return;
          }
          measuredCall(op, warmupEnd, end, finished);
        });
      } else {
        measuredCall(op, warmupEnd, end, finished);
      }
    }

    private void measuredCall(String op, long warmupEnd, long end, Promise<Void> finished) {
      boolean observe = op.equals("observe");
      byte[] body;
      try {
        body = observe ? JsonValues.mapper().writeValueAsBytes(NODES.objectNode().set("strings", event(random)))
            : null;
      } catch (Exception e) {
        finished.fail(e);
        return;
      }
      long start = System.nanoTime();
      connection.send(observe ? HttpMethod.POST : HttpMethod.GET,
          "/sessions/" + session + (observe ? "/observe" : "/predictions"), body, status -> {
            long nanos = System.nanoTime() - start;
            if (observe) {
              observedSinceClear++;
            }
            if (start >= warmupEnd) {
              if (status == 200) {
                latencies.get(op).add(nanos);
              } else {
                errors.merge(op, 1L, Long::sum);
              }
            }
            if (status == BenchConnection.FAILED) {
              finished.fail("connection to the gateway lost");
              return;
            }
            step(warmupEnd, end, finished);
          });
    }
  }

  /** A growable primitive list (latencies in nanoseconds). */
  private static final class LongList {
    long[] values = new long[1024];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private String createSession(String node) throws Exception {
    Buffer body = http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/sessions")
            .putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer("{\"node_id\": \"" + node + "\"}")).compose(r -> r.body()))
        .await(30, TimeUnit.SECONDS);
    JsonNode json = JsonValues.mapper().readTree(body.getBytes());
    if (!json.has("session_id")) {
      throw new IllegalStateException("could not create a session: " + body);
    }
    return json.get("session_id").asText();
  }

  private Future<Integer> send(HttpMethod method, String path, JsonNode body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options).compose(req -> {
      Future<io.vertx.core.http.HttpClientResponse> sent;
      try {
        sent = body == null ? req.send() : req.send(Buffer.buffer(JsonValues.mapper().writeValueAsBytes(body)));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
      // the body is read and dropped as it arrives: aggregating ~170 KB prediction answers cost the
      // load generator, which shares the cores with what it measures, more than the gateway spent
      return sent.compose(r -> {
        Promise<Integer> read = Promise.promise();
        r.handler(chunk -> { });
        r.exceptionHandler(read::tryFail);
        r.endHandler(v -> read.tryComplete(r.statusCode()));
        return read.future();
      });
    });
  }
}
