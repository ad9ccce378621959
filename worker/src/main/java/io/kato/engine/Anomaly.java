package io.kato.engine;

/** A state token matched fuzzily to a different pattern token (PREDICTIONS.md §4.6). */
public record Anomaly(String observed, String expected, double similarity) {}
