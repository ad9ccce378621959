package io.kato.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A gene update was rejected; nothing was applied. Carries upstream's per-key messages. */
public final class GeneValidationException extends EngineException {
  private static final long serialVersionUID = 1L;
  private final Map<String, String> validationErrors;

  public GeneValidationException(LinkedHashMap<String, String> validationErrors) {
    super("Configuration validation failed");
    this.validationErrors = Collections.unmodifiableMap(new LinkedHashMap<>(validationErrors));
  }

  /** Key → message, e.g. {@code recall_threshold → Must be a number between 0.0 and 1.0}. */
  public Map<String, String> validationErrors() {
    return validationErrors;
  }
}
