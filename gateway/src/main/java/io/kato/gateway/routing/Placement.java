package io.kato.gateway.routing;

import io.kato.gateway.registry.Worker;

/** The worker that owns a node now, and the assignment epoch every call to it carries. */
public record Placement(String kbId, Worker worker, long epoch) {}
