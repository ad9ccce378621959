package io.kato.worker.storage;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which store a worker uses and how to reach it; {@link NodeStoreFactory#open} builds it.
 *
 * @param kind memory, rocksdb or postgres
 * @param dataDir the worker's data directory (rocksdb only; RocksDB lives in {@code
 *     <dataDir>/rocksdb}), else null
 * @param postgres connection settings (postgres only), else null
 */
public record NodeStoreOptions(Kind kind, Path dataDir, PostgresStoreOptions postgres) {

  /** The store implementations, by their command-line names. */
  public enum Kind {
    MEMORY, ROCKSDB, POSTGRES;

    /** {@code memory}, {@code rocksdb} or {@code postgres} (case-insensitive). */
    public static Kind parse(String name) {
      for (Kind kind : values()) {
        if (kind.cliName().equalsIgnoreCase(name.trim())) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown store kind '" + name + "': use memory, rocksdb or postgres");
    }

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public NodeStoreOptions {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.ROCKSDB && dataDir == null) {
      throw new IllegalArgumentException("the rocksdb store needs a data directory");
    }
    if (kind == Kind.POSTGRES && postgres == null) {
      throw new IllegalArgumentException("the postgres store needs a JDBC URL, user and schema");
    }
  }

  public static NodeStoreOptions memory() {
    return new NodeStoreOptions(Kind.MEMORY, null, null);
  }

  public static NodeStoreOptions rocksDb(Path dataDir) {
    return new NodeStoreOptions(Kind.ROCKSDB, dataDir, null);
  }

  public static NodeStoreOptions postgres(PostgresStoreOptions postgres) {
    return new NodeStoreOptions(Kind.POSTGRES, null, postgres);
  }
}
