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
 * @param durability what an acknowledged commit survives (rocksdb; PostgreSQL's is the server's own
 *     {@code synchronous_commit}, the memory store keeps nothing)
 */
public record NodeStoreOptions(Kind kind, Path dataDir, PostgresStoreOptions postgres, Durability durability) {

  /** What a commit survives once the worker has answered it. */
  public enum Durability {
    /** The write-ahead log is synced to disk before the answer: a crash of the machine loses nothing. */
    FSYNC,
    /**
     * The write-ahead log is written (to the operating system) before the answer, and synced by
     * the OS later: a crash or kill of the worker process loses nothing (what ARCHITECTURE.md
     * asks of every store), a crash of the machine may lose the last moments.
     */
    PROCESS;

    /** {@code fsync} or {@code process} (case-insensitive). */
    public static Durability parse(String name) {
      for (Durability d : values()) {
        if (d.name().equalsIgnoreCase(name.trim())) {
          return d;
        }
      }
      throw new IllegalArgumentException("unknown durability '" + name + "': use fsync or process");
    }
  }

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
    Objects.requireNonNull(durability, "durability");
    if (kind == Kind.ROCKSDB && dataDir == null) {
      throw new IllegalArgumentException("the rocksdb store needs a data directory");
    }
    if (kind == Kind.POSTGRES && postgres == null) {
      throw new IllegalArgumentException("the postgres store needs a JDBC URL, user and schema");
    }
  }

  public static NodeStoreOptions memory() {
    return new NodeStoreOptions(Kind.MEMORY, null, null, Durability.FSYNC);
  }

  public static NodeStoreOptions rocksDb(Path dataDir) {
    return rocksDb(dataDir, Durability.FSYNC);
  }

  public static NodeStoreOptions rocksDb(Path dataDir, Durability durability) {
    return new NodeStoreOptions(Kind.ROCKSDB, dataDir, null, durability);
  }

  public static NodeStoreOptions postgres(PostgresStoreOptions postgres) {
    return new NodeStoreOptions(Kind.POSTGRES, null, postgres, Durability.FSYNC);
  }
}
