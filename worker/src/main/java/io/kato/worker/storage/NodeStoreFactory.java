package io.kato.worker.storage;

/** Builds the configured {@link NodeStore}. */
public final class NodeStoreFactory {
  private NodeStoreFactory() {}

  /**
   * Opens the store; a durable one is ready (directory locked, schema migrated) on return.
   *
   * @throws NodeStoreException when a durable store cannot be opened
   */
  public static NodeStore open(NodeStoreOptions options) {
    switch (options.kind()) {
      case MEMORY:
        return new MemoryNodeStore();
      case ROCKSDB:
        return RocksDbNodeStore.open(options.dataDir(), options.durability());
      case POSTGRES:
        return PostgresNodeStore.open(options.postgres());
      default:
        throw new IllegalStateException("unknown store kind " + options.kind());
    }
  }
}
