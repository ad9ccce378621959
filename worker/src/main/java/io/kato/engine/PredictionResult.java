package io.kato.engine;

import java.util.List;

/**
 * The answer of one prediction computation.
 *
 * @param futurePotentials the groups of this computation; empty for an empty or one-symbol STM
 */
public record PredictionResult(List<Prediction> predictions, List<FuturePotential> futurePotentials) {
  public static final PredictionResult EMPTY = new PredictionResult(List.of(), List.of());
}
