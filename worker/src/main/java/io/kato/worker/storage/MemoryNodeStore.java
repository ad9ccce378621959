package io.kato.worker.storage;

import io.kato.engine.NamedVector;
import io.kato.engine.StoredPattern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A store that keeps everything in the heap: for tests, and for {@code --store memory} (nothing
 * survives the process). Records are kept as given (they are immutable); one lock makes every
 * commit atomic with respect to every read.
 */
public final class MemoryNodeStore implements NodeStore {
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, SessionRecord> sessions = new HashMap<>();
  private boolean closed;

  /** One node's records. */
  private static final class Node {
    final TreeMap<Integer, StoredPattern> patternsBySequence = new TreeMap<>();
    final Map<String, Integer> sequenceByName = new HashMap<>();
    final Map<String, Map<String, Double>> affinities = new LinkedHashMap<>();
    final LinkedHashMap<String, NamedVector> vectors = new LinkedHashMap<>();
    int vectorDimension = -1;
    List<NamedVector> deferredVectors = List.of();
    final TreeSet<String> sessionIds = new TreeSet<>();

    void clearKnowledge() {
      patternsBySequence.clear();
      sequenceByName.clear();
      affinities.clear();
      vectors.clear();
      vectorDimension = -1;
      deferredVectors = List.of();
    }
  }

  @Override
  public synchronized NodeSnapshot load(String kbId) {
    ensureOpen();
    Node node = nodes.get(kbId);
    if (node == null) {
      return NodeSnapshot.empty();
    }
    List<SessionRecord> nodeSessions = new ArrayList<>(node.sessionIds.size());
    for (String id : node.sessionIds) {
      nodeSessions.add(sessions.get(id));
    }
    return new NodeSnapshot(List.copyOf(node.patternsBySequence.values()),
        Collections.unmodifiableMap(new LinkedHashMap<>(node.affinities)), List.copyOf(node.vectors.values()),
        node.vectorDimension, node.deferredVectors, List.copyOf(nodeSessions));
  }

  @Override
  public synchronized void commit(String kbId, NodeChanges changes) {
    ensureOpen();
    if (changes.isEmpty()) {
      return;
    }
    Node node = nodes.computeIfAbsent(kbId, k -> new Node());
    if (changes.clearAll()) {
      node.clearKnowledge();
    }
    for (StoredPattern pattern : changes.patterns()) {
      Integer previous = node.sequenceByName.put(pattern.name(), pattern.sequence());
      if (previous != null && previous != pattern.sequence()) {
        node.patternsBySequence.remove(previous);
      }
      node.patternsBySequence.put(pattern.sequence(), pattern);
    }
    node.affinities.putAll(changes.affinities());
    for (NamedVector vector : changes.indexedVectors()) {
      node.vectors.put(vector.name(), vector);
    }
    if (changes.clearAll() || !changes.indexedVectors().isEmpty()) {
      node.vectorDimension = changes.vectorDimension();
    }
    if (changes.deferredVectors() != null) {
      node.deferredVectors = List.copyOf(changes.deferredVectors());
    }
    for (SessionRecord session : changes.sessionsPut()) {
      SessionRecord previous = sessions.put(session.sessionId(), session);
      if (previous != null && !previous.kbId().equals(session.kbId())) {
        Node old = nodes.get(previous.kbId());
        if (old != null) {
          old.sessionIds.remove(session.sessionId());
        }
      }
      nodes.computeIfAbsent(session.kbId(), k -> new Node()).sessionIds.add(session.sessionId());
    }
    for (String id : changes.sessionsDeleted()) {
      SessionRecord previous = sessions.remove(id);
      if (previous != null) {
        Node owner = nodes.get(previous.kbId());
        if (owner != null) {
          owner.sessionIds.remove(id);
        }
      }
    }
  }

  @Override
  public synchronized Optional<SessionRecord> session(String sessionId) {
    ensureOpen();
    return Optional.ofNullable(sessions.get(sessionId));
  }

  @Override
  public synchronized boolean contains(String kbId) {
    ensureOpen();
    return nodes.containsKey(kbId);
  }

  @Override
  public synchronized List<String> nodeIds() {
    ensureOpen();
    return List.copyOf(new TreeSet<>(nodes.keySet()));
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the memory node store is closed");
    }
  }
}
