package io.kato.common.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * JSON text already rendered as UTF-8 (a worker's predictions), to be written into a response
 * as it is: a UTF-8 generator copies the bytes, with no decoding to characters and encoding
 * back (a hundred predictions are ~170 KB), and a generator writing into a
 * {@link SegmentedUtf8Output} does not copy them at all: the text becomes one segment of the
 * answer, shared with the message it came in. Only a character-based writer (WebSocket text
 * frames) decodes them, once.
 */
public final class RawUtf8Json implements SerializableString, JsonSerializable {
  /** The text, read-only; never moved (readers take duplicates). */
  private final ByteBuffer utf8;
  /** The text as an array, made on first use by a writer that needs one. */
  private byte[] bytes;
  private SerializedString text;

  private RawUtf8Json(ByteBuffer utf8) {
    this.utf8 = utf8.asReadOnlyBuffer();
  }

  /** A tree node that serialises as the given JSON text; it cannot be read as a tree. */
  public static JsonNode node(byte[] utf8Json) {
    RawUtf8Json raw = new RawUtf8Json(ByteBuffer.wrap(utf8Json));
    raw.bytes = utf8Json; // the array is the text: character writers need no copy of it
    return raw.asNode();
  }

  /**
   * As {@link #node(byte[])} over the buffer's remaining bytes, which must not change while the
   * node (or an answer written from it) is in use: a protobuf {@code ByteString}'s read-only view.
   */
  public static JsonNode node(ByteBuffer utf8Json) {
    return new RawUtf8Json(utf8Json).asNode();
  }

  private JsonNode asNode() {
    return JsonNodeFactory.instance.rawValueNode(new RawValue((JsonSerializable) this));
  }

  /** Into a segmented output as a shared segment; into any other generator as raw text. */
  @Override
  public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
    if (gen.getOutputTarget() instanceof SegmentedUtf8Output segments) {
      gen.writeRawValue(""); // the separator before the value, if any
      gen.flush();
      segments.appendShared(utf8.duplicate());
    } else {
      gen.writeRawValue((SerializableString) this);
    }
  }

  @Override
  public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
      throws IOException {
    serialize(gen, serializers);
  }

  private byte[] bytes() {
    if (bytes == null) {
      byte[] copy = new byte[utf8.remaining()];
      utf8.duplicate().get(copy);
      bytes = copy;
    }
    return bytes;
  }

  private SerializedString text() {
    if (text == null) {
      text = new SerializedString(new String(bytes(), StandardCharsets.UTF_8));
    }
    return text;
  }

  @Override
  public String getValue() {
    return text().getValue();
  }

  @Override
  public int charLength() {
    return text().charLength();
  }

  /** The bytes themselves, as Jackson's own SerializedString hands out its cache: not to be changed. */
  @Override
  public byte[] asUnquotedUTF8() {
    return bytes();
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    int length = utf8.remaining();
    if (offset + length > buffer.length) {
      return -1; // the generator then writes asUnquotedUTF8() past its buffer
    }
    utf8.duplicate().get(buffer, offset, length);
    return length;
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(bytes());
    return utf8.remaining();
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (buffer.remaining() < utf8.remaining()) {
      return -1;
    }
    buffer.put(utf8.duplicate());
    return utf8.remaining();
  }

  // quoted forms (the text as a JSON string value) are not how raw JSON is written; they
  // follow Jackson's own SerializedString for completeness

  @Override
  public char[] asQuotedChars() {
    return text().asQuotedChars();
  }

  @Override
  public byte[] asQuotedUTF8() {
    return text().asQuotedUTF8();
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    return text().appendQuotedUTF8(buffer, offset);
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    return text().appendQuoted(buffer, offset);
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    return text().appendUnquoted(buffer, offset);
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) throws IOException {
    return text().writeQuotedUTF8(out);
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
    return text().putQuotedUTF8(buffer);
  }

  @Override
  public String toString() {
    return getValue();
  }
}
