package io.kato.gateway.registry;

import io.kato.common.ErrorCode;

/** A registry request refused with an API error code (unknown worker, invalid record, old generation). */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public RegistryException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
