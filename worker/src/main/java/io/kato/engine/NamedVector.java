package io.kato.engine;

/** A percept vector with its {@code VCTR|…} name. */
public record NamedVector(String name, double[] values) {}
