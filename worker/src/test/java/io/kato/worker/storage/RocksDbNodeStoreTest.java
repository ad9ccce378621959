package io.kato.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kato.engine.SessionState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbNodeStoreTest extends NodeStoreContractTest {
  @TempDir Path dataDir;

  @Override
  protected NodeStore openStore() {
    return RocksDbNodeStore.open(dataDir);
  }

  @Override
  protected NodeStore reopen(NodeStore closed) {
    return RocksDbNodeStore.open(dataDir);
  }

  @Test
  void oneProcessOwnsTheDirectory() {
    assertThatThrownBy(() -> RocksDbNodeStore.open(dataDir)).isInstanceOf(NodeStoreException.class)
        .hasMessageContaining("lock");
  }

  @Test
  void closedStoreRefusesWork() {
    store.close();
    assertThatThrownBy(() -> store.load("kb")).isInstanceOf(IllegalStateException.class);
    store = null;
  }

  @Test
  void factoryOpensTheDataDirectory() throws Exception {
    store.commit("kb", NodeChanges.sessions(List.of(session("session-1", "kb", SessionState.empty())), List.of()));
    store.close();
    store = NodeStoreFactory.open(NodeStoreOptions.rocksDb(dataDir));
    assertThat(store.kind()).isEqualTo("rocksdb");
    assertThat(store.session("session-1")).isPresent();
  }
}
