package io.kato.worker.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;
import io.kato.common.Limits;
import io.kato.common.json.JsonValues;
import io.kato.common.json.ObservationParser;
import io.kato.common.json.ParsedObservation;
import io.kato.common.json.RequestValidationException;
import io.kato.common.json.ValidationIssue;
import io.kato.engine.EmptyStmException;
import io.kato.engine.GeneValidationException;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Observation;
import io.kato.engine.PredictionResult;
import io.kato.engine.Processor;
import io.kato.engine.SessionState;
import io.kato.engine.StoredPattern;
import io.kato.engine.VectorDimensionException;
import io.kato.worker.json.EngineJson;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs one case of the golden format (spec/golden/README.md) on a fresh in-memory node and
 * returns {@code {"id": ..., "results": [...]}}, each result in exactly the shape of that step's
 * {@code expect}. It never reads {@code expect}: it only runs the engine.
 */
public final class CaseRunner {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The mapper case lines are parsed with (number kinds preserved). */
  public static ObjectMapper mapper() {
    return JsonValues.mapper();
  }

  /** @throws IllegalArgumentException when the case itself is malformed (not a step's input) */
  public ObjectNode run(JsonNode caseNode) {
    if (caseNode == null || !caseNode.isObject()) {
      throw new IllegalArgumentException("a case must be a JSON object");
    }
    JsonNode id = caseNode.get("id");
    if (id == null || !id.isTextual()) {
      throw new IllegalArgumentException("a case needs a string \"id\"");
    }
    JsonNode steps = caseNode.get("steps");
    if (steps == null || !steps.isArray()) {
      throw new IllegalArgumentException("case " + id.textValue() + ": \"steps\" must be an array");
    }
    Processor processor = new Processor(nodeDefaults(caseNode.get("node_defaults")));
    SessionState session = SessionState.empty();
    JsonNode genes = caseNode.get("genes");
    if (genes != null && !genes.isNull()) {
      if (!genes.isObject()) {
        throw new IllegalArgumentException("case " + id.textValue() + ": \"genes\" must be an object");
      }
      session = processor.updateGenes(session, JsonValues.toJavaMap((ObjectNode) genes));
    }
    ArrayNode results = NODES.arrayNode();
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      JsonNode op = step.get("op");
      if (op == null || !op.isTextual()) {
        throw new IllegalArgumentException("case " + id.textValue() + ", step " + i + ": \"op\" must be a string");
      }
      StepOutcome outcome = runStep(processor, session, op.textValue(), step.get("input"));
      session = outcome.session();
      results.add(outcome.result());
    }
    ObjectNode line = NODES.objectNode();
    line.put("id", id.textValue());
    line.set("results", results);
    return line;
  }

  private record StepOutcome(SessionState session, JsonNode result) {}

  private static StepOutcome runStep(Processor processor, SessionState session, String op, JsonNode input) {
    ObjectNode result = NODES.objectNode();
    switch (op) {
      case "set_genes": {
        if (input == null || !input.isObject()) {
          throw new IllegalArgumentException("set_genes needs an object input");
        }
        JsonNode update = input.has("config") && input.get("config").isObject() ? input.get("config") : input;
        try {
          SessionState next = processor.updateGenes(session, JsonValues.toJavaMap((ObjectNode) update));
          result.set("config", JsonValues.toJson(processor.effectiveConfig(next)));
          return new StepOutcome(next, result);
        } catch (GeneValidationException e) {
          ObjectNode error = error(result, ErrorCode.CONFIG_VALIDATION_ERROR);
          error.set("validation_errors", JsonValues.toJson(e.validationErrors()));
          return new StepOutcome(session, result);
        }
      }
      case "observe": {
        try {
          ParsedObservation parsed = ObservationParser.parse(input, List.of("body"), Limits.DEFAULTS);
          Processor.ObserveResult observed = processor.observe(session, new Observation(parsed.strings(),
              parsed.vectors(), parsed.emotives(), parsed.metadata(), "obs-" + uniqueHex()));
          result.put("stm_length", observed.stmLength());
          result.put("time", observed.state().time());
          result.set("auto_learned_pattern", JsonValues.toJson(observed.autoLearnedPattern()));
          return new StepOutcome(observed.state(), result);
        } catch (RequestValidationException e) {
          ObjectNode error = error(result, ErrorCode.VALIDATION_ERROR);
          ArrayNode locations = error.putArray("locations");
          for (ValidationIssue issue : e.issues()) {
            locations.add(JsonValues.toJson(issue.loc()));
          }
          return new StepOutcome(session, result);
        } catch (VectorDimensionException e) {
          error(result, ErrorCode.VECTOR_DIMENSION_ERROR);
          return new StepOutcome(session, result);
        }
      }
      case "learn": {
        try {
          Processor.LearnResult learned = processor.learn(session);
          result.put("pattern_name", learned.patternName());
          return new StepOutcome(learned.state(), result);
        } catch (EmptyStmException e) {
          error(result, ErrorCode.EMPTY_STM).put("detail", e.getMessage());
          return new StepOutcome(session, result);
        }
      }
      case "get_stm":
        result.set("stm", JsonValues.toJson(session.stm()));
        result.put("length", session.stm().size());
        return new StepOutcome(session, result);
      case "predictions": {
        PredictionResult predictions = processor.predictions(session);
        result.set("predictions", EngineJson.predictions(predictions.predictions()));
        result.set("future_potentials", EngineJson.futurePotentials(predictions.futurePotentials()));
        result.put("count", predictions.predictions().size());
        return new StepOutcome(session, result);
      }
      case "get_pattern": {
        JsonNode name = input == null ? null : input.get("name");
        if (name == null || !name.isTextual()) {
          throw new IllegalArgumentException("get_pattern needs {\"name\": string}");
        }
        StoredPattern pattern = processor.pattern(name.textValue());
        ObjectNode body = result.putObject("pattern");
        if (pattern == null) {
          body.put("status", "error");
          body.put("message", "Pattern " + name.textValue() + " not found");
        } else {
          body.put("status", "okay");
          body.set("pattern", EngineJson.pattern(pattern));
        }
        return new StepOutcome(session, result);
      }
      case "clear_stm":
        result.put("status", "cleared");
        return new StepOutcome(processor.clearStm(session), result);
      case "clear_all":
        result.put("status", "cleared");
        result.put("scope", "all");
        return new StepOutcome(processor.clearAll(session), result);
      case "get_percept_data":
        result.set("percept_data", EngineJson.perceptData(session.perceptData()));
        return new StepOutcome(session, result);
      default:
        throw new IllegalArgumentException("unknown op \"" + op + "\"");
    }
  }

  private static ObjectNode error(ObjectNode result, ErrorCode code) {
    ObjectNode error = result.putObject("error");
    error.put("code", code.name());
    return error;
  }

  private static String uniqueHex() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Node defaults from the case's {@code node_defaults} (absent keys: documented defaults). */
  static NodeDefaults nodeDefaults(JsonNode node) {
    NodeDefaults.Builder builder = NodeDefaults.builder();
    if (node == null || node.isNull()) {
      return builder.build();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("\"node_defaults\" must be an object");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "persistence": builder.persistence(intValue(field.getKey(), value)); break;
        case "max_pattern_length": builder.maxPatternLength(intValue(field.getKey(), value)); break;
        case "max_predictions": builder.maxPredictions(intValue(field.getKey(), value)); break;
        case "recall_threshold": builder.recallThreshold(numberValue(field.getKey(), value)); break;
        case "sort_symbols": builder.sortSymbols(booleanValue(field.getKey(), value)); break;
        case "process_predictions": builder.processPredictions(booleanValue(field.getKey(), value)); break;
        case "use_token_matching": builder.useTokenMatching(booleanValue(field.getKey(), value)); break;
        case "rank_sort_algo": builder.rankSortAlgo(textValue(field.getKey(), value)); break;
        case "stm_mode": builder.stmMode(textValue(field.getKey(), value)); break;
        default: throw new IllegalArgumentException("unknown node_defaults key \"" + field.getKey() + "\"");
      }
    }
    return builder.build();
  }

  private static int intValue(String key, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("node_defaults." + key + " must be an integer");
    }
    return value.intValue();
  }

  private static double numberValue(String key, JsonNode value) {
    if (!value.isNumber()) {
      throw new IllegalArgumentException("node_defaults." + key + " must be a number");
    }
    return value.doubleValue();
  }

  private static boolean booleanValue(String key, JsonNode value) {
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("node_defaults." + key + " must be a boolean");
    }
    return value.booleanValue();
  }

  private static String textValue(String key, JsonNode value) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException("node_defaults." + key + " must be a string");
    }
    return value.textValue();
  }
}
