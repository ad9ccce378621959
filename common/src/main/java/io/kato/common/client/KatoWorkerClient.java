package io.kato.common.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kato.proto.v1.ClearResponse;
import io.kato.proto.v1.CognitionDataResponse;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.DeleteSessionResponse;
import io.kato.proto.v1.ExtendSessionRequest;
import io.kato.proto.v1.ExtendSessionResponse;
import io.kato.proto.v1.FinalizeTrainingResponse;
import io.kato.proto.v1.GetPatternRequest;
import io.kato.proto.v1.GetPatternResponse;
import io.kato.proto.v1.LearnResponse;
import io.kato.proto.v1.NodeRequest;
import io.kato.proto.v1.NodeStatus;
import io.kato.proto.v1.ObserveRequest;
import io.kato.proto.v1.ObserveResponse;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.ObserveSequenceResponse;
import io.kato.proto.v1.PerceptDataResponse;
import io.kato.proto.v1.PredictionsResponse;
import io.kato.proto.v1.ProcessorGrpc;
import io.kato.proto.v1.SessionConfigResponse;
import io.kato.proto.v1.SessionInfo;
import io.kato.proto.v1.SessionRequest;
import io.kato.proto.v1.StmResponse;
import io.kato.proto.v1.UpdateSessionConfigRequest;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A blocking Java client of a worker's {@code kato.v1.Processor} service.
 *
 * <p>Every call has a deadline. Calls are retried on UNAVAILABLE and DEADLINE_EXCEEDED when that
 * is safe: reads always, mutations because the client gives each one a {@code request_id} (kept
 * across retries) that the worker de-duplicates, so a retried observe is applied once.
 * Errors surface as {@link StatusRuntimeException}s carrying the worker's status and details.
 *
 * <p>Needs a gRPC transport on the class path (e.g. {@code io.grpc:grpc-netty-shaded}) for
 * {@link #connect}; or pass your own channel.
 */
public final class KatoWorkerClient implements AutoCloseable {
  private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  private final ManagedChannel channel;
  private final ProcessorGrpc.ProcessorBlockingStub stub;
  private final Duration deadline;
  private final int maxAttempts;
  private final Duration initialBackoff;

  public KatoWorkerClient(ManagedChannel channel, Duration deadline, int maxAttempts, Duration initialBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    this.channel = channel;
    this.stub = ProcessorGrpc.newBlockingStub(channel);
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
  }

  /** A plaintext client with a 10 s deadline and up to 3 attempts. */
  public static KatoWorkerClient connect(String host, int port) {
    return new KatoWorkerClient(ManagedChannelBuilder.forAddress(host, port).usePlaintext()
        .maxInboundMessageSize(16 * 1024 * 1024).build(), Duration.ofSeconds(10), 3, Duration.ofMillis(100));
  }

  public SessionInfo createSession(CreateSessionRequest request) {
    CreateSessionRequest r = request.getRequestId().isEmpty() ? request.toBuilder().setRequestId(newRequestId()).build()
        : request;
    return call(s -> s.createSession(r));
  }

  public SessionInfo getSession(String sessionId) {
    return call(s -> s.getSession(session(sessionId)));
  }

  public ExtendSessionResponse extendSession(String sessionId, long ttlSeconds) {
    ExtendSessionRequest r = ExtendSessionRequest.newBuilder().setSessionId(sessionId).setTtlSeconds(ttlSeconds)
        .setRequestId(newRequestId()).build();
    return call(s -> s.extendSession(r));
  }

  public DeleteSessionResponse deleteSession(String sessionId) {
    SessionRequest r = mutation(sessionId);
    return call(s -> s.deleteSession(r));
  }

  public SessionConfigResponse updateSessionConfig(UpdateSessionConfigRequest request) {
    UpdateSessionConfigRequest r = request.getRequestId().isEmpty()
        ? request.toBuilder().setRequestId(newRequestId()).build() : request;
    return call(s -> s.updateSessionConfig(r));
  }

  public ObserveResponse observe(ObserveRequest request) {
    ObserveRequest r = request.getRequestId().isEmpty() ? request.toBuilder().setRequestId(newRequestId()).build()
        : request;
    return call(s -> s.observe(r));
  }

  public ObserveSequenceResponse observeSequence(ObserveSequenceRequest request) {
    ObserveSequenceRequest r = request.getRequestId().isEmpty()
        ? request.toBuilder().setRequestId(newRequestId()).build() : request;
    return call(s -> s.observeSequence(r));
  }

  public LearnResponse learn(String sessionId) {
    SessionRequest r = mutation(sessionId);
    return call(s -> s.learn(r));
  }

  public StmResponse getStm(String sessionId) {
    return call(s -> s.getStm(session(sessionId)));
  }

  public PredictionsResponse getPredictions(String sessionId) {
    return call(s -> s.getPredictions(session(sessionId)));
  }

  public ClearResponse clearStm(String sessionId) {
    SessionRequest r = mutation(sessionId);
    return call(s -> s.clearStm(r));
  }

  public ClearResponse clearAll(String sessionId) {
    SessionRequest r = mutation(sessionId);
    return call(s -> s.clearAll(r));
  }

  public GetPatternResponse getPattern(String nodeId, String patternId) {
    return call(s -> s.getPattern(GetPatternRequest.newBuilder().setNodeId(nodeId).setPatternId(patternId).build()));
  }

  public PerceptDataResponse getPerceptData(String sessionId) {
    return call(s -> s.getPerceptData(session(sessionId)));
  }

  public CognitionDataResponse getCognitionData(String sessionId) {
    return call(s -> s.getCognitionData(session(sessionId)));
  }

  public FinalizeTrainingResponse finalizeTraining(String sessionId) {
    SessionRequest r = mutation(sessionId);
    return call(s -> s.finalizeTraining(r));
  }

  public NodeStatus getNodeStatus(String nodeId) {
    return call(s -> s.getNodeStatus(NodeRequest.newBuilder().setNodeId(nodeId).build()));
  }

  /** Whether a session exists and on which node; never slides its TTL. */
  public io.kato.proto.v1.SessionLookup lookupSession(String sessionId) {
    return call(s -> s.lookupSession(session(sessionId)));
  }

  public io.kato.proto.v1.SymbolStatsResponse getSymbolStats(String nodeId) {
    return call(s -> s.getSymbolStats(NodeRequest.newBuilder().setNodeId(nodeId).build()));
  }

  public io.kato.proto.v1.SymbolAffinitiesResponse getSymbolAffinities(String nodeId) {
    return call(s -> s.getSymbolAffinities(NodeRequest.newBuilder().setNodeId(nodeId).build()));
  }

  public io.kato.proto.v1.SymbolAffinityResponse getSymbolAffinity(String nodeId, String symbol) {
    return call(s -> s.getSymbolAffinity(io.kato.proto.v1.SymbolRequest.newBuilder().setNodeId(nodeId)
        .setSymbol(symbol).build()));
  }

  public io.kato.proto.v1.PingResponse ping(String nodeId) {
    return call(s -> s.ping(NodeRequest.newBuilder().setNodeId(nodeId).build()));
  }

  /** Worker-wide counters, with up to {@code maxNodes} loaded nodes (most recently used first). */
  public io.kato.proto.v1.WorkerStats getWorkerStats(int maxNodes) {
    return call(s -> s.getWorkerStats(io.kato.proto.v1.WorkerStatsRequest.newBuilder().setMaxNodes(maxNodes).build()));
  }

  private <T> T call(Function<ProcessorGrpc.ProcessorBlockingStub, T> rpc) {
    long backoffMillis = initialBackoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return rpc.apply(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
      } catch (StatusRuntimeException e) {
        if (attempt >= maxAttempts || !RETRYABLE.contains(e.getStatus().getCode())) {
          throw e;
        }
      }
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted while retrying").asRuntimeException();
      }
      backoffMillis *= 2;
    }
  }

  private static SessionRequest session(String sessionId) {
    return SessionRequest.newBuilder().setSessionId(sessionId).build();
  }

  private static SessionRequest mutation(String sessionId) {
    return SessionRequest.newBuilder().setSessionId(sessionId).setRequestId(newRequestId()).build();
  }

  private static String newRequestId() {
    return "req-" + UUID.randomUUID();
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
