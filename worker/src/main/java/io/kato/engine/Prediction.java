package io.kato.engine;

/**
 * One prediction object. Two shapes exist (PREDICTIONS.md Q3): the regular one for STMs of two
 * or more symbols, and the one-symbol shape.
 */
public sealed interface Prediction permits FullPrediction, SingleSymbolPrediction {
  /** Pattern hash without the {@code PTRN|} prefix. */
  String name();

  double potential();
}
