package io.kato.common.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * JSON text already rendered as UTF-8 (a worker's predictions), to be written into a response
 * as it is: a UTF-8 generator copies the bytes, with no decoding to characters and encoding
 * back (a hundred predictions are ~170 KB). Only a character-based writer (WebSocket text
 * frames) decodes them, once.
 */
public final class RawUtf8Json implements SerializableString {
  private final byte[] utf8;
  private SerializedString text;

  private RawUtf8Json(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** A tree node that serialises as the given JSON text; it cannot be read as a tree. */
  public static JsonNode node(byte[] utf8Json) {
    return JsonNodeFactory.instance.rawValueNode(new RawValue(new RawUtf8Json(utf8Json)));
  }

  private SerializedString text() {
    if (text == null) {
      text = new SerializedString(new String(utf8, StandardCharsets.UTF_8));
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
    return utf8;
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    if (offset + utf8.length > buffer.length) {
      return -1; // the generator then writes asUnquotedUTF8() past its buffer
    }
    System.arraycopy(utf8, 0, buffer, offset, utf8.length);
    return utf8.length;
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(utf8);
    return utf8.length;
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (buffer.remaining() < utf8.length) {
      return -1;
    }
    buffer.put(utf8);
    return utf8.length;
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
