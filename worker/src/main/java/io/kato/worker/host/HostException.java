package io.kato.worker.host;

import io.kato.common.ErrorCode;
import java.util.Map;

/** A request the host refuses, with its error code of API.md §1.4.4; nothing was changed. */
public final class HostException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final transient Map<String, Object> details;

  public HostException(ErrorCode code, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.code = code;
    this.details = Map.copyOf(details);
  }

  public HostException(ErrorCode code, String message) {
    this(code, message, Map.of());
  }

  public ErrorCode code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }

  static HostException sessionNotFound(String sessionId) {
    return new HostException(ErrorCode.SESSION_NOT_FOUND, "Session " + sessionId + " not found or expired",
        Map.of("session_id", sessionId));
  }
}
