package io.kato.gateway.it;

import static org.assertj.core.api.Assertions.fail;

/** Waiting helpers for clusters of real processes. */
final class Clusters {
  private Clusters() {}

  /** Waits (at most 30 s) until the gateway's /workers lists {@code live} live workers. */
  static void awaitLiveWorkers(Http http, int live) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      try {
        Http.Reply workers = http.get("/workers");
        if (workers.status() == 200 && workers.json().path("live").asInt() == live) {
          return;
        }
        last = workers.text();
      } catch (java.io.IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(100);
    }
    fail("expected " + live + " live workers; last /workers: " + last);
  }
}
