package io.kato.engine;

import java.util.List;
import java.util.Map;

/**
 * One learned pattern as the knowledge base holds it. Immutable: a re-learn replaces the record
 * (the pattern data never changes, ENGINE.md §4.5), so a reader holding a record sees one
 * consistent version.
 *
 * @param name bare 40-hex hash (no {@code PTRN|})
 * @param sequence learn sequence: the order distinct patterns were first stored in the node
 * @param events pattern data, exactly the learned STM
 * @param symbols the events flattened, as symbol ids of the owning knowledge base
 * @param frequency times learned
 * @param emotives the persistence window: raw emotive maps, oldest first
 * @param metadata key → sorted distinct {@code str()} values
 * @param metrics precomputed by finalize-training, or null
 */
public record StoredPattern(
    String name,
    int sequence,
    List<List<String>> events,
    int[] symbols,
    int frequency,
    List<Map<String, Double>> emotives,
    Map<String, List<String>> metadata,
    PatternMetrics metrics) {

  /** Total symbol count. */
  public int length() {
    return symbols.length;
  }

  StoredPattern relearned(int nextFrequency, List<Map<String, Double>> nextEmotives,
      Map<String, List<String>> nextMetadata) {
    return new StoredPattern(name, sequence, events, symbols, nextFrequency, nextEmotives, nextMetadata, metrics);
  }

  StoredPattern withMetrics(PatternMetrics next) {
    return new StoredPattern(name, sequence, events, symbols, frequency, emotives, metadata, next);
  }
}
