package io.kato.common;

/**
 * The one error-code enum of every wire protocol (API.md §1.4.4): the code, its HTTP status and
 * its gRPC status name. HTTP, gRPC and ZeroMQ errors are all built from it.
 */
public enum ErrorCode {
  VALIDATION_ERROR(422, "INVALID_ARGUMENT"),
  BAD_REQUEST(400, "INVALID_ARGUMENT"),
  EMPTY_STM(400, "FAILED_PRECONDITION"),
  CONFIG_VALIDATION_ERROR(400, "INVALID_ARGUMENT"),
  VECTOR_DIMENSION_ERROR(400, "INVALID_ARGUMENT"),
  UNAUTHORIZED(401, "UNAUTHENTICATED"),
  FORBIDDEN(403, "PERMISSION_DENIED"),
  SESSION_NOT_FOUND(404, "NOT_FOUND"),
  NOT_FOUND(404, "NOT_FOUND"),
  PATTERN_NOT_FOUND(404, "NOT_FOUND"),
  UNKNOWN_GENE(404, "NOT_FOUND"),
  METRIC_NOT_FOUND(404, "NOT_FOUND"),
  PROCESSOR_NOT_FOUND(404, "NOT_FOUND"),
  WORKER_NOT_FOUND(404, "NOT_FOUND"),
  METHOD_NOT_ALLOWED(405, "UNIMPLEMENTED"),
  SESSION_EXISTS(409, "ALREADY_EXISTS"),
  CONFLICT(409, "ABORTED"),
  IDEMPOTENCY_KEY_REUSED(409, "ABORTED"),
  PAYLOAD_TOO_LARGE(413, "RESOURCE_EXHAUSTED"),
  URI_TOO_LONG(414, "INVALID_ARGUMENT"),
  HEADERS_TOO_LARGE(431, "INVALID_ARGUMENT"),
  TOO_MANY_REQUESTS(429, "RESOURCE_EXHAUSTED"),
  INTERNAL_ERROR(500, "INTERNAL"),
  WORKER_ERROR(502, "INTERNAL"),
  OVERLOADED(503, "RESOURCE_EXHAUSTED"),
  WORKER_UNAVAILABLE(503, "UNAVAILABLE"),
  NOT_READY(503, "UNAVAILABLE"),
  METRICS_UNAVAILABLE(503, "UNAVAILABLE"),
  GATEWAY_TIMEOUT(504, "DEADLINE_EXCEEDED"),
  /** Internal only: a worker fenced an old assignment epoch; never shown to HTTP clients. */
  STALE_EPOCH(-1, "FAILED_PRECONDITION"),
  /** ZeroMQ only: unknown method. */
  UNKNOWN_METHOD(-1, "UNIMPLEMENTED");

  private final int httpStatus;
  private final String grpcStatus;

  ErrorCode(int httpStatus, String grpcStatus) {
    this.httpStatus = httpStatus;
    this.grpcStatus = grpcStatus;
  }

  /** The HTTP status, or -1 for codes that never reach HTTP. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Name of the {@code io.grpc.Status.Code} this code maps to. */
  public String grpcStatus() {
    return grpcStatus;
  }
}
