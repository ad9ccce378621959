package io.kato.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} is built from the catalog (API.md §2.1.2, §7). */
class OpenApiRoutesTest {
  private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

  private static List<String> params(String path) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAM.matcher(path);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void header() {
    ObjectNode doc = OpenApiRoutes.document();
    assertThat(doc.get("openapi").textValue()).startsWith("3.");
    assertThat(doc.get("info").get("title").textValue()).isEqualTo("KATO API");
    assertThat(doc.get("info").get("version").textValue()).isEqualTo("3.10.1");
  }

  @Test
  void everyCatalogEntryIsDocumented() {
    JsonNode paths = OpenApiRoutes.document().get("paths");
    for (OpenApiRoutes.Operation o : OpenApiRoutes.CATALOG) {
      JsonNode operation = paths.path(o.path()).path(o.method().toLowerCase(Locale.ROOT));
      assertThat(operation.isObject()).as("%s %s", o.method(), o.path()).isTrue();
      assertThat(operation.get("summary").textValue()).isEqualTo(o.summary());
      assertThat(operation.get("tags").size()).isEqualTo(1);
      assertThat(operation.get("tags").get(0).textValue()).isEqualTo(o.tag());
      assertThat(operation.path("deprecated").asBoolean(false)).isEqualTo(o.deprecated());
      assertThat(operation.get("responses").has("200")).isTrue();
      assertThat(operation.get("responses").has("default")).isTrue();
    }
  }

  @Test
  void nothingBeyondTheCatalog() {
    JsonNode paths = OpenApiRoutes.document().get("paths");
    int operations = 0;
    for (JsonNode path : paths) {
      for (var it = path.fieldNames(); it.hasNext(); ) {
        assertThat(METHODS).contains(it.next());
        operations++;
      }
    }
    assertThat(operations).isEqualTo(OpenApiRoutes.CATALOG.size());
  }

  @Test
  void catalogHasNoDuplicateOperations() {
    Set<String> seen = new HashSet<>();
    for (OpenApiRoutes.Operation o : OpenApiRoutes.CATALOG) {
      assertThat(seen.add(o.method() + " " + o.path())).as("duplicate %s %s", o.method(), o.path()).isTrue();
      assertThat(o.path()).startsWith("/");
      assertThat(METHODS).contains(o.method().toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void operationIdsAreUnique() {
    JsonNode paths = OpenApiRoutes.document().get("paths");
    Set<String> ids = new HashSet<>();
    for (OpenApiRoutes.Operation o : OpenApiRoutes.CATALOG) {
      String id = paths.get(o.path()).get(o.method().toLowerCase(Locale.ROOT)).get("operationId").textValue();
      assertThat(id).isNotBlank().matches("[A-Za-z0-9_]+");
      assertThat(ids.add(id)).as("operationId %s of %s %s is not unique", id, o.method(), o.path()).isTrue();
    }
    assertThat(ids).hasSize(OpenApiRoutes.CATALOG.size());
  }

  @Test
  void pathParametersAreDeclared() {
    JsonNode paths = OpenApiRoutes.document().get("paths");
    int withParams = 0;
    for (OpenApiRoutes.Operation o : OpenApiRoutes.CATALOG) {
      JsonNode operation = paths.get(o.path()).get(o.method().toLowerCase(Locale.ROOT));
      List<String> expected = params(o.path());
      if (expected.isEmpty()) {
        assertThat(operation.has("parameters")).as("%s %s", o.method(), o.path()).isFalse();
        continue;
      }
      withParams++;
      List<String> declared = new ArrayList<>();
      for (JsonNode p : operation.get("parameters")) {
        if (p.get("in").textValue().equals("path")) {
          declared.add(p.get("name").textValue());
          assertThat(p.get("required").booleanValue()).isTrue();
          assertThat(p.get("schema").get("type").textValue()).isEqualTo("string");
        }
      }
      assertThat(declared).as("%s %s", o.method(), o.path()).containsExactlyElementsOf(expected);
    }
    assertThat(withParams).isGreaterThan(10);
  }

  @Test
  void coreV3RoutesAreInTheCatalog() {
    Set<String> routes = new HashSet<>();
    OpenApiRoutes.CATALOG.forEach(o -> routes.add(o.method() + " " + o.path()));
    assertThat(routes).contains("POST /sessions", "GET /sessions/count", "GET /sessions/{session_id}",
        "DELETE /sessions/{session_id}", "GET /sessions/{session_id}/exists", "POST /sessions/{session_id}/config",
        "POST /sessions/{session_id}/extend", "POST /sessions/{session_id}/observe",
        "POST /sessions/{session_id}/observe-sequence", "POST /sessions/{session_id}/learn",
        "GET /sessions/{session_id}/predictions", "GET /pattern/{pattern_id}", "GET /health", "GET /status",
        "GET /metrics", "GET /openapi.json", "POST /workers", "GET /nodes/{node_id}", "PUT /nodes/{node_id}/pin");
  }
}
