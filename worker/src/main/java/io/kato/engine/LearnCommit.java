package io.kato.engine;

import java.util.List;
import java.util.Map;

/**
 * Everything one learn changes in a knowledge base, computed by the engine and applied by the
 * store atomically (one write batch / transaction), so that a crash never leaves half a learn.
 *
 * @param name bare pattern hash
 * @param events the learned STM (used when the pattern is new)
 * @param frequency the pattern's frequency after this learn (1 when new)
 * @param emotives the pattern's emotive window after this learn
 * @param metadata the pattern's metadata after this learn
 * @param affinityDelta averaged emotives to add to the affinity of every distinct symbol; empty
 *     when the learn carried no emotives
 */
public record LearnCommit(
    String name,
    List<List<String>> events,
    int frequency,
    List<Map<String, Double>> emotives,
    Map<String, List<String>> metadata,
    Map<String, Double> affinityDelta) {}
