package io.kato.worker.storage;

import io.kato.engine.NamedVector;
import io.kato.engine.SessionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures the latency of observe-sized commits (one session put, optionally one deferred vector
 * appended) on each durable store. Not a test: run it by hand with the test classpath,
 * {@code java -cp ... io.kato.worker.storage.CommitLatencyProbe [commits]}.
 */
public final class CommitLatencyProbe {
  private CommitLatencyProbe() {}

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    SessionState state = NodeStoreContractTest.richState();
    SessionRecord session = NodeStoreContractTest.session("session-probe", "kb-probe", state);
    System.out.printf("session record: %d bytes encoded, %d predictions, %d STM events%n",
        StoredValues.encodeSession(session).length, state.predictions().size(), state.stm().size());

    Path dir = Files.createTempDirectory("kato-latency");
    try (NodeStore rocks = RocksDbNodeStore.open(dir)) {
      run("rocksdb", rocks, session, commits);
    }
    String schema = PostgresTestDatabase.newSchema();
    try (NodeStore postgres = PostgresNodeStore.open(PostgresTestDatabase.options(schema))) {
      run("postgres", postgres, session, commits);
    } finally {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  private static void run(String name, NodeStore store, SessionRecord session, int commits) {
    store.commit("kb-probe", NodeChanges.sessions(List.of(session), List.of()));
    long[] sessionOnly = new long[commits];
    for (int i = 0; i < commits; i++) {
      NodeChanges changes = NodeChanges.sessions(List.of(session.withState(session.state())), List.of());
      long start = System.nanoTime();
      store.commit("kb-probe", changes);
      sessionOnly[i] = System.nanoTime() - start;
    }
    long[] withVector = new long[commits];
    List<NamedVector> deferred = new ArrayList<>();
    for (int i = 0; i < commits; i++) {
      if (deferred.size() == 50) {
        deferred.clear(); // a learn every 50 observes empties the list
      }
      deferred.add(new NamedVector("VCTR|" + i, new double[] {i, 0.5, -0.0, 1e-3}));
      NodeChanges changes = new NodeChanges(false, List.of(), Map.of(), List.of(), -1, List.copyOf(deferred),
          List.of(session), List.of());
      long start = System.nanoTime();
      store.commit("kb-probe", changes);
      withVector[i] = System.nanoTime() - start;
    }
    report(name, "session put", sessionOnly);
    report(name, "session put + deferred vector", withVector);
  }

  private static void report(String store, String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf("%-8s %-30s n=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms%n", store, what, sorted.length,
        ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }
}
