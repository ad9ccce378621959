package io.kato.engine;

/**
 * Base of every rejection the engine raises. A rejected operation changes no state. The layers
 * above map each subclass to one error code of the wire protocols.
 */
public abstract class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected EngineException(String message) {
    super(message, null, false, false);
  }
}
