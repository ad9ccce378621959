package io.kato.engine;

/** A manual learn was asked for while the session's STM is empty. */
public final class EmptyStmException extends EngineException {
  private static final long serialVersionUID = 1L;

  public EmptyStmException() {
    super("Cannot learn from empty STM");
  }
}
