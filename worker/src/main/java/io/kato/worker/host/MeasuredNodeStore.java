package io.kato.worker.host;

import io.kato.worker.storage.NodeChanges;
import io.kato.worker.storage.NodeSnapshot;
import io.kato.worker.storage.NodeStore;
import io.kato.worker.storage.SessionRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The host's store, measured: every storage call the host makes is counted and timed, failures
 * counted apart, for the worker's statistics (the gateway's per-store figures of API.md §2.5.3).
 * The caller keeps owning the store: closing is left to it.
 */
final class MeasuredNodeStore implements NodeStore {
  /** Storage calls since start: count, failures, mean duration. */
  record Totals(long operations, long errors, double averageSeconds) {}

  private final NodeStore store;
  private final LongAdder operations = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  MeasuredNodeStore(NodeStore store) {
    this.store = store;
  }

  Totals totals() {
    long count = operations.sum();
    return new Totals(count, errors.sum(), count == 0 ? 0.0 : nanos.sum() / 1e9 / count);
  }

  private <T> T measured(Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (RuntimeException e) {
      errors.increment();
      throw e;
    } finally {
      nanos.add(System.nanoTime() - start);
      operations.increment();
    }
  }

  @Override
  public NodeSnapshot load(String kbId) {
    return measured(() -> store.load(kbId));
  }

  @Override
  public void commit(String kbId, NodeChanges changes) {
    measured(() -> {
      store.commit(kbId, changes);
      return null;
    });
  }

  @Override
  public boolean groupsCommits() {
    return store.groupsCommits();
  }

  @Override
  public boolean shared() {
    return store.shared();
  }

  @Override
  public void commitAll(String kbId, List<NodeChanges> batch) {
    measured(() -> {
      store.commitAll(kbId, batch);
      return null;
    });
  }

  @Override
  public Optional<SessionRecord> session(String sessionId) {
    return measured(() -> store.session(sessionId));
  }

  @Override
  public boolean contains(String kbId) {
    return measured(() -> store.contains(kbId));
  }

  @Override
  public List<String> nodeIds() {
    return measured(store::nodeIds);
  }

  @Override
  public String kind() {
    return store.kind();
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("the host does not own its store");
  }
}
