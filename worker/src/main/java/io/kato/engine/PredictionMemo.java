package io.kato.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent prediction searches of one node, keyed by (STM, parameters), valid for the knowledge
 * base as it is. A search is a pure function of the knowledge base, the STM and the parameters,
 * so a repeated one is answered without searching: the usual client loop observes (whose
 * prediction pass searches) and then reads the predictions of the same STM, which searches
 * again with the same parameters unless the session overrides genes; sessions that share an STM
 * share results too. The owner empties the memo whenever the knowledge base changes.
 *
 * <p>Bounded by the number of predictions held ({@link #capacity}), least recently used out
 * first. Thread-safe: predictions of one node run in parallel.
 */
final class PredictionMemo {
  private record Key(List<List<String>> stm, Predictor.Params params) {}

  private final int capacity;
  private final LinkedHashMap<Key, PredictionResult> entries = new LinkedHashMap<>(64, 0.75f, true);
  private int held;
  private long hits;

  /** @param capacity most predictions held at once (an entry counts its predictions, at least 1) */
  PredictionMemo(int capacity) {
    this.capacity = capacity;
  }

  synchronized PredictionResult get(List<List<String>> stm, Predictor.Params params) {
    if (capacity == 0) {
      return null; // off: no key to build
    }
    PredictionResult result = entries.get(new Key(stm, params));
    if (result != null) {
      hits++;
    }
    return result;
  }

  synchronized void put(List<List<String>> stm, Predictor.Params params, PredictionResult result) {
    int weight = weight(result);
    if (weight > capacity) {
      return;
    }
    PredictionResult previous = entries.put(new Key(stm, params), result);
    held += weight - (previous == null ? 0 : weight(previous));
    Iterator<Map.Entry<Key, PredictionResult>> oldest = entries.entrySet().iterator();
    while (held > capacity && oldest.hasNext()) {
      held -= weight(oldest.next().getValue());
      oldest.remove();
    }
  }

  /** Forgets everything: the knowledge base changed. */
  synchronized void clear() {
    entries.clear();
    held = 0;
  }

  synchronized long hits() {
    return hits;
  }

  private static int weight(PredictionResult result) {
    return Math.max(1, result.predictions().size());
  }
}
