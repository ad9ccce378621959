package io.kato.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one emotive averaging function of ENGINE.md §4.6, used by percept data, affinity and predictions. */
final class Emotives {
  private Emotives() {}

  /**
   * Per key (first-appearance order), the plain left-to-right sum of its values divided by the
   * number of maps that have it. No compensated summation: upstream runs on CPython ≤ 3.11.
   */
  static Map<String, Double> average(List<Map<String, Double>> maps) {
    if (maps.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, double[]> sums = new LinkedHashMap<>();
    for (Map<String, Double> map : maps) {
      for (Map.Entry<String, Double> entry : map.entrySet()) {
        double[] sumAndCount = sums.get(entry.getKey());
        if (sumAndCount == null) {
          sums.put(entry.getKey(), new double[] {entry.getValue(), 1});
        } else {
          sumAndCount[0] += entry.getValue();
          sumAndCount[1] += 1;
        }
      }
    }
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    sums.forEach((key, sumAndCount) -> out.put(key, sumAndCount[0] / sumAndCount[1]));
    return Collections.unmodifiableMap(out);
  }
}
