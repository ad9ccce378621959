package io.kato.worker.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ProtoJson;
import io.kato.engine.FuturePotential;
import io.kato.engine.PerceptData;
import io.kato.engine.Prediction;
import io.kato.engine.StoredPattern;
import io.kato.worker.grpc.EngineProto;
import java.util.List;
import java.util.Map;

/**
 * JSON of engine results for the worker's own JSON answers (ZeroMQ replies, the replay tool):
 * engine → proto ({@link EngineProto}) → {@link ProtoJson}, the one v3 JSON mapping, so these
 * answers are the gateway's byte for byte.
 */
public final class EngineJson {
  private EngineJson() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public static ArrayNode predictions(List<? extends Prediction> predictions) {
    return ProtoJson.predictionList(EngineProto.predictions(predictions));
  }

  public static ArrayNode futurePotentials(List<FuturePotential> futurePotentials) {
    return ProtoJson.futurePotentials(EngineProto.futurePotentials(futurePotentials));
  }

  /** A pattern as {@code GET /pattern} shows it (ENGINE.md §6.3). */
  public static ObjectNode pattern(StoredPattern pattern) {
    return ProtoJson.pattern(EngineProto.pattern(pattern));
  }

  /** Percept data (ENGINE.md §6.4); {@code {}} when the session has none. */
  public static ObjectNode perceptData(PerceptData percept) {
    return percept == null ? NODES.objectNode() : ProtoJson.perceptData(EngineProto.perceptData(percept), true);
  }

  /** Cognition data (ENGINE.md §6.5) from the engine's ordered map. */
  public static ObjectNode cognitionData(Map<String, Object> cognition) {
    ObjectNode o = NODES.objectNode();
    cognition.forEach((key, value) -> {
      JsonNode node = "predictions".equals(key)
          ? predictions(castList(value))
          : JsonValues.toJson(value);
      o.set(key, node);
    });
    return o;
  }

  @SuppressWarnings("unchecked")
  private static List<? extends Prediction> castList(Object value) {
    return (List<? extends Prediction>) value;
  }
}
