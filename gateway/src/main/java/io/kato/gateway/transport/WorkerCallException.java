package io.kato.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.ErrorCode;

/**
 * A worker call that ended in an error: the API error code the worker named (or the
 * transport's own, e.g. {@link ErrorCode#WORKER_UNAVAILABLE} when nothing was sent), its
 * message and details. {@code applied} says whether the request may have taken effect: only
 * {@code false} allows an answer clients retry (API.md §1.4.4 retry safety).
 */
public final class WorkerCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Outcome { NOT_APPLIED, REJECTED, UNKNOWN }

  private final ErrorCode code;
  private final transient ObjectNode details;
  private final Outcome outcome;

  public WorkerCallException(ErrorCode code, String message, ObjectNode details, Outcome outcome) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
    this.outcome = outcome;
  }

  public ErrorCode code() {
    return code;
  }

  /** The error's details object ({@code error.details}); never null. */
  public ObjectNode details() {
    return details;
  }

  /** NOT_APPLIED: never reached the engine; REJECTED: the worker refused it; UNKNOWN: sent, no answer. */
  public Outcome outcome() {
    return outcome;
  }
}
