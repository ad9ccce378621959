package io.kato.engine;

import java.util.Arrays;

/** A growable list of primitive ints (posting lists), without boxing. */
final class IntList {
  private int[] values = new int[4];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  void addAll(IntList other) {
    if (size + other.size > values.length) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, size + other.size));
    }
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
  }

  int get(int index) {
    return values[index];
  }

  int size() {
    return size;
  }

  /** {@code counts[v] += weight} for every value {@code v} of the list. */
  void addWeightTo(int[] counts, int weight) {
    int[] v = values;
    for (int i = 0, n = size; i < n; i++) {
      counts[v[i]] += weight;
    }
  }

  int[] toSortedDistinctArray() {
    int[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    int n = 0;
    for (int i = 0; i < copy.length; i++) {
      if (i == 0 || copy[i] != copy[i - 1]) {
        copy[n++] = copy[i];
      }
    }
    return Arrays.copyOf(copy, n);
  }
}
