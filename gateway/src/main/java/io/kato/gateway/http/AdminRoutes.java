package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.json.JsonValues;
import io.kato.common.json.LaxScalars;
import io.kato.common.json.ValidationIssue;
import io.kato.gateway.registry.RegistryException;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.routing.NodeHandOver;
import io.kato.gateway.routing.NodePlacement;
import io.kato.proto.v1.RegisterRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The registry and placement admin routes (API.md §6.2). */
public final class AdminRoutes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final HttpSupport http;
  private final WorkerRegistry registry;
  private final NodePlacement placement;

  private final NodeHandOver handOver;

  public AdminRoutes(HttpSupport http, WorkerRegistry registry, NodePlacement placement, NodeHandOver handOver) {
    this.handOver = handOver;
    this.http = http;
    this.registry = registry;
    this.placement = placement;
  }

  public void register(Router router) {
    http.attach(router);
    router.post("/workers").handler(this::registerWorker);
    router.get("/workers").handler(this::list);
    router.get("/workers/:worker_id").handler(ctx -> guarded(ctx, () ->
        record(registry.get(ctx.pathParam("worker_id")).orElseThrow(() -> notFound(ctx)))));
    router.delete("/workers/:worker_id").handler(ctx -> guarded(ctx, () -> {
      if (!registry.deregister(ctx.pathParam("worker_id"))) {
        throw notFound(ctx);
      }
      return NODES.objectNode().put("status", "deregistered").put("worker_id", ctx.pathParam("worker_id"));
    }));
    router.post("/workers/:worker_id/heartbeat").handler(ctx -> guarded(ctx, () -> {
      JsonNode body = http.optionalBody(ctx);
      long generation = body == null ? 0 : body.path("generation").asLong(0);
      Worker w = registry.heartbeat(ctx.pathParam("worker_id"), generation);
      return NODES.objectNode().put("status", "okay").put("worker_id", w.workerId()).put("state", w.state().wireName())
          .put("generation", w.generation());
    }));
    router.post("/workers/:worker_id/drain").handler(ctx -> guarded(ctx, () -> {
      Worker draining = registry.drain(ctx.pathParam("worker_id"));
      handOver.drain(draining); // in the background: GET /nodes/{id} shows "moving" until each is done
      return record(draining);
    }));
    router.get("/nodes/:node_id").handler(ctx -> http.ok(ctx, placement.describe(ctx.pathParam("node_id"))));
    router.put("/nodes/:node_id/pin").handler(ctx -> guarded(ctx, () -> {
      JsonNode body = requireObject(http.body(ctx, true));
      List<ValidationIssue> issues = new ArrayList<>();
      String workerId = requiredString(body, "worker_id", issues);
      if (workerId == null) {
        throw ApiError.validation(issues);
      }
      registry.get(workerId).orElseThrow(() -> ApiError.of(ErrorCode.WORKER_NOT_FOUND,
          "Worker " + workerId + " not found"));
      placement.pin(ctx.pathParam("node_id"), workerId);
      return placement.describe(ctx.pathParam("node_id"));
    }));
    router.delete("/nodes/:node_id/pin").handler(ctx -> guarded(ctx, () -> {
      placement.unpin(ctx.pathParam("node_id"));
      return placement.describe(ctx.pathParam("node_id"));
    }));
  }

  private ObjectNode record(Worker w) {
    return w.toJson(placement.nodeCounts().getOrDefault(w.workerId(), 0L));
  }

  private void list(RoutingContext ctx) {
    ObjectNode o = NODES.objectNode();
    ArrayNode workers = o.putArray("workers");
    registry.all().forEach(w -> workers.add(record(w)));
    o.put("count", workers.size());
    o.put("live", registry.liveCount());
    http.ok(ctx, o);
  }

  private void registerWorker(RoutingContext ctx) {
    guarded(ctx, () -> {
      JsonNode body = requireObject(http.body(ctx, true));
      return record(registry.register(registration(body), false));
    });
  }

  /** The writable fields of a worker record (§6.2) as a registration. */
  static RegisterRequest registration(JsonNode body) {
    List<ValidationIssue> issues = new ArrayList<>();
    RegisterRequest.Builder b = RegisterRequest.newBuilder();
    String id = requiredString(body, "worker_id", issues);
    if (id != null) {
      b.setWorkerId(id);
    }
    for (String field : List.of("transport", "grpc_address", "zmq_address", "version")) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull()) {
        String text = LaxScalars.string(value, List.of("body", field), issues);
        if (text != null) {
          switch (field) {
            case "transport": b.setTransport(text); break;
            case "grpc_address": b.setGrpcAddress(text); break;
            case "zmq_address": b.setZmqAddress(text); break;
            default: b.setVersion(text);
          }
        }
      }
    }
    if (body.has("capacity") && !body.get("capacity").isNull()) {
      Long capacity = LaxScalars.integer(body.get("capacity"), List.of("body", "capacity"), issues);
      if (capacity != null) {
        LaxScalars.atLeast(capacity, 1, List.of("body", "capacity"), issues);
        b.setCapacity(capacity);
      }
    }
    JsonNode processors = body.get("processors");
    if (processors != null && !processors.isNull()) {
      if (!processors.isArray()) {
        issues.add(new ValidationIssue("list_type", List.of("body", "processors"), "Input should be a valid list",
            JsonValues.toJava(processors), null));
      } else {
        for (int i = 0; i < processors.size(); i++) {
          String p = LaxScalars.string(processors.get(i), List.of("body", "processors", i), issues);
          if (p != null) {
            b.addProcessors(p);
          }
        }
      }
    }
    if (body.has("exclusive") && !body.get("exclusive").isNull()) {
      Boolean exclusive = LaxScalars.bool(body.get("exclusive"), List.of("body", "exclusive"), issues);
      b.setExclusive(exclusive != null && exclusive);
    }
    JsonNode labels = body.get("labels");
    if (labels != null && labels.isObject()) {
      labels.fields().forEachRemaining((Map.Entry<String, JsonNode> e) -> b.putLabels(e.getKey(), e.getValue().asText()));
    }
    if (!issues.isEmpty()) {
      throw ApiError.validation(issues);
    }
    return b.build();
  }

  private static JsonNode requireObject(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.validation(List.of(new ValidationIssue("model_attributes_type", List.of("body"),
          "Input should be a valid dictionary or object to extract fields from", JsonValues.toJava(body), null)));
    }
    return body;
  }

  /** A required string field: {@code missing} when absent (API.md 1.2), {@code string_type} when not a string. */
  private static String requiredString(JsonNode body, String field, List<ValidationIssue> issues) {
    JsonNode value = body.get(field);
    if (value == null) {
      issues.add(new ValidationIssue("missing", List.of("body", field), "Field required", null, null));
      return null;
    }
    return LaxScalars.string(value, List.of("body", field), issues);
  }

  private ApiError notFound(RoutingContext ctx) {
    return ApiError.of(ErrorCode.WORKER_NOT_FOUND, "Worker " + ctx.pathParam("worker_id") + " not found");
  }

  private interface Action {
    JsonNode run();
  }

  private void guarded(RoutingContext ctx, Action action) {
    try {
      http.ok(ctx, action.run());
    } catch (RegistryException e) {
      ErrorCode code = e.code() == ErrorCode.STALE_EPOCH ? ErrorCode.CONFLICT : e.code();
      if (code == ErrorCode.VALIDATION_ERROR) {
        http.send(ctx, ApiError.validation(List.of(new ValidationIssue("value_error", List.of("body"),
            e.getMessage(), null, null))));
      } else {
        http.send(ctx, ApiError.of(code, e.getMessage()));
      }
    } catch (RuntimeException e) {
      http.fail(ctx, e, true);
    }
  }
}
