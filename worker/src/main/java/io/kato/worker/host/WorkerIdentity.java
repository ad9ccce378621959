package io.kato.worker.host;

/**
 * Who this worker is, as its replies and its registration name it.
 *
 * @param workerId {@code --worker-id}: the worker's id in the gateway's registry
 * @param processorName {@code PROCESSOR_NAME}, returned by ping and the legacy name methods
 * @param capacity {@code --capacity}: the worker's placement weight
 */
public record WorkerIdentity(String workerId, String processorName, int capacity) {
  public static final WorkerIdentity DEFAULT = new WorkerIdentity("worker-1", "KatoProcessor", 1);
}
