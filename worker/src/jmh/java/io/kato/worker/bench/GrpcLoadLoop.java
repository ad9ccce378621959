package io.kato.worker.bench;

import io.kato.common.client.KatoWorkerClient;
import io.kato.engine.bench.SyntheticWorkload;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.ObserveSequenceRequest;
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
    List<List<List<String>>> learned = preload(host, port, node, patterns, clients);
    run("observe (no prediction pass)", host, port, node, clients, seconds, learned, false);
    run("observe (default, prediction pass)", host, port, node, clients, seconds, learned, true);
    run("predictions", host, port, node, clients, seconds, learned, null);
  }

  /**
   * Loads {@code patterns} synthetic patterns into {@code node}: {@code loaders} threads, each with
   * its own session, send one pattern per observe-sequence call that learns at its end (the lane
   * serialises them; group commit shares their writes). Prints progress and the load rate.
   */
  private static List<List<List<String>>> preload(String host, int port, String node, int patterns, int loaders)
      throws Exception {
    List<List<List<String>>> learned = java.util.Collections.synchronizedList(new ArrayList<>(patterns));
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(loaders);
    List<Future<?>> running = new ArrayList<>();
    for (int l = 0; l < loaders; l++) {
      int loader = l;
      running.add(pool.submit(() -> {
        SyntheticWorkload workload = new SyntheticWorkload(7 + loader);
        try (KatoWorkerClient client = KatoWorkerClient.connect(host, port)) {
          String s = client.createSession(CreateSessionRequest.newBuilder().setNodeId(node)
              .setConfig(io.kato.common.proto.ProtoValues.toProtoMap(java.util.Map.of("process_predictions", false)))
              .build()).getSessionId();
          while (next.getAndIncrement() < patterns) {
            List<List<String>> pattern = workload.pattern();
            ObserveSequenceRequest.Builder sequence = ObserveSequenceRequest.newBuilder().setSessionId(s)
                .setLearnAtEnd(true);
            for (List<String> event : pattern) {
              sequence.addObservations(Observation.newBuilder().addAllStrings(event));
            }
            client.observeSequence(sequence.build());
            learned.add(pattern);
            int count = done.incrementAndGet();
            if (count % Math.max(1, patterns / 20) == 0 || count == patterns) {
              double seconds = (System.nanoTime() - start) / 1e9;
              System.err.printf("preload %d/%d patterns (%.0f%%) %.1f s, %.0f patterns/s%n", count, patterns,
                  100.0 * count / patterns, seconds, count / seconds);
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("preload: %d patterns in %.1f s, %.0f patterns/s (%d loaders, one observe-sequence each)%n",
        patterns, seconds, patterns / seconds, loaders);
    return new ArrayList<>(learned);
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
