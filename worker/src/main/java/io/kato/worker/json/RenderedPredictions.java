package io.kato.worker.json;

import io.kato.engine.PredictionResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of recently answered prediction results, by result identity: a node answers a
 * repeated search from its memo with the very same {@link PredictionResult} object, and
 * rendering its ~170 KB of JSON again was then most of the call. Identity makes a hit exact (the
 * same immutable object renders to the same text) and cheap (no hashing of predictions).
 * Bounded, least recently used out first; shared by a worker's calls.
 */
public final class RenderedPredictions {
  /** The two JSON arrays of a result. */
  public record Json(byte[] predictions, byte[] futurePotentials) {}

  private final int capacity;
  /** Keys compared by identity, in access order (an IdentityHashMap keeps no order). */
  private final LinkedHashMap<Identity, Json> recent = new LinkedHashMap<>(64, 0.75f, true);

  public RenderedPredictions(int capacity) {
    this.capacity = capacity;
  }

  /** The result's JSON, rendered once while it stays among the recent ones. */
  public Json of(PredictionResult result) {
    Identity key = new Identity(result);
    synchronized (this) {
      Json cached = recent.get(key);
      if (cached != null) {
        return cached;
      }
    }
    // rendered outside the lock: calls on other results need not wait
    Json rendered = new Json(PredictionJson.predictions(result.predictions()),
        PredictionJson.futurePotentials(result.futurePotentials()));
    if (capacity > 0 && !result.predictions().isEmpty()) {
      synchronized (this) {
        recent.put(key, rendered);
        if (recent.size() > capacity) {
          Map.Entry<Identity, Json> eldest = recent.entrySet().iterator().next();
          recent.remove(eldest.getKey());
        }
      }
    }
    return rendered;
  }

  /** A key equal to another only when both wrap the same object. */
  private static final class Identity {
    private final Object referent;

    Identity(Object referent) {
      this.referent = referent;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Identity && ((Identity) other).referent == referent;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(referent);
    }
  }
}
