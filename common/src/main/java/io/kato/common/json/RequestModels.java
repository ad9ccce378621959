package io.kato.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.Limits;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The v3 request models (API.md §2.2.1, §2.2.7, §2.2.8, §2.3.1, §2.3.2) read from JSON into
 * the worker's proto requests, with every issue of a body collected and reported together
 * ({@link RequestValidationException}). Routing fields (session id, epoch, request id) are
 * left to the caller.
 */
public final class RequestModels {
  private RequestModels() {}

  private static final Pattern CLIENT_SESSION_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,256}");
  private static final List<Object> BODY = List.of("body");

  /** {@code POST /sessions}; {@code userIdAlias} accepts seed-003's {@code user_id} (§3.4). */
  public static CreateSessionRequest createSession(JsonNode body, Limits limits, boolean userIdAlias) {
    List<ValidationIssue> issues = new ArrayList<>();
    requireObject(body, issues);
    CreateSessionRequest.Builder out = CreateSessionRequest.newBuilder();
    JsonNode nodeId = body.get("node_id");
    if (nodeId == null && userIdAlias) {
      nodeId = body.get("user_id");
    }
    if (nodeId == null) {
      issues.add(ValidationIssue.of(IssueType.MISSING, at("node_id"), null));
    } else {
      String id = LaxScalars.string(nodeId, at("node_id"), issues);
      if (id != null) {
        tooLong(id, limits.maxNodeIdLength(), at("node_id"), issues);
        out.setNodeId(id);
      }
    }
    JsonNode config = body.get("config");
    if (config != null && !config.isNull()) {
      out.setConfig(map(config, at("config"), issues));
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      out.setMetadata(map(metadata, at("metadata"), issues));
    }
    JsonNode ttl = body.get("ttl_seconds");
    if (ttl != null && !ttl.isNull()) {
      Long seconds = LaxScalars.integer(ttl, at("ttl_seconds"), issues);
      if (seconds != null) {
        LaxScalars.atLeast(seconds, 0, at("ttl_seconds"), issues);
        out.setTtlSeconds(seconds);
      }
    }
    JsonNode sessionId = body.get("session_id");
    if (sessionId != null && !sessionId.isNull()) {
      String id = LaxScalars.string(sessionId, at("session_id"), issues);
      if (id != null && (!CLIENT_SESSION_ID.matcher(id).matches() || id.startsWith("__node__:"))) {
        issues.add(new ValidationIssue("string_pattern_mismatch", at("session_id"),
            "String should match pattern '^[A-Za-z0-9._:@-]{1,256}$' and not start with '__node__:'", id,
            Map.of("pattern", "^[A-Za-z0-9._:@-]{1,256}$")));
      } else if (id != null) {
        out.setSessionId(id);
      }
    }
    throwIfAny(issues);
    return out.build();
  }

  /** An observe body ({@code ObservationData}); {@code unique_id} is read when asked for. */
  public static Observation observation(JsonNode body, List<Object> prefix, Limits limits, boolean readUniqueId,
      List<ValidationIssue> issues) {
    int before = issues.size();
    ParsedObservation parsed = ObservationParser.parse(body, prefix, issues);
    if (issues.size() == before) {
      ObservationParser.checkLimits(parsed, prefix, limits, issues);
    }
    if (issues.size() != before) {
      return null;
    }
    Observation.Builder out = Observation.newBuilder().addAllStrings(parsed.strings());
    for (double[] v : parsed.vectors()) {
      Vector.Builder vector = Vector.newBuilder();
      for (double d : v) {
        vector.addValues(d);
      }
      out.addVectors(vector);
    }
    parsed.emotives().forEach((k, v) -> out.addEmotives(Emotive.newBuilder().setName(k).setValue(v)));
    out.setMetadata(ProtoValues.toProtoMap(parsed.metadata()));
    if (readUniqueId) {
      JsonNode uniqueId = body.get("unique_id");
      if (uniqueId != null && !uniqueId.isNull()) {
        String id = LaxScalars.string(uniqueId, path(prefix, "unique_id"), issues);
        if (id == null) {
          return null;
        }
        out.setUniqueId(id);
      }
    }
    return out.build();
  }

  /** {@code POST /sessions/{id}/observe}. */
  public static Observation observe(JsonNode body, Limits limits, boolean readUniqueId) {
    List<ValidationIssue> issues = new ArrayList<>();
    Observation observation = observation(body, BODY, limits, readUniqueId, issues);
    throwIfAny(issues);
    return observation;
  }

  /** {@code POST /sessions/{id}/observe-sequence}: the whole sequence is checked before anything runs. */
  public static ObserveSequenceRequest observeSequence(JsonNode body, Limits limits) {
    List<ValidationIssue> issues = new ArrayList<>();
    requireObject(body, issues);
    ObserveSequenceRequest.Builder out = ObserveSequenceRequest.newBuilder();
    JsonNode observations = body.get("observations");
    if (observations == null) {
      issues.add(ValidationIssue.of(IssueType.MISSING, at("observations"), null));
    } else if (!observations.isArray()) {
      issues.add(ValidationIssue.of(IssueType.LIST_TYPE, at("observations"), JsonValues.toJava(observations)));
    } else if (observations.size() > limits.maxSequenceObservations()) {
      issues.add(new ValidationIssue("too_long", at("observations"), "List should have at most "
          + limits.maxSequenceObservations() + " items", "<omitted: " + observations.size() + " items>",
          Map.of("max_length", (long) limits.maxSequenceObservations())));
    } else {
      for (int i = 0; i < observations.size(); i++) {
        Observation o = observation(observations.get(i), List.of("body", "observations", i), limits, true, issues);
        if (o != null) {
          out.addObservations(o);
        }
      }
    }
    out.setLearnAfterEach(flag(body, "learn_after_each", issues));
    out.setLearnAtEnd(flag(body, "learn_at_end", issues));
    out.setClearStmBetween(flag(body, "clear_stm_between", issues));
    throwIfAny(issues);
    return out.build();
  }

  /**
   * {@code POST /sessions/{id}/config}: {@code {"config": {...}}} or the bare map (§2.2.7). The
   * values are checked strictly by the worker.
   */
  public static MapValue configUpdate(JsonNode body) {
    List<ValidationIssue> issues = new ArrayList<>();
    if (body == null || !body.isObject()) {
      issues.add(ValidationIssue.of(IssueType.DICT_TYPE, BODY, JsonValues.toJava(body)));
      throw new RequestValidationException(issues);
    }
    JsonNode update = body;
    if (body.has("config")) {
      JsonNode config = body.get("config");
      if (!config.isObject()) {
        issues.add(ValidationIssue.of(IssueType.DICT_TYPE, at("config"), JsonValues.toJava(config)));
        throw new RequestValidationException(issues);
      }
      update = config;
    }
    return ProtoValues.toProtoMap(JsonValues.toJavaMap((ObjectNode) update));
  }

  /**
   * {@code ttl_seconds} of {@code POST /sessions/{id}/extend}: the query parameter, else a body
   * field [ext], else 3600; at least 1.
   */
  public static long extendTtl(String query, JsonNode body) {
    List<ValidationIssue> issues = new ArrayList<>();
    Long ttl = 3600L;
    List<Object> loc = List.of("query", "ttl_seconds");
    if (query != null) {
      ttl = LaxScalars.integer(JsonValues.mapper().getNodeFactory().textNode(query), loc, issues);
    } else if (body != null && body.isObject() && body.has("ttl_seconds")) {
      loc = at("ttl_seconds");
      ttl = LaxScalars.integer(body.get("ttl_seconds"), loc, issues);
    }
    if (ttl != null) {
      LaxScalars.atLeast(ttl, 1, loc, issues);
    }
    throwIfAny(issues);
    return ttl;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static boolean flag(JsonNode body, String field, List<ValidationIssue> issues) {
    JsonNode node = body == null ? null : body.get(field);
    if (node == null) {
      return false;
    }
    Boolean value = LaxScalars.bool(node, at(field), issues);
    return value != null && value;
  }

  private static MapValue map(JsonNode node, List<Object> loc, List<ValidationIssue> issues) {
    if (!node.isObject()) {
      issues.add(ValidationIssue.of(IssueType.DICT_TYPE, loc, JsonValues.toJava(node)));
      return MapValue.getDefaultInstance();
    }
    return ProtoValues.toProtoMap(JsonValues.toJavaMap((ObjectNode) node));
  }

  private static void requireObject(JsonNode body, List<ValidationIssue> issues) {
    if (body == null || !body.isObject()) {
      issues.add(ValidationIssue.of(IssueType.MODEL_ATTRIBUTES_TYPE, BODY, JsonValues.toJava(body)));
      throw new RequestValidationException(issues);
    }
  }

  private static void tooLong(String value, int max, List<Object> loc, List<ValidationIssue> issues) {
    int length = value.codePointCount(0, value.length());
    if (length > max) {
      issues.add(new ValidationIssue("too_long", loc, "String should have at most " + max + " characters",
          "<omitted: " + length + " characters>", Map.of("max_length", (long) max)));
    }
  }

  private static void throwIfAny(List<ValidationIssue> issues) {
    if (!issues.isEmpty()) {
      throw new RequestValidationException(issues);
    }
  }

  private static List<Object> at(String field) {
    return List.of("body", field);
  }

  private static List<Object> path(List<Object> prefix, Object next) {
    List<Object> out = new ArrayList<>(prefix);
    out.add(next);
    return out;
  }
}
