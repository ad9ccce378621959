package io.kato.common.json;

import java.util.List;

/** A request body failed validation (HTTP 422 / gRPC INVALID_ARGUMENT); nothing was applied. */
public final class RequestValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<ValidationIssue> issues;

  public RequestValidationException(List<ValidationIssue> issues) {
    super("Request validation failed", null, false, false);
    this.issues = List.copyOf(issues);
  }

  /** Every issue found in the body, in document order. */
  public List<ValidationIssue> issues() {
    return issues;
  }
}
