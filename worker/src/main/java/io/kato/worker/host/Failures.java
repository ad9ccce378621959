package io.kato.worker.host;

import io.kato.common.ErrorCode;
import io.kato.common.json.RequestValidationException;
import io.kato.common.json.ValidationIssue;
import io.kato.engine.EmptyStmException;
import io.kato.engine.GeneValidationException;
import io.kato.engine.VectorDimensionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every failure a worker call can end with, described once as (code, message, details, field
 * issues); the gRPC and ZeroMQ endpoints only encode it.
 */
public record Failures(ErrorCode code, String message, Map<String, Object> details, List<ValidationIssue> issues) {

  public static Failures describe(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HostException) {
      HostException e = (HostException) t;
      return new Failures(e.code(), e.getMessage(), e.details(), List.of());
    }
    if (t instanceof RequestValidationException) {
      return new Failures(ErrorCode.VALIDATION_ERROR, "Request validation failed", Map.of(),
          ((RequestValidationException) t).issues());
    }
    if (t instanceof GeneValidationException) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("error", "Configuration validation failed");
      details.put("validation_errors", ((GeneValidationException) t).validationErrors());
      return new Failures(ErrorCode.CONFIG_VALIDATION_ERROR, "Configuration validation failed", details, List.of());
    }
    if (t instanceof EmptyStmException) {
      return new Failures(ErrorCode.EMPTY_STM, t.getMessage(), Map.of(), List.of());
    }
    if (t instanceof VectorDimensionException) {
      VectorDimensionException e = (VectorDimensionException) t;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("error", "VectorDimensionError");
      details.put("message", e.getMessage());
      details.put("expected_dimension", (long) e.expectedDimension());
      details.put("actual_dimension", (long) e.actualDimension());
      details.put("vector_name", e.vectorName());
      if (e.observationIndex() >= 0) {
        details.put("observation_index", (long) e.observationIndex());
      }
      return new Failures(ErrorCode.VECTOR_DIMENSION_ERROR, e.getMessage(), details, List.of());
    }
    return new Failures(ErrorCode.INTERNAL_ERROR, "Internal Server Error", Map.of(), List.of());
  }
}
