package io.kato.worker.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kato.engine.NamedVector;
import io.kato.engine.StoredPattern;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared store: PostgreSQL through a HikariCP pool. Any worker can load any node, which is
 * what lets the survivors take over a dead worker's nodes.
 *
 * <h2>Schema</h2>
 *
 * All tables live in one schema ({@link PostgresStoreOptions#schema()}), created or migrated on
 * start: {@code schema_version} records the applied {@link #MIGRATIONS}, which run in one
 * transaction under an advisory lock, so workers starting together migrate once. Records are
 * {@link StoredValues} bytes ({@code bytea}, not {@code jsonb}, which would reorder keys and
 * reformat numbers); symbols are keyed by their exact {@link Wtf8} bytes, because {@code text}
 * can hold neither NUL nor a lone surrogate.
 *
 * <pre>
 * node_meta        (kb_id PK, vector_dimension, updated_at)       lists the node in nodeIds()
 * patterns         (kb_id, seq) PK, name UNIQUE per kb, record
 * affinities       (kb_id, symbol bytea) PK, record
 * vectors          (kb_id, name) PK, ord identity (insertion order), record
 * deferred_vectors (kb_id, pos) PK, record
 * sessions         (session_id PK, kb_id, expires_at, record), indexed by kb_id and expires_at
 * </pre>
 *
 * <h2>Commit</h2>
 *
 * One transaction per commit (statements batched per table), durable when {@code COMMIT}
 * returns with the server's default {@code synchronous_commit=on}. An observe is one session
 * upsert, plus one row when it deferred a vector (only the tail of the deferred list is written,
 * see {@link CommittedNode}). A commit that consists of a single statement runs it in
 * auto-commit mode, which is the same one-statement transaction without the separate {@code
 * COMMIT} round trip.
 */
public final class PostgresNodeStore implements NodeStore {
  /** One schema migration: its DDL, with {@code {s}} standing for the quoted schema name. */
  record Migration(int version, String description, List<String> statements) {}

  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "node_meta, patterns, affinities, vectors, deferred_vectors, sessions", List.of(
          "CREATE TABLE {s}.node_meta (kb_id text PRIMARY KEY, vector_dimension integer NOT NULL,"
              + " updated_at timestamptz NOT NULL DEFAULT now())",
          "CREATE TABLE {s}.patterns (kb_id text NOT NULL, seq integer NOT NULL, name text NOT NULL,"
              + " record bytea NOT NULL, PRIMARY KEY (kb_id, seq), UNIQUE (kb_id, name))",
          "CREATE TABLE {s}.affinities (kb_id text NOT NULL, symbol bytea NOT NULL, record bytea NOT NULL,"
              + " PRIMARY KEY (kb_id, symbol))",
          "CREATE TABLE {s}.vectors (kb_id text NOT NULL, name text NOT NULL,"
              + " ord bigint GENERATED ALWAYS AS IDENTITY, record bytea NOT NULL, PRIMARY KEY (kb_id, name))",
          "CREATE INDEX vectors_by_order ON {s}.vectors (kb_id, ord)",
          "CREATE TABLE {s}.deferred_vectors (kb_id text NOT NULL, pos integer NOT NULL, record bytea NOT NULL,"
              + " PRIMARY KEY (kb_id, pos))",
          "CREATE TABLE {s}.sessions (session_id text PRIMARY KEY, kb_id text NOT NULL,"
              + " expires_at timestamptz NOT NULL, record bytea NOT NULL)",
          "CREATE INDEX sessions_by_kb ON {s}.sessions (kb_id)",
          "CREATE INDEX sessions_by_expiry ON {s}.sessions (expires_at)")));

  private final PostgresStoreOptions options;
  private final HikariDataSource pool;
  private final Sql sql;
  private final Map<String, CommittedNode> committed = new ConcurrentHashMap<>();

  private PostgresNodeStore(PostgresStoreOptions options, HikariDataSource pool) {
    this.options = options;
    this.pool = pool;
    this.sql = new Sql("\"" + options.schema() + "\"");
  }

  /**
   * Connects, then creates or migrates the schema.
   *
   * @throws NodeStoreException when the server cannot be reached or the schema is newer than
   *     this code
   */
  public static PostgresNodeStore open(PostgresStoreOptions options) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(options.jdbcUrl());
    config.setUsername(options.user());
    if (options.password() != null) {
      config.setPassword(options.password());
    }
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(1);
    config.setPoolName("kato-store-" + options.schema());
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setInitializationFailTimeout(options.connectTimeout().toMillis());
    config.addDataSourceProperty("ApplicationName", "kato-worker");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new NodeStoreException("cannot connect to PostgreSQL (" + options + "): " + rootMessage(e), e);
    }
    PostgresNodeStore store = new PostgresNodeStore(options, pool);
    try {
      store.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }

  public PostgresStoreOptions options() {
    return options;
  }

  /** The schema version after start-up migration. */
  public int schemaVersion() {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + sql.schema + ".schema_version")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw failure("reading the schema version", e);
    }
  }

  private void migrate() {
    int latest = MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
          Statement st = c.createStatement()) {
        lock.setString(1, "kato-node-store:" + options.schema());
        lock.execute();
        st.execute("CREATE SCHEMA IF NOT EXISTS " + sql.schema);
        st.execute("CREATE TABLE IF NOT EXISTS " + sql.schema + ".schema_version (version integer PRIMARY KEY,"
            + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        int current;
        try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + sql.schema
            + ".schema_version")) {
          rs.next();
          current = rs.getInt(1);
        }
        if (current > latest) {
          throw new NodeStoreException("schema " + options.schema() + " is at version " + current
              + ", newer than this worker's " + latest + ": upgrade the worker");
        }
        for (Migration migration : MIGRATIONS) {
          if (migration.version() <= current) {
            continue;
          }
          for (String ddl : migration.statements()) {
            st.execute(ddl.replace("{s}", sql.schema));
          }
          try (PreparedStatement record = c.prepareStatement("INSERT INTO " + sql.schema
              + ".schema_version (version, description) VALUES (?, ?)")) {
            record.setInt(1, migration.version());
            record.setString(2, migration.description());
            record.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("migrating schema " + options.schema(), e);
    }
  }

  // ---- reads ----------------------------------------------------------------------------------

  @Override
  public NodeSnapshot load(String kbId) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        Integer dimension = null;
        try (PreparedStatement st = c.prepareStatement(sql.selectMeta)) {
          st.setString(1, kbId);
          try (ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
              dimension = rs.getInt(1);
            }
          }
        }
        List<StoredPattern> patterns = new ArrayList<>();
        query(c, sql.selectPatterns, kbId, rs -> patterns.add(StoredValues.decodePattern(rs.getBytes(1))));
        Map<String, Map<String, Double>> affinities = new LinkedHashMap<>();
        query(c, sql.selectAffinities, kbId, rs ->
            affinities.put(Wtf8.decode(rs.getBytes(1)), StoredValues.decodeAffinities(rs.getBytes(2))));
        List<NamedVector> vectors = new ArrayList<>();
        query(c, sql.selectVectors, kbId, rs -> vectors.add(StoredValues.decodeVector(rs.getBytes(1))));
        List<NamedVector> deferred = new ArrayList<>();
        query(c, sql.selectDeferred, kbId, rs -> deferred.add(StoredValues.decodeVector(rs.getBytes(1))));
        List<SessionRecord> sessions = new ArrayList<>();
        query(c, sql.selectNodeSessions, kbId, rs -> sessions.add(StoredValues.decodeSession(rs.getBytes(1))));
        c.commit();
        sessions.sort(Comparator.comparing(SessionRecord::sessionId));

        CommittedNode node = committed.computeIfAbsent(kbId, k -> new CommittedNode());
        node.registered = dimension != null;
        List<NamedVector> deferredCopy = List.copyOf(deferred);
        node.deferredVectors = deferredCopy;
        return new NodeSnapshot(List.copyOf(patterns), Collections.unmodifiableMap(affinities),
            List.copyOf(vectors), dimension == null ? -1 : dimension, deferredCopy, List.copyOf(sessions));
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("loading node " + kbId, e);
    }
  }

  @Override
  public Optional<SessionRecord> session(String sessionId) {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql.selectSession)) {
      st.setString(1, sessionId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(StoredValues.decodeSession(rs.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("reading session " + sessionId, e);
    }
  }

  @Override
  public boolean contains(String kbId) {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql.selectMeta)) {
      st.setString(1, kbId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw failure("reading node " + kbId, e);
    }
  }

  @Override
  public List<String> nodeIds() {
    TreeSet<String> ids = new TreeSet<>();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql.selectNodeIds)) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure("listing nodes", e);
    }
    return List.copyOf(ids);
  }

  // ---- commit ---------------------------------------------------------------------------------

  @Override
  public void commit(String kbId, NodeChanges changes) {
    if (changes.isEmpty()) {
      return;
    }
    CommittedNode node = committed.computeIfAbsent(kbId, k -> new CommittedNode());
    List<NamedVector> deferred = changes.clearAll() ? List.of() : node.deferredVectors;
    List<NamedVector> nextDeferred = changes.deferredVectors();
    int appendFrom = nextDeferred == null ? -1 : CommittedNode.appendFrom(deferred, nextDeferred);
    boolean writesDimension = changes.clearAll() || !changes.indexedVectors().isEmpty();
    boolean writesMeta = writesDimension || !node.registered;

    try (Connection c = pool.getConnection()) {
      int rowWrites = changes.sessionsPut().size() + changes.sessionsDeleted().size()
          + (nextDeferred == null ? 0 : appendFrom < 0 ? 2 : nextDeferred.size() - appendFrom);
      boolean single = rowWrites == 1 && !writesMeta && !changes.clearAll() && changes.patterns().isEmpty()
          && changes.affinities().isEmpty() && changes.indexedVectors().isEmpty();
      c.setAutoCommit(single);
      try {
        if (changes.clearAll()) {
          for (String delete : sql.deleteKnowledge) {
            try (PreparedStatement st = c.prepareStatement(delete)) {
              st.setString(1, kbId);
              st.executeUpdate();
            }
          }
        }
        if (!changes.patterns().isEmpty()) {
          try (PreparedStatement st = c.prepareStatement(sql.upsertPattern)) {
            for (StoredPattern pattern : changes.patterns()) {
              st.setString(1, kbId);
              st.setInt(2, pattern.sequence());
              st.setString(3, pattern.name());
              st.setBytes(4, StoredValues.encodePattern(pattern));
              st.addBatch();
            }
            st.executeBatch();
          }
        }
        if (!changes.affinities().isEmpty()) {
          try (PreparedStatement st = c.prepareStatement(sql.upsertAffinity)) {
            for (Map.Entry<String, Map<String, Double>> entry : changes.affinities().entrySet()) {
              st.setString(1, kbId);
              st.setBytes(2, Wtf8.encode(entry.getKey()));
              st.setBytes(3, StoredValues.encodeAffinities(entry.getValue()));
              st.addBatch();
            }
            st.executeBatch();
          }
        }
        if (!changes.indexedVectors().isEmpty()) {
          try (PreparedStatement st = c.prepareStatement(sql.upsertVector)) {
            for (NamedVector vector : changes.indexedVectors()) {
              st.setString(1, kbId);
              st.setString(2, vector.name());
              st.setBytes(3, StoredValues.encodeVector(vector));
              st.addBatch();
            }
            st.executeBatch();
          }
        }
        if (nextDeferred != null) {
          int from = appendFrom;
          if (from < 0) {
            try (PreparedStatement st = c.prepareStatement(sql.deleteDeferredFrom)) {
              st.setString(1, kbId);
              st.setInt(2, nextDeferred.size());
              st.executeUpdate();
            }
            from = 0;
          }
          if (from < nextDeferred.size()) {
            try (PreparedStatement st = c.prepareStatement(sql.upsertDeferred)) {
              for (int i = from; i < nextDeferred.size(); i++) {
                st.setString(1, kbId);
                st.setInt(2, i);
                st.setBytes(3, StoredValues.encodeVector(nextDeferred.get(i)));
                st.addBatch();
              }
              st.executeBatch();
            }
          }
        }
        if (writesMeta) {
          try (PreparedStatement st = c.prepareStatement(writesDimension ? sql.upsertMeta : sql.registerMeta)) {
            st.setString(1, kbId);
            st.setInt(2, writesDimension ? changes.vectorDimension() : -1);
            st.executeUpdate();
          }
        }
        if (!changes.sessionsPut().isEmpty()) {
          try (PreparedStatement st = c.prepareStatement(sql.upsertSession)) {
            for (SessionRecord session : changes.sessionsPut()) {
              st.setString(1, session.sessionId());
              st.setString(2, session.kbId());
              st.setObject(3, OffsetDateTime.ofInstant(session.expiresAt(), ZoneOffset.UTC));
              st.setBytes(4, StoredValues.encodeSession(session));
              st.addBatch();
            }
            st.executeBatch();
          }
        }
        if (!changes.sessionsDeleted().isEmpty()) {
          try (PreparedStatement st = c.prepareStatement(sql.deleteSession)) {
            for (String sessionId : changes.sessionsDeleted()) {
              st.setString(1, sessionId);
              st.addBatch();
            }
            st.executeBatch();
          }
        }
        if (!single) {
          c.commit();
        }
      } catch (SQLException | RuntimeException e) {
        if (!single) {
          c.rollback();
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure("committing node " + kbId, e);
    }
    node.registered = true;
    if (nextDeferred != null) {
      node.deferredVectors = List.copyOf(nextDeferred);
    } else if (changes.clearAll()) {
      node.deferredVectors = List.of();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  @FunctionalInterface
  private interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void query(Connection c, String query, String kbId, RowHandler handler) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(query)) {
      st.setFetchSize(1000);
      st.setString(1, kbId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          handler.accept(rs);
        }
      }
    }
  }

  private NodeStoreException failure(String what, SQLException e) {
    return new NodeStoreException("PostgreSQL failure " + what + " (schema " + options.schema() + "): "
        + e.getMessage(), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public String kind() {
    return "postgres";
  }

  @Override
  public void close() {
    pool.close();
  }

  /** The statements, with the schema filled in. */
  private static final class Sql {
    final String schema;
    final String selectMeta;
    final String selectPatterns;
    final String selectAffinities;
    final String selectVectors;
    final String selectDeferred;
    final String selectNodeSessions;
    final String selectSession;
    final String selectNodeIds;
    final List<String> deleteKnowledge;
    final String upsertPattern;
    final String upsertAffinity;
    final String upsertVector;
    final String deleteDeferredFrom;
    final String upsertDeferred;
    final String upsertMeta;
    final String registerMeta;
    final String upsertSession;
    final String deleteSession;

    Sql(String s) {
      schema = s;
      selectMeta = "SELECT vector_dimension FROM " + s + ".node_meta WHERE kb_id = ?";
      selectPatterns = "SELECT record FROM " + s + ".patterns WHERE kb_id = ? ORDER BY seq";
      selectAffinities = "SELECT symbol, record FROM " + s + ".affinities WHERE kb_id = ?";
      selectVectors = "SELECT record FROM " + s + ".vectors WHERE kb_id = ? ORDER BY ord";
      selectDeferred = "SELECT record FROM " + s + ".deferred_vectors WHERE kb_id = ? ORDER BY pos";
      selectNodeSessions = "SELECT record FROM " + s + ".sessions WHERE kb_id = ?";
      selectSession = "SELECT record FROM " + s + ".sessions WHERE session_id = ?";
      selectNodeIds = "SELECT kb_id FROM " + s + ".node_meta";
      deleteKnowledge = List.of(
          "DELETE FROM " + s + ".patterns WHERE kb_id = ?",
          "DELETE FROM " + s + ".affinities WHERE kb_id = ?",
          "DELETE FROM " + s + ".vectors WHERE kb_id = ?",
          "DELETE FROM " + s + ".deferred_vectors WHERE kb_id = ?");
      upsertPattern = "INSERT INTO " + s + ".patterns (kb_id, seq, name, record) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (kb_id, seq) DO UPDATE SET name = EXCLUDED.name, record = EXCLUDED.record";
      upsertAffinity = "INSERT INTO " + s + ".affinities (kb_id, symbol, record) VALUES (?, ?, ?)"
          + " ON CONFLICT (kb_id, symbol) DO UPDATE SET record = EXCLUDED.record";
      upsertVector = "INSERT INTO " + s + ".vectors (kb_id, name, record) VALUES (?, ?, ?)"
          + " ON CONFLICT (kb_id, name) DO UPDATE SET record = EXCLUDED.record";
      deleteDeferredFrom = "DELETE FROM " + s + ".deferred_vectors WHERE kb_id = ? AND pos >= ?";
      upsertDeferred = "INSERT INTO " + s + ".deferred_vectors (kb_id, pos, record) VALUES (?, ?, ?)"
          + " ON CONFLICT (kb_id, pos) DO UPDATE SET record = EXCLUDED.record";
      upsertMeta = "INSERT INTO " + s + ".node_meta (kb_id, vector_dimension) VALUES (?, ?)"
          + " ON CONFLICT (kb_id) DO UPDATE SET vector_dimension = EXCLUDED.vector_dimension, updated_at = now()";
      registerMeta = "INSERT INTO " + s + ".node_meta (kb_id, vector_dimension) VALUES (?, ?)"
          + " ON CONFLICT (kb_id) DO NOTHING";
      upsertSession = "INSERT INTO " + s + ".sessions (session_id, kb_id, expires_at, record) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (session_id) DO UPDATE SET kb_id = EXCLUDED.kb_id, expires_at = EXCLUDED.expires_at,"
          + " record = EXCLUDED.record";
      deleteSession = "DELETE FROM " + s + ".sessions WHERE session_id = ?";
    }
  }
}
