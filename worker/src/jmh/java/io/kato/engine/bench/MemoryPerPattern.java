package io.kato.engine.bench;

import io.kato.engine.NodeDefaults;
import io.kato.engine.Observation;
import io.kato.engine.Processor;
import io.kato.engine.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Heap bytes per stored pattern of 8 events × 2 symbols (synthetic alphabet of 2,000 Zipf
 * symbols), measured as the retained heap after a full GC divided by the pattern count.
 *
 * <p>Usage: {@code MemoryPerPattern PATTERNS} (progress on stderr).
 */
public final class MemoryPerPattern {
  private MemoryPerPattern() {}

  public static void main(String[] args) throws Exception {
    int patterns = Integer.parseInt(args[0]);
    SyntheticWorkload workload = new SyntheticWorkload(11);
    long before = retainedHeap();
    Processor node = new Processor(NodeDefaults.STANDARD);
    SessionState s = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    for (int p = 0; p < patterns; p++) {
      for (int e = 0; e < 8; e++) {
        List<String> event = new ArrayList<>(2);
        event.add(workload.symbol());
        event.add(workload.symbol());
        s = node.observe(s, new Observation(event, List.of(), Map.of(), Map.of(), "obs")).state();
      }
      s = node.learn(s).state();
      if ((p + 1) % Math.max(1, patterns / 10) == 0) {
        System.err.printf("loaded %d/%d%n", p + 1, patterns);
      }
    }
    long after = retainedHeap();
    System.out.printf("patterns=%d stored=%d bytes/pattern=%.0f%n", patterns, node.patternCount(),
        (after - before) / (double) node.patternCount());
    if (node.patternCount() < 0) {
      System.out.println(s); // keeps the node reachable until here
    }
  }

  private static long retainedHeap() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
