package io.kato.gateway.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.kato.common.Timestamps;
import io.kato.gateway.routing.Rendezvous;
import io.kato.gateway.transport.WorkerTransport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One registered worker: what it declared at registration (immutable per generation) and its
 * lease, which the registry updates. The transport is created once per registration.
 */
public final class Worker implements Rendezvous.Candidate {
  final String workerId;
  final String transportKind;
  final String grpcAddress;
  final String zmqAddress;
  final long capacity;
  final List<String> processors;
  final boolean exclusive;
  final Map<String, String> labels;
  final String version;
  final boolean isStatic;
  final Set<String> hostedKbIds;
  final boolean sharedStore;
  final Instant registeredAt;
  final long generation;
  final WorkerTransport transport;
  final CircuitBreaker circuit;

  volatile Instant lastHeartbeat;
  volatile long missedHeartbeats;
  volatile WorkerState state = WorkerState.LIVE;

  Worker(String workerId, String transportKind, String grpcAddress, String zmqAddress, long capacity,
      List<String> processors, boolean exclusive, Map<String, String> labels, String version, boolean isStatic,
      Set<String> hostedKbIds, boolean sharedStore, Instant registeredAt, long generation, WorkerTransport transport,
      CircuitBreaker circuit) {
    this.workerId = workerId;
    this.transportKind = transportKind;
    this.grpcAddress = grpcAddress;
    this.zmqAddress = zmqAddress;
    this.capacity = Math.max(1, capacity);
    this.processors = List.copyOf(processors);
    this.exclusive = exclusive;
    this.labels = Map.copyOf(labels);
    this.version = version;
    this.isStatic = isStatic;
    this.hostedKbIds = Set.copyOf(hostedKbIds);
    this.sharedStore = sharedStore;
    this.registeredAt = registeredAt;
    this.lastHeartbeat = registeredAt;
    this.generation = generation;
    this.transport = transport;
    this.circuit = circuit;
  }

  /** The breaker guarding calls to this worker (kept across re-registrations at one address). */
  public CircuitBreaker circuit() {
    return circuit;
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public long capacity() {
    return capacity;
  }

  public WorkerState state() {
    return state;
  }

  public WorkerTransport transport() {
    return transport;
  }

  public long generation() {
    return generation;
  }

  public boolean isStaticWorker() {
    return isStatic;
  }

  /** Static and ZeroMQ workers send no heartbeats: the gateway pings them (API.md §6.2, §6.3). */
  public boolean pingedByGateway() {
    return isStatic || "zmq".equals(transportKind);
  }

  public boolean exclusive() {
    return exclusive;
  }

  /** Whether this worker's own store holds the node's durable state (declared at registration). */
  public boolean hostsKb(String kbId) {
    return hostedKbIds.contains(kbId);
  }

  /** The worker's store is shared by all workers (PostgreSQL): its nodes can be handed over. */
  public boolean sharedStore() {
    return sharedStore;
  }

  public List<String> processors() {
    return processors;
  }

  /** The record without placement knowledge ({@code node_count} 0); see {@link #toJson(long)}. */
  public ObjectNode toJson() {
    return toJson(0);
  }

  /** The record of API.md §6.2; {@code nodeCount} = nodes placed on it now (the placement knows). */
  public ObjectNode toJson(long nodeCount) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("worker_id", workerId);
    o.put("transport", transportKind);
    if (grpcAddress.isEmpty()) {
      o.putNull("grpc_address");
    } else {
      o.put("grpc_address", grpcAddress);
    }
    if (zmqAddress.isEmpty()) {
      o.putNull("zmq_address");
    } else {
      o.put("zmq_address", zmqAddress);
    }
    o.put("capacity", capacity);
    processors.forEach(o.putArray("processors")::add);
    o.put("exclusive", exclusive);
    ObjectNode labelNode = o.putObject("labels");
    labels.forEach(labelNode::put);
    o.put("version", version);
    o.put("state", state.wireName());
    o.put("registered_at", Timestamps.eventTime(registeredAt));
    o.put("last_heartbeat", Timestamps.eventTime(lastHeartbeat));
    o.put("missed_heartbeats", missedHeartbeats);
    o.put("generation", generation);
    o.put("node_count", nodeCount);
    o.put("static", isStatic);
    return o;
  }
}
