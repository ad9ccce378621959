package io.kato.gateway.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.gateway.transport.CallContext;
import io.kato.gateway.transport.SessionRef;
import io.kato.gateway.transport.WorkerTransport;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.RegisterRequest;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A transport that is never called for real: every call fails, close() is counted. No Vert.x needed. */
public final class FakeTransport implements WorkerTransport {
  public final RegisterRequest registration;
  public final AtomicInteger closed = new AtomicInteger();

  public FakeTransport(RegisterRequest registration) {
    this.registration = registration;
  }

  /** A factory for WorkerRegistry that remembers every transport it made. */
  public static final class Factory implements Function<RegisterRequest, WorkerTransport> {
    public final List<FakeTransport> made = new CopyOnWriteArrayList<>();

    @Override
    public WorkerTransport apply(RegisterRequest request) {
      FakeTransport t = new FakeTransport(request);
      made.add(t);
      return t;
    }
  }

  private static <T> Future<T> fail() {
    return Future.failedFuture(new UnsupportedOperationException("fake transport"));
  }

  @Override public Future<ObjectNode> createSession(CreateSessionRequest request, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> getSession(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> lookupSession(String sessionId, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> deleteSession(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> extendSession(SessionRef session, long ttlSeconds, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> getConfig(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> updateConfig(SessionRef session, MapValue update, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> observe(SessionRef session, Observation observation, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> observeSequence(SessionRef session, ObserveSequenceRequest request,
      CallContext call) { return fail(); }
  @Override public Future<ObjectNode> learn(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> stm(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> predictions(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> clearStm(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> clearAll(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> perceptData(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> cognitionData(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> finalizeTraining(SessionRef session, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> pattern(String nodeId, String patternId, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> symbolStats(String nodeId, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> symbolAffinities(String nodeId, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> symbolAffinity(String nodeId, String symbol, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> ping(String nodeId, CallContext call) { return fail(); }
  @Override public Future<ObjectNode> workerStats(int maxNodes, CallContext call) { return fail(); }

  /** Hand-over calls as {@code release:<node>@<epoch>} / {@code acquire:<node>@<epoch>}, in order. */
  public final List<String> handOvers = new CopyOnWriteArrayList<>();

  @Override
  public Future<ObjectNode> releaseNode(String nodeId, CallContext call) {
    handOvers.add("release:" + nodeId + "@" + call.epoch());
    return Future.succeededFuture(JsonNodeFactory.instance.objectNode().put("state", "released"));
  }

  @Override
  public Future<ObjectNode> acquireNode(String nodeId, CallContext call) {
    handOvers.add("acquire:" + nodeId + "@" + call.epoch());
    return Future.succeededFuture(JsonNodeFactory.instance.objectNode().put("state", "owned"));
  }

  @Override
  public ObjectNode poolStatistics() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Override
  public Future<Void> close() {
    closed.incrementAndGet();
    return Future.succeededFuture();
  }
}
