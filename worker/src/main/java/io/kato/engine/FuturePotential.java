package io.kato.engine;

import java.util.List;

/** One future group of the ensemble (PREDICTIONS.md §5.7, §6.3). */
public record FuturePotential(
    List<List<String>> future, double aggregatePotential, int supportingPatterns, double totalWeightedFrequency) {}
