package io.kato.worker.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Connection settings of {@link PostgresNodeStore}.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/kato}
 * @param user database user
 * @param password the user's password, or null (trust or peer authentication)
 * @param schema the schema holding the store's tables, created when missing; a lower-case SQL
 *     identifier, so that tests can use a throwaway one ({@code kato_test_<random>})
 * @param poolSize maximum connections (commits of different nodes run in parallel)
 * @param connectTimeout how long opening the store and borrowing a connection may wait for the
 *     server (at least 250 ms)
 */
public record PostgresStoreOptions(String jdbcUrl, String user, String password, String schema, int poolSize,
    Duration connectTimeout) {
  public static final String DEFAULT_SCHEMA = "kato";
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public PostgresStoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(schema, "schema");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema must match " + IDENTIFIER.pattern() + ": " + schema);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connectTimeout must be at least 250 ms: " + connectTimeout);
    }
  }

  public static PostgresStoreOptions of(String jdbcUrl, String user, String password) {
    return new PostgresStoreOptions(jdbcUrl, user, password, DEFAULT_SCHEMA, DEFAULT_POOL_SIZE,
        DEFAULT_CONNECT_TIMEOUT);
  }

  public PostgresStoreOptions withSchema(String nextSchema) {
    return new PostgresStoreOptions(jdbcUrl, user, password, nextSchema, poolSize, connectTimeout);
  }

  public PostgresStoreOptions withPoolSize(int nextPoolSize) {
    return new PostgresStoreOptions(jdbcUrl, user, password, schema, nextPoolSize, connectTimeout);
  }

  public PostgresStoreOptions withConnectTimeout(Duration nextConnectTimeout) {
    return new PostgresStoreOptions(jdbcUrl, user, password, schema, poolSize, nextConnectTimeout);
  }

  @Override
  public String toString() {
    return "PostgresStoreOptions[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
        + (password == null ? "none" : "***") + ", schema=" + schema + ", poolSize=" + poolSize
        + ", connectTimeout=" + connectTimeout + "]";
  }
}
