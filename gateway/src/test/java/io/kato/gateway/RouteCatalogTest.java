package io.kato.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.gateway.http.OpenApiRoutes;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The OpenAPI document lists exactly the routes the router serves (API.md §2.1.2). */
class RouteCatalogTest {

  @Test
  void theDocumentedRoutesAreTheServedRoutes() {
    GatewayOptions defaults = GatewayOptions.defaults(0);
    GatewayOptions options = new GatewayOptions("127.0.0.1", 0, defaults.serviceName(), defaults.defaultNode(),
        defaults.limits(), defaults.heartbeatInterval(), defaults.heartbeatMisses(), defaults.grpcDeadline(), false,
        true, true, List.of(), defaults.placementWait(), "", defaults.apiKeys(), defaults.idempotencyKeep(), 2);
    GatewayServer server = GatewayServer.start(options);
    try {
      List<String> documented = OpenApiRoutes.CATALOG.stream().map(o -> o.method() + " " + o.path())
          .collect(Collectors.toList());
      assertThat(server.routes()).containsExactlyInAnyOrderElementsOf(documented);
    } finally {
      server.close();
    }
  }
}
