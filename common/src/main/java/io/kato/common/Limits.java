package io.kato.common;

/**
 * The one set of input limits, enforced the same on HTTP, WebSocket, gRPC and ZeroMQ
 * (API.md §1.6). Defaults are deliberately generous (the v3 suite sends 1,000 strings in one
 * observation and 768-dimensional vectors).
 */
public record Limits(
    int maxMessageBytes,
    int maxSymbolsPerEvent,
    int maxSymbolLength,
    int maxVectorsPerEvent,
    int maxVectorDimension,
    int maxEmotives,
    int maxSequenceObservations,
    int maxNodeIdLength,
    int maxSessionIdLength) {

  public static final Limits DEFAULTS = new Limits(16 * 1024 * 1024, 10_000, 65_536, 1_024, 65_536, 1_024,
      10_000, 1_024, 256);
}
