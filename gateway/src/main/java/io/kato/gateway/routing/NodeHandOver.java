package io.kato.gateway.routing;

import io.kato.gateway.registry.Worker;
import io.kato.gateway.transport.CallContext;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the hand-overs of a draining worker (API.md §6.2, §6.4) on a shared store: per
 * node, the old owner releases it (finishes its queued work, flushes, takes the new epoch so any
 * straggler call of the old assignment is fenced, drops it from memory), then the new owner
 * acquires it (loads it from the store); calls of that node wait meanwhile and then go to the
 * new owner. A release that fails (the old owner is gone) does not stop the move: the new epoch
 * fences the old owner should it come back. On an embedded store nothing moves: the knowledge
 * base lives in the draining worker's own files.
 */
public final class NodeHandOver {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHandOver.class);

  private final NodePlacement placement;
  private final long deadlineMillis;

  public NodeHandOver(NodePlacement placement, long deadlineMillis) {
    this.placement = placement;
    this.deadlineMillis = deadlineMillis;
  }

  /** Starts moving every node of {@code draining}; completes with the number moved. */
  public Future<Integer> drain(Worker draining) {
    if (!draining.sharedStore()) {
      LOG.info("worker draining: worker_id={} store=embedded nodes_stay=true", draining.workerId());
      return Future.succeededFuture(0);
    }
    List<NodePlacement.Move> moves = placement.reassign(draining.workerId());
    LOG.info("worker draining: worker_id={} store=shared nodes_moving={}", draining.workerId(), moves.size());
    if (moves.isEmpty()) {
      return Future.succeededFuture(0);
    }
    AtomicInteger moved = new AtomicInteger();
    List<Future<Void>> all = moves.stream().map(m -> move(m).onSuccess(v -> moved.incrementAndGet())).toList();
    return Future.join(all).transform(done -> Future.succeededFuture(moved.get()));
  }

  private Future<Void> move(NodePlacement.Move m) {
    CallContext call = new CallContext(m.epoch(), "", "handover-" + m.kbId(), deadlineMillis);
    return m.from().transport().releaseNode(m.nodeId(), call)
        .recover(failure -> {
          LOG.warn("release failed, moving anyway (the new epoch fences the old owner): node_id={} from={} error={}",
              m.nodeId(), m.from().workerId(), failure.getMessage());
          return Future.succeededFuture();
        })
        .compose(released -> m.to().transport().acquireNode(m.nodeId(), call))
        .transform(acquired -> {
          if (acquired.failed()) {
            // the new owner loads the node on its first call anyway (a newer epoch reloads it)
            LOG.warn("acquire failed; the node loads on first use: node_id={} to={} error={}", m.nodeId(),
                m.to().workerId(), acquired.cause().getMessage());
          }
          placement.settle(m.kbId(), m.epoch());
          LOG.info("node handed over: node_id={} from={} to={} epoch={}", m.nodeId(), m.from().workerId(),
              m.to().workerId(), m.epoch());
          return Future.<Void>succeededFuture();
        });
  }
}
