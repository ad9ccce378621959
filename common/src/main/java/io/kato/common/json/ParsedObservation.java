package io.kato.common.json;

import java.util.List;
import java.util.Map;

/**
 * An observe body after validation and lax coercion: vector components and emotive values are
 * doubles, metadata keeps its JSON values, key order is preserved.
 */
public record ParsedObservation(
    List<String> strings, List<double[]> vectors, Map<String, Double> emotives, Map<String, Object> metadata) {}
