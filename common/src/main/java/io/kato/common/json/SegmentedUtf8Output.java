package io.kato.common.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The target of a response's JSON generator: what the generator writes is copied into chunks,
 * and pre-rendered text ({@link RawUtf8Json}) is added as a segment of its own without copying.
 * A prediction answer is ~170 KB of worker-rendered JSON in a few dozen bytes of envelope;
 * copying it from the gRPC message into the generator's buffer, from there into a byte array and
 * that into the response had been a fifth of the gateway's CPU under load.
 */
public final class SegmentedUtf8Output extends OutputStream {
  /**
   * Smallest chunk. The generator buffers its own output and writes it in few large blocks (when
   * its buffer is full, and once at the end), so a chunk is sized to the block: a small answer
   * costs one array of its own size.
   */
  private static final int MIN_CHUNK_BYTES = 512;

  private final CompositeByteBuf segments = Unpooled.compositeBuffer(Integer.MAX_VALUE);
  private byte[] chunk;
  private int used;

  @Override
  public void write(int b) {
    ensureRoom(1);
    chunk[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensureRoom(len);
    System.arraycopy(b, off, chunk, used, len);
    used += len;
  }

  /** Appends the buffer's remaining bytes as they are; the caller keeps them unchanged. */
  void appendShared(ByteBuffer text) {
    finishChunk();
    if (text.hasRemaining()) {
      segments.addComponent(true, Unpooled.wrappedBuffer(text));
    }
  }

  /** Everything written, in order; the output is not to be written to afterwards. */
  public ByteBuf toByteBuf() {
    finishChunk();
    return segments;
  }

  private void ensureRoom(int len) {
    if (chunk != null && used + len <= chunk.length) {
      return;
    }
    finishChunk();
    chunk = new byte[Math.max(MIN_CHUNK_BYTES, len)];
  }

  private void finishChunk() {
    if (chunk != null && used > 0) {
      segments.addComponent(true, Unpooled.wrappedBuffer(chunk, 0, used));
    }
    chunk = null;
    used = 0;
  }
}
