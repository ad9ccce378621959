package io.kato.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.vertx.core.Future;

/**
 * How the gateway talks to one worker. Every method answers the exact v3 JSON body of its route
 * (API.md §2), so the HTTP layer never depends on the wire format, and the gRPC and ZeroMQ
 * transports can be held to one contract test suite by comparing bodies.
 *
 * <p>Failures are {@link WorkerCallException}s carrying the API error code. Implementations are
 * non-blocking: futures complete on the caller's Vert.x context.
 */
public interface WorkerTransport {

  Future<ObjectNode> createSession(CreateSessionRequest request, CallContext call);

  /** §2.2.3 (an access: slides the TTL). */
  Future<ObjectNode> getSession(SessionRef session, CallContext call);

  /** {@code {"exists", "expired", "session_id", "node_id", "kb_id"}}; never an access. */
  Future<ObjectNode> lookupSession(String sessionId, CallContext call);

  Future<ObjectNode> deleteSession(SessionRef session, CallContext call);

  Future<ObjectNode> extendSession(SessionRef session, long ttlSeconds, CallContext call);

  /** §2.2.6 */
  Future<ObjectNode> getConfig(SessionRef session, CallContext call);

  /** §2.2.7 */
  Future<ObjectNode> updateConfig(SessionRef session, MapValue update, CallContext call);

  /** §2.3.1 */
  Future<ObjectNode> observe(SessionRef session, Observation observation, CallContext call);

  /** §2.3.2; the request's session fields are set from {@code session}. */
  Future<ObjectNode> observeSequence(SessionRef session, ObserveSequenceRequest request, CallContext call);

  /** §2.3.3 with {@code processor_id} null. */
  Future<ObjectNode> learn(SessionRef session, CallContext call);

  /** §2.3.4 */
  Future<ObjectNode> stm(SessionRef session, CallContext call);

  /** §2.3.5 with {@code processor_id} null. */
  Future<ObjectNode> predictions(SessionRef session, CallContext call);

  /**
   * The body of {@link #predictions}, for writing out only: a transport may carry the
   * {@code predictions} and {@code future_potentials} arrays as raw JSON values rendered by the
   * worker, which serialise as they came but cannot be read as trees. Fields may still be put.
   */
  default Future<ObjectNode> predictionsForReply(SessionRef session, CallContext call) {
    return predictions(session, call);
  }

  /** §2.3.6 */
  Future<ObjectNode> clearStm(SessionRef session, CallContext call);

  /** §2.3.7 */
  Future<ObjectNode> clearAll(SessionRef session, CallContext call);

  /** §2.3.8 */
  Future<ObjectNode> perceptData(SessionRef session, CallContext call);

  /** §2.3.9 */
  Future<ObjectNode> cognitionData(SessionRef session, CallContext call);

  /** §2.3.10 */
  Future<ObjectNode> finalizeTraining(SessionRef session, CallContext call);

  /** §2.4.1: {@code {"pattern": {...}, "node_id": kb_id}}, also when not found. */
  Future<ObjectNode> pattern(String nodeId, String patternId, CallContext call);

  /** §2.4.5 */
  Future<ObjectNode> symbolStats(String nodeId, CallContext call);

  /** §2.4.4 */
  Future<ObjectNode> symbolAffinities(String nodeId, CallContext call);

  /** §2.4.6 */
  Future<ObjectNode> symbolAffinity(String nodeId, String symbol, CallContext call);

  /** {@code {"status", "processor", "interval", "time_stamp", "worker_id"}} (§3.1.3). */
  /**
   * Hand-over, old owner (API.md §6.4): flush, take {@code call}'s epoch, drop the node from
   * memory. Answers {@code {"node_id", "epoch", "state": "released"}}.
   */
  Future<ObjectNode> releaseNode(String nodeId, CallContext call);

  /** Hand-over, new owner: load the node as the shared store has it; {@code state: "owned"}. */
  Future<ObjectNode> acquireNode(String nodeId, CallContext call);

  Future<ObjectNode> ping(String nodeId, CallContext call);

  /**
   * Worker-wide counters: {@code active_sessions}, {@code nodes_loaded}, {@code
   * nodes_with_sessions}, {@code total_stm_events}, {@code observations_processed}, {@code
   * patterns_learned}, {@code predictions_generated}, {@code store}, {@code nodes} (at most
   * {@code maxNodes} entries of the /status processor shape).
   */
  Future<ObjectNode> workerStats(int maxNodes, CallContext call);

  /** Statistics of this transport's connections (API.md §6.6). */
  ObjectNode poolStatistics();

  Future<Void> close();
}
