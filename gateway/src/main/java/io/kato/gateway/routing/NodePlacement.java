package io.kato.gateway.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.NodeIds;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.registry.WorkerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which worker owns each node (keyed by kb_id, API.md §6.4), with its epoch.
 *
 * <p>A node keeps its owner while that owner serves (sticky: its knowledge base is there).
 * Otherwise the new owner is, in order: the pinned worker; a worker whose own store holds the
 * node (declared at registration, so a restarted gateway finds every stored node again); a
 * worker listing the node id among its static {@code processors}; the rendezvous winner over
 * live, non-exclusive workers. Each new assignment gets an epoch above the previous one and above
 * the wall clock in milliseconds, so it also outranks assignments made before a gateway restart.
 * A draining worker on a shared store hands its nodes over ({@link #reassign}); on an embedded
 * store its nodes stay with it (their knowledge base lives there), and it only gets no new ones.
 */
public final class NodePlacement {
  /**
   * An owner and epoch; {@code nodeId} is the last raw id placed under this kb id (hand-over
   * calls name a node); {@code moving} is pending while a hand-over to this owner runs.
   */
  private record Assignment(String workerId, long epoch, String nodeId, Promise<Void> moving) {
    Assignment(String workerId, long epoch, String nodeId) {
      this(workerId, epoch, nodeId, null);
    }
  }

  /** One node to hand over: from the draining owner to its next owner, under {@code epoch}. */
  public record Move(String kbId, String nodeId, Worker from, Worker to, long epoch) {}

  private final WorkerRegistry registry;
  private final LongSupplier clockMillis;
  private final ConcurrentHashMap<String, Assignment> assignments = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> pins = new ConcurrentHashMap<>();

  public NodePlacement(WorkerRegistry registry, LongSupplier clockMillis) {
    this.registry = registry;
    this.clockMillis = clockMillis;
  }

  /** The node's owner, assigning one when needed; empty when no worker can take it. */
  public Optional<Placement> place(String nodeId) {
    String kbId = NodeIds.kbId(nodeId);
    boolean[] unavailable = {false};
    Promise<?>[] dropped = {null};
    Assignment assignment = assignments.compute(kbId, (key, old) -> {
      if (old != null) {
        Optional<Worker> owner = registry.get(old.workerId);
        if (owner.isPresent() && owner.get().state().serves() && pinAllows(key, old.workerId)) {
          return old;
        }
        dropped[0] = old.moving; // its hand-over's target left: nobody may wait on it any more
      }
      Worker chosen = choose(nodeId, key);
      if (chosen == null) {
        // keep the stale assignment: its epoch is the floor of the next one
        unavailable[0] = true;
        return old;
      }
      return new Assignment(chosen.workerId(), nextEpoch(old), nodeId);
    });
    if (dropped[0] != null && !unavailable[0]) {
      dropped[0].tryComplete();
    }
    if (assignment == null || unavailable[0]) {
      return Optional.empty();
    }
    return registry.get(assignment.workerId).map(w -> new Placement(kbId, w, assignment.epoch));
  }

  /**
   * A serving worker was found holding one of the node's sessions, so the node's knowledge base
   * lives there (sessions live with their node's owner). Adopted only when the node has no
   * serving owner yet: after a gateway restart this finds nodes the workers did not declare
   * (ZeroMQ workers added by an admin declare none), before any call could place them by hash.
   */
  public void adopt(String nodeId, String workerId) {
    Optional<Worker> holder = registry.get(workerId).filter(w -> w.state().serves());
    if (holder.isEmpty()) {
      return;
    }
    assignments.compute(NodeIds.kbId(nodeId), (key, old) -> {
      boolean ownerServes = old != null && registry.get(old.workerId).map(w -> w.state().serves()).orElse(false);
      if (ownerServes || !pinAllows(key, workerId)) {
        return old;
      }
      return new Assignment(workerId, nextEpoch(old), nodeId);
    });
  }

  /**
   * Draining (API.md §6.2) on a shared store: every node assigned to {@code workerId} gets its
   * next owner and a new epoch now, marked moving until {@link #settle} (calls wait for that,
   * see {@link #settled}). Pinned nodes stay. Returns the moves the caller must carry out.
   */
  public List<Move> reassign(String workerId) {
    List<Move> moves = new ArrayList<>();
    Optional<Worker> from = registry.get(workerId);
    if (from.isEmpty()) {
      return moves;
    }
    for (String kbId : List.copyOf(assignments.keySet())) {
      assignments.computeIfPresent(kbId, (key, old) -> {
        if (!old.workerId.equals(workerId) || pins.containsKey(key) || old.moving != null) {
          return old;
        }
        Worker to = choose(old.nodeId, key);
        if (to == null || to.workerId().equals(workerId)) {
          return old;
        }
        Assignment moved = new Assignment(to.workerId(), nextEpoch(old), old.nodeId, Promise.promise());
        moves.add(new Move(key, old.nodeId, from.get(), to, moved.epoch));
        return moved;
      });
    }
    return moves;
  }

  /** The hand-over to the assignment of {@code epoch} is done: calls may go to the new owner. */
  public void settle(String kbId, long epoch) {
    Assignment[] settled = {null};
    assignments.computeIfPresent(kbId, (key, a) -> {
      if (a.epoch != epoch || a.moving == null) {
        return a;
      }
      settled[0] = a;
      return new Assignment(a.workerId, a.epoch, a.nodeId);
    });
    if (settled[0] != null) {
      settled[0].moving.tryComplete();
    }
  }

  /** Completes when no hand-over of the node is pending (at once, nearly always). */
  public Future<Void> settled(String nodeId) {
    Assignment a = assignments.get(NodeIds.kbId(nodeId));
    return a == null || a.moving == null ? Future.succeededFuture() : a.moving.future();
  }

  /** After a worker fenced {@code stale}: the same owner with a newer epoch. */
  public Optional<Placement> refresh(String nodeId, long stale) {
    String kbId = NodeIds.kbId(nodeId);
    assignments.computeIfPresent(kbId, (key, old) -> old.epoch <= stale && old.moving == null
        ? new Assignment(old.workerId, nextEpoch(old), old.nodeId) : old);
    return place(nodeId);
  }

  /** The current assignment without creating one (GET /nodes/{id}). */
  public ObjectNode describe(String nodeId) {
    String kbId = NodeIds.kbId(nodeId);
    Assignment a = assignments.get(kbId);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("node_id", nodeId);
    o.put("kb_id", kbId);
    boolean assigned = a != null && registry.get(a.workerId).map(w -> w.state().serves()).orElse(false);
    if (assigned) {
      o.put("worker_id", a.workerId);
      o.put("epoch", a.epoch);
    } else {
      o.putNull("worker_id");
      o.putNull("epoch");
    }
    o.put("pinned", pins.containsKey(kbId));
    o.put("state", !assigned ? "unassigned" : a.moving != null ? "moving" : "assigned");
    return o;
  }

  public void pin(String nodeId, String workerId) {
    pins.put(NodeIds.kbId(nodeId), workerId);
  }

  public void unpin(String nodeId) {
    pins.remove(NodeIds.kbId(nodeId));
  }

  /** Nodes currently assigned to each worker. */
  public Map<String, Long> nodeCounts() {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    assignments.values().forEach(a -> counts.merge(a.workerId, 1L, Long::sum));
    return counts;
  }

  private boolean pinAllows(String kbId, String workerId) {
    String pinned = pins.get(kbId);
    return pinned == null || pinned.equals(workerId);
  }

  private Worker choose(String nodeId, String kbId) {
    String pinned = pins.get(kbId);
    if (pinned != null) {
      return registry.get(pinned).filter(w -> w.state().serves()).orElse(null);
    }
    List<Worker> holders = new ArrayList<>();
    List<Worker> statics = new ArrayList<>();
    List<Worker> eligible = new ArrayList<>();
    for (Worker w : registry.serving()) {
      if (w.hostsKb(kbId)) {
        holders.add(w);
      }
      if (w.processors().contains(nodeId)) {
        statics.add(w);
      }
      if (w.state() == WorkerState.LIVE && !w.exclusive()) {
        eligible.add(w);
      }
    }
    if (!holders.isEmpty()) {
      return Rendezvous.owner(holders, kbId);
    }
    if (!statics.isEmpty()) {
      return Rendezvous.owner(statics, kbId);
    }
    return Rendezvous.owner(eligible, kbId);
  }

  private long nextEpoch(Assignment old) {
    long floor = old == null ? 0 : old.epoch + 1;
    return Math.max(floor, clockMillis.getAsLong());
  }
}
