package io.kato.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.gateway.registry.Worker;
import io.kato.gateway.registry.WorkerRegistry;
import io.kato.gateway.transport.CallContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker-wide counters summed over every serving worker, fetched fresh for each request with a
 * short deadline (API.md §2.5: monitoring never hangs on a worker; a worker that does not answer
 * in time is left out and counted in {@code unanswered}).
 */
final class ClusterStats {
  private static final long DEADLINE_MILLIS = 1000;

  private final WorkerRegistry registry;

  ClusterStats(WorkerRegistry registry) {
    this.registry = registry;
  }

  /** The answers, each with {@code worker_id} set to the registry's id. */
  record Snapshot(List<ObjectNode> workers, int unanswered) {
    long sum(String field) {
      long total = 0;
      for (ObjectNode w : workers) {
        total += w.path(field).asLong();
      }
      return total;
    }

    /** Loaded nodes of every worker, each tagged with its worker id. */
    List<ObjectNode> nodes() {
      List<ObjectNode> out = new ArrayList<>();
      for (ObjectNode w : workers) {
        for (JsonNode n : w.path("nodes")) {
          ObjectNode entry = ((ObjectNode) n).deepCopy();
          entry.put("worker_id", w.path("worker_id").asText());
          out.add(entry);
        }
      }
      return out;
    }
  }

  Future<Snapshot> fetch(int maxNodes, String traceId) {
    List<Worker> workers = registry.serving();
    if (workers.isEmpty()) {
      return Future.succeededFuture(new Snapshot(List.of(), 0));
    }
    Promise<Snapshot> result = Promise.promise();
    List<ObjectNode> answers = new ArrayList<>();
    AtomicInteger pending = new AtomicInteger(workers.size());
    AtomicInteger failed = new AtomicInteger();
    CallContext call = new CallContext(0, "", traceId, DEADLINE_MILLIS);
    for (Worker w : workers) {
      w.transport().workerStats(maxNodes, call).onComplete(done -> {
        synchronized (answers) {
          if (done.succeeded()) {
            ObjectNode o = done.result();
            o.put("worker_id", w.workerId());
            answers.add(o);
          } else {
            failed.incrementAndGet();
          }
        }
        if (pending.decrementAndGet() == 0) {
          synchronized (answers) {
            result.complete(new Snapshot(List.copyOf(answers), failed.get()));
          }
        }
      });
    }
    return result.future();
  }

}
