package io.kato.common.net;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Coalesces the flushes of one gateway–worker HTTP/2 connection. Every gRPC message written on
 * it ends with a flush, so under load each call cost its own {@code writev} on both sides (a
 * tenth of the gateway's CPU). Netty's {@link FlushConsolidationHandler} defers a flush that
 * arrives outside a read to a task queued behind the event loop's current work, so the calls
 * written in one event-loop turn leave in one system call; a lone call waits only for that turn.
 */
public final class FlushCoalescing {
  private static final String HANDLER_NAME = "kato-flush-coalescing";
  /** Flush at once after this many deferred flushes, so a long turn still sends as it goes. */
  private static final int MAX_DEFERRED_FLUSHES = 64;

  private FlushCoalescing() {}

  /**
   * Installs the handler at the head of the connection's pipeline, where the HTTP/2 codec's
   * flushes pass through it. Vert.x has no public pipeline access for HTTP connections; a
   * connection of another kind is left as it is.
   */
  public static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      // requests on several event loops may install it at once; Netty's pipeline guards its own
      // changes with its monitor, so holding it makes the check and the add one step
      synchronized (pipeline) {
        if (pipeline.get(HANDLER_NAME) == null) {
          pipeline.addFirst(HANDLER_NAME, new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
        }
      }
    }
  }

  /** True when {@link #install} put the handler on this connection (tests). */
  public static boolean installed(HttpConnection connection) {
    return connection instanceof ConnectionBase base && base.channel().pipeline().get(HANDLER_NAME) != null;
  }
}
