package io.kato.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kato.engine.SessionState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit against a live local PostgreSQL, one throwaway schema per test (dropped afterwards). */
class PostgresNodeStoreTest extends NodeStoreContractTest {
  private String schema;

  @Override
  protected NodeStore openStore() {
    String candidate = PostgresTestDatabase.newSchema();
    NodeStore opened = PostgresNodeStore.open(PostgresTestDatabase.options(candidate));
    schema = candidate; // only a schema that was created is dropped afterwards
    return opened;
  }

  @Override
  protected NodeStore reopen(NodeStore closed) {
    return PostgresNodeStore.open(PostgresTestDatabase.options(schema));
  }

  @Override
  protected void cleanUp() throws Exception {
    if (schema != null) {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  @Test
  void schemaIsCreatedOnceAndVersioned() throws Exception {
    int latest = PostgresNodeStore.MIGRATIONS.get(PostgresNodeStore.MIGRATIONS.size() - 1).version();
    assertThat(((PostgresNodeStore) store).schemaVersion()).isEqualTo(latest);
    store.commit("kb", NodeChanges.sessions(List.of(session("session-1", "kb", SessionState.empty())), List.of()));
    restart(); // migrating an up-to-date schema changes nothing
    assertThat(((PostgresNodeStore) store).schemaVersion()).isEqualTo(latest);
    assertThat(store.session("session-1")).isPresent();
    try (Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\".schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(PostgresNodeStore.MIGRATIONS.size());
    }
  }

  @Test
  void refusesASchemaNewerThanItsCode() throws Exception {
    try (Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.password());
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO \"" + schema + "\".schema_version (version, description) VALUES (999, 'future')");
    }
    store.close();
    store = null;
    assertThatThrownBy(() -> PostgresNodeStore.open(PostgresTestDatabase.options(schema)))
        .isInstanceOf(NodeStoreException.class).hasMessageContaining("999");
  }

  @Test
  void unreachableServerFailsWithTheAddress() {
    PostgresStoreOptions nowhere = PostgresStoreOptions.of("jdbc:postgresql://127.0.0.1:1/none", "nobody", null)
        .withConnectTimeout(java.time.Duration.ofMillis(250));
    assertThatThrownBy(() -> PostgresNodeStore.open(nowhere)).isInstanceOf(NodeStoreException.class)
        .hasMessageContaining("127.0.0.1:1");
  }

  @Test
  void schemaNamesAreValidated() {
    assertThatThrownBy(() -> PostgresTestDatabase.options("Robert'); DROP TABLE x;--"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
