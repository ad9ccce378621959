package io.kato.engine;

import java.util.List;
import java.util.Map;

/**
 * Description of a session's last observation (ENGINE.md §6.4). {@code path} is always empty.
 *
 * @param strings the observation's strings, always sorted in code point order
 * @param vectors the vectors as received, not summed
 * @param emotives running mean over the session's whole emotive accumulator
 * @param metadata this observation's metadata as received
 */
public record PerceptData(
    List<String> strings, List<double[]> vectors, Map<String, Double> emotives, Map<String, Object> metadata) {}
