package io.kato.worker.storage;

import java.nio.file.Path;

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
        return RocksDbNodeStore.open(options.dataDir());
      case POSTGRES:
        return PostgresNodeStore.open(options.postgres());
      default:
        throw new IllegalStateException("unknown store kind " + options.kind());
    }
  }

  /**
   * Opens the store named on the command line ({@code memory}, {@code rocksdb}, {@code
   * postgres}); the settings of the other kinds are ignored, PostgreSQL uses schema {@value
   * PostgresStoreOptions#DEFAULT_SCHEMA}.
   *
   * @param pgPassword null or empty for trust authentication
   */
  public static NodeStore open(String kind, Path dataDir, String pgUrl, String pgUser, String pgPassword) {
    switch (NodeStoreOptions.Kind.parse(kind)) {
      case MEMORY:
        return open(NodeStoreOptions.memory());
      case ROCKSDB:
        return open(NodeStoreOptions.rocksDb(dataDir));
      default:
        return open(NodeStoreOptions.postgres(PostgresStoreOptions.of(pgUrl, pgUser,
            pgPassword == null || pgPassword.isEmpty() ? null : pgPassword)));
    }
  }
}
