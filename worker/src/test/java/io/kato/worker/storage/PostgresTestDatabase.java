package io.kato.worker.storage;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The local PostgreSQL the tests use ({@code KATO_TEST_PG_URL}, {@code KATO_TEST_PG_USER}, {@code
 * KATO_TEST_PG_PASSWORD}; by default {@code postgres@127.0.0.1:5432/test}, without a password,
 * else with {@code postgres}). Tests that need it fail, never skip, when it cannot be reached.
 */
public final class PostgresTestDatabase {
  private PostgresTestDatabase() {}

  public static final String URL = env("KATO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String USER = env("KATO_TEST_PG_USER", "postgres");

  private static final String HOW_TO_START = "start it with: pg_ctlcluster --skip-systemctl-redirect "
      + "$(ls /etc/postgresql) main start (or KATO_CI_SERVICES=postgres bash .ci/services.sh); if password "
      + "authentication fails: su postgres -c \"psql -c \\\"ALTER USER postgres PASSWORD 'postgres'\\\"\"";

  private static String password;
  private static boolean resolved;

  /** A fresh throwaway schema name. */
  public static String newSchema() {
    return "kato_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  static PostgresStoreOptions options(String schema) {
    return new PostgresStoreOptions(URL, USER, password(), schema, 4, PostgresStoreOptions.DEFAULT_CONNECT_TIMEOUT);
  }

  /** The password that logs in: none (trust) or the configured one; fails the test when neither does. */
  public static synchronized String password() {
    if (resolved) {
      return password;
    }
    String configured = System.getenv("KATO_TEST_PG_PASSWORD");
    SQLException first = null;
    for (String candidate : configured != null ? new String[] {configured} : new String[] {null, "postgres"}) {
      try (Connection ignored = connect(candidate)) {
        password = candidate;
        resolved = true;
        return candidate;
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        }
        if (!isAuthenticationFailure(e)) {
          break;
        }
      }
    }
    return fail("PostgreSQL is needed by this test and cannot be reached at " + URL + " as " + USER + ": "
        + first.getMessage() + "\n" + HOW_TO_START, first);
  }

  public static void dropSchema(String schema) throws SQLException {
    try (Connection c = connect(password()); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }

  static Connection connect(String candidatePassword) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    if (candidatePassword != null) {
      properties.setProperty("password", candidatePassword);
    }
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(URL, properties);
  }

  private static boolean isAuthenticationFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("28P01") || state.equals("28000"))
        || e.getMessage() != null && e.getMessage().contains("password");
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
