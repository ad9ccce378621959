package io.kato.worker.bench;

import io.kato.common.client.KatoWorkerClient;
import io.kato.engine.bench.SyntheticWorkload;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A simple closed-loop load against one worker over gRPC: preloads a node with synthetic patterns
 * (progress printed), then for each operation runs {@code clients} threads for a bounded time and
 * prints p50/p99 latency and throughput.
 *
 * <p>Usage: {@code GrpcLoadLoop HOST PORT PATTERNS CLIENTS SECONDS}.
 */
public final class GrpcLoadLoop {
  private GrpcLoadLoop() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int patterns = Integer.parseInt(args[2]);
    int clients = Integer.parseInt(args[3]);
    int seconds = Math.min(Integer.parseInt(args[4]), 120);
    String node = "load-" + System.nanoTime();
    SyntheticWorkload workload = new SyntheticWorkload(7);
    List<List<List<String>>> learned = new ArrayList<>();
    try (KatoWorkerClient loader = KatoWorkerClient.connect(host, port)) {
      String s = loader.createSession(CreateSessionRequest.newBuilder().setNodeId(node)
          .setConfig(io.kato.common.proto.ProtoValues.toProtoMap(java.util.Map.of("process_predictions", false)))
          .build()).getSessionId();
      long start = System.nanoTime();
      for (int i = 0; i < patterns; i++) {
        List<List<String>> pattern = workload.pattern();
        learned.add(pattern);
        for (List<String> event : pattern) {
          loader.observe(observe(s, event));
        }
        loader.learn(s);
        if ((i + 1) % Math.max(1, patterns / 20) == 0 || i + 1 == patterns) {
          System.err.printf("preload %d/%d patterns (%.0f%%) %.1f s%n", i + 1, patterns, 100.0 * (i + 1) / patterns,
              (System.nanoTime() - start) / 1e9);
        }
      }
      double learnMs = (System.nanoTime() - start) / 1e6 / patterns;
      System.out.printf("preload: %d patterns, %.3f ms per learned pattern (observes + learn, 1 client)%n",
          patterns, learnMs);
    }
    run("observe (no prediction pass)", host, port, node, clients, seconds, learned, false);
    run("observe (default, prediction pass)", host, port, node, clients, seconds, learned, true);
    run("predictions", host, port, node, clients, seconds, learned, null);
  }

  private static ObserveRequest observe(String session, List<String> event) {
    return ObserveRequest.newBuilder().setSessionId(session)
        .setObservation(Observation.newBuilder().addAllStrings(event)).build();
  }

  /** {@code predictionPass} null = GET predictions; else observe with/without the prediction pass. */
  private static void run(String label, String host, int port, String node, int clients, int seconds,
      List<List<List<String>>> learned, Boolean predictionPass) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int clientIndex = c;
      results.add(pool.submit(() -> {
        SyntheticWorkload workload = new SyntheticWorkload(100 + clientIndex);
        long[] latencies = new long[1 << 16];
        int n = 0;
        try (KatoWorkerClient client = KatoWorkerClient.connect(host, port)) {
          CreateSessionRequest.Builder create = CreateSessionRequest.newBuilder().setNodeId(node);
          if (Boolean.FALSE.equals(predictionPass)) {
            create.setConfig(io.kato.common.proto.ProtoValues.toProtoMap(java.util.Map.of("process_predictions", false)));
          }
          String s = client.createSession(create.build()).getSessionId();
          if (predictionPass == null) {
            List<List<String>> query = workload.query(learned.get(clientIndex * 31 % learned.size()));
            for (List<String> event : query) {
              client.observe(observe(s, event));
            }
          }
          int step = 0;
          while (System.nanoTime() < deadline && n < latencies.length) {
            long t0 = System.nanoTime();
            if (predictionPass == null) {
              client.getPredictions(s);
            } else {
              if (step++ % 4 == 3) {
                client.clearStm(s);
              }
              List<List<String>> source = learned.get((clientIndex * 7 + step) % learned.size());
              client.observe(observe(s, source.get(step % source.size())));
            }
            latencies[n++] = System.nanoTime() - t0;
          }
        }
        return Arrays.copyOf(latencies, n);
      }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : results) {
      all.add(f.get());
    }
    pool.shutdown();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    double p50 = merged.length == 0 ? 0 : merged[merged.length / 2] / 1e6;
    double p99 = merged.length == 0 ? 0 : merged[(int) Math.min(merged.length - 1, merged.length * 0.99)] / 1e6;
    System.out.printf("%-36s clients=%d calls=%d p50=%.3f ms p99=%.3f ms throughput=%.0f/s%n", label, clients,
        merged.length, p50, p99, merged.length / (double) seconds);
  }
}
