package io.kato.engine;

import java.util.List;
import java.util.Map;

/**
 * Everything one session holds (ENGINE.md §1.3). Immutable: every engine operation returns the
 * next state, so a rejected operation leaves the caller's state untouched and readers always see
 * a consistent value.
 *
 * @param stm list of events, oldest first; no event is empty
 * @param emotivesAccumulator one map per observation that carried emotives
 * @param metadataAccumulator one map per observation that carried metadata
 * @param time observation counter
 * @param perceptData the last observation, or null before any (and after clears)
 * @param predictions predictions of the last observe's prediction pass
 * @param config gene overrides
 */
public record SessionState(
    List<List<String>> stm,
    List<Map<String, Double>> emotivesAccumulator,
    List<Map<String, Object>> metadataAccumulator,
    long time,
    PerceptData perceptData,
    List<Prediction> predictions,
    SessionConfig config) {

  /** Upstream keeps only this many STM events and accumulator entries per session. */
  public static final int MAX_LIST_ENTRIES = 1000;

  public static SessionState empty(SessionConfig config) {
    return new SessionState(List.of(), List.of(), List.of(), 0, null, List.of(), config);
  }

  public static SessionState empty() {
    return empty(SessionConfig.EMPTY);
  }

  public SessionState withConfig(SessionConfig next) {
    return new SessionState(stm, emotivesAccumulator, metadataAccumulator, time, perceptData, predictions, next);
  }

  /** The same state with an empty STM (accumulators, time and the rest kept). */
  public SessionState withStmCleared() {
    return withStm(List.of());
  }

  SessionState withStm(List<List<String>> next) {
    return new SessionState(next, emotivesAccumulator, metadataAccumulator, time, perceptData, predictions, config);
  }

  /** The storage cap upstream applies whenever it saves a session. */
  SessionState capped() {
    return new SessionState(
        JsonValues.lastEntries(stm, MAX_LIST_ENTRIES),
        JsonValues.lastEntries(emotivesAccumulator, MAX_LIST_ENTRIES),
        JsonValues.lastEntries(metadataAccumulator, MAX_LIST_ENTRIES),
        time, perceptData, predictions, config);
  }
}
