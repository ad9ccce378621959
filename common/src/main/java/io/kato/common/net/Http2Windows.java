package io.kato.common.net;

import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * Flow-control windows and frame size of the gateway–worker HTTP/2 connections. HTTP/2's
 * defaults (64 KiB per stream and 64 KiB for the whole connection, 16 KiB frames) let a worker
 * send only 64 KiB to the gateway, over all concurrent calls together, before it must wait for a
 * window update; a prediction answer is ~170 KB, so under load the connection idled on window
 * round trips while both cores had time to spare. Both ends advertise the same, larger settings:
 * the receiver's settings bound what the other side may send.
 */
public final class Http2Windows {
  /** Per stream: a whole answer up to this size needs no window update. */
  public static final int STREAM_WINDOW_BYTES = 4 << 20;
  /** Per connection: shared by every call in flight on it. */
  public static final int CONNECTION_WINDOW_BYTES = 64 << 20;
  /** Largest DATA frame either side accepts (fewer frames, fewer read events per answer). */
  public static final int MAX_FRAME_BYTES = 256 << 10;

  private Http2Windows() {}

  private static Http2Settings settings(Http2Settings base) {
    return base.setInitialWindowSize(STREAM_WINDOW_BYTES).setMaxFrameSize(MAX_FRAME_BYTES);
  }

  public static HttpClientOptions apply(HttpClientOptions options) {
    return options.setInitialSettings(settings(options.getInitialSettings()))
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
  }

  public static HttpServerOptions apply(HttpServerOptions options) {
    return options.setInitialSettings(settings(options.getInitialSettings()))
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
  }
}
