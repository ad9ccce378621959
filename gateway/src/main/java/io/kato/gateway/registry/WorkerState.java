package io.kato.gateway.registry;

/** Lease states of a registered worker (API.md §6.2). */
public enum WorkerState {
  /** heartbeats arrive: eligible for new nodes */
  LIVE,
  /** two or more beats missed: keeps its nodes, gets no new ones */
  SUSPECT,
  /** {@code KATO_HEARTBEAT_MISSES} beats missed: its nodes move */
  DEAD,
  /** admin asked it to leave: no new nodes */
  DRAINING;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether calls may still be routed to it (it owns nodes). */
  public boolean serves() {
    return this == LIVE || this == SUSPECT || this == DRAINING;
  }
}
