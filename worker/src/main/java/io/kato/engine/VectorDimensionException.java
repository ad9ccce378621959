package io.kato.engine;

/**
 * An observation's vector length differs from the node's dimension or from another vector of the
 * same observation (project decision D-4). The observation changed nothing.
 */
public final class VectorDimensionException extends EngineException {
  private static final long serialVersionUID = 1L;
  private final int expectedDimension;
  private final int actualDimension;
  private final String vectorName;
  /** Position in an observe-sequence, or -1 for a single observation. */
  private final int observationIndex;

  public VectorDimensionException(int expectedDimension, int actualDimension, String vectorName) {
    this(expectedDimension, actualDimension, vectorName, -1);
  }

  public VectorDimensionException(int expectedDimension, int actualDimension, String vectorName,
      int observationIndex) {
    super("Vector dimension mismatch: expected " + expectedDimension + "D, got " + actualDimension
        + "D for vector '" + vectorName + "'");
    this.expectedDimension = expectedDimension;
    this.actualDimension = actualDimension;
    this.vectorName = vectorName;
    this.observationIndex = observationIndex;
  }

  public int observationIndex() { return observationIndex; }

  public int expectedDimension() { return expectedDimension; }

  public int actualDimension() { return actualDimension; }

  public String vectorName() { return vectorName; }
}
