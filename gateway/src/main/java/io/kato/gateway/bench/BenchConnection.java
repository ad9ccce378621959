package io.kato.gateway.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One keep-alive HTTP/1.1 connection of a measuring client, straight on Netty: one request at a
 * time, the answer's status handed to a callback on the connection's event loop, its body
 * dropped as it arrives. The load generator shares the two cores with what it measures; Vert.x's
 * pooled client cost it about three times what a C client (wrk) spends per request.
 */
final class BenchConnection {
  /** The answer's status, or this when the connection failed (the client then stops). */
  static final int FAILED = -1;

  private final String hostHeader;
  /** Set once connected, before any request. */
  private Channel channel;
  private IntConsumer pending;
  private int status;

  private BenchConnection(String hostHeader) {
    this.hostHeader = hostHeader;
  }

  static BenchConnection open(EventLoopGroup group, String host, int port) throws InterruptedException {
    BenchConnection self = new BenchConnection(host + ":" + port);
    self.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new SimpleChannelInboundHandler<HttpObject>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                self.onAnswerPart(msg);
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                self.complete(FAILED);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
          }
        })
        .connect(host, port).sync().channel();
    return self;
  }

  /** Sends one request; {@code onStatus} runs on the event loop once the whole answer is in. */
  void send(io.vertx.core.http.HttpMethod method, String path, byte[] jsonBody, IntConsumer onStatus) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.name()),
        path, jsonBody == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(jsonBody));
    request.headers().set(HttpHeaderNames.HOST, hostHeader)
        .set(HttpHeaderNames.CONTENT_LENGTH, jsonBody == null ? 0 : jsonBody.length);
    if (jsonBody != null) {
      request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    channel.eventLoop().execute(() -> {
      pending = onStatus;
      status = 0;
      if (!channel.isActive()) {
        complete(FAILED);
        return;
      }
      channel.writeAndFlush(request).addListener(f -> {
        if (!f.isSuccess()) {
          complete(FAILED);
        }
      });
    });
  }

  private void onAnswerPart(HttpObject part) {
    if (part instanceof HttpResponse response) {
      status = response.status().code();
    }
    if (part instanceof LastHttpContent) {
      complete(status);
    }
  }

  private void complete(int answerStatus) {
    IntConsumer callback = pending;
    pending = null;
    if (callback != null) {
      callback.accept(answerStatus);
    }
  }

  void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
