package io.kato.common.msgpack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The MessagePack codec of the legacy ZeroMQ protocol (API.md §5.2), in one place.
 *
 * <p>Encoding takes the plain Java JSON values of {@code io.kato.common.json.JsonValues}
 * (String, Boolean, Integer/Long/BigInteger, Double/Float, List/Iterable, Map, null) and Jackson
 * trees, freely mixed (a map value may be a {@link JsonNode}). Integers are written in the
 * smallest fitting int format, every float as float64 (so {@code 1} and {@code 1.0} stay
 * distinguishable), strings always in the str family, maps in their iteration order. No
 * extension types are ever written.
 *
 * <p>Decoding reads exactly one value: map keys must be strings; keys encoded as bin (old "raw"
 * encoders) are read as UTF-8. Integers become Long (BigInteger above {@code Long.MAX_VALUE}),
 * floats Double, str String, bin {@code byte[]} (or a binary node), maps keep their order.
 * Extension types, non-string keys, invalid UTF-8, trailing bytes, truncated input and nesting
 * deeper than {@value #MAX_DEPTH} are rejected with {@link MessagePackFormatException}. The
 * decoder never allocates more than the input can hold, whatever lengths a header claims.
 */
public final class MessagePackCodec {
  private MessagePackCodec() {}

  /** Deepest nesting of arrays and maps accepted by the decoder. */
  public static final int MAX_DEPTH = 512;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  /** The input is not one well-formed MessagePack value of the accepted subset. */
  public static final class MessagePackFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MessagePackFormatException(String message) {
      super(message);
    }

    public MessagePackFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ---- encode ---------------------------------------------------------------------------------

  /**
   * One MessagePack value of a Java JSON value or Jackson tree.
   *
   * @throws IllegalArgumentException for a value that has no JSON meaning (e.g. an arbitrary
   *     object, a map key that is null)
   */
  public static byte[] encode(Object value) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      pack(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory packing failed", e);
    }
  }

  /** Writes one value to {@code packer} (see {@link #encode}). */
  public static void pack(MessagePacker packer, Object value) throws IOException {
    if (value == null) {
      packer.packNil();
    } else if (value instanceof JsonNode) {
      packNode(packer, (JsonNode) value);
    } else if (value instanceof CharSequence) {
      packer.packString(value.toString());
    } else if (value instanceof Boolean) {
      packer.packBoolean((Boolean) value);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      packer.packLong(((Number) value).longValue());
    } else if (value instanceof BigInteger) {
      packBigInteger(packer, (BigInteger) value);
    } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      packer.packDouble(((Number) value).doubleValue());
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      packer.packMapHeader(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() == null) {
          throw new IllegalArgumentException("map keys must not be null");
        }
        packer.packString(entry.getKey() instanceof Enum<?> ? ((Enum<?>) entry.getKey()).name()
            : String.valueOf(entry.getKey()));
        pack(packer, entry.getValue());
      }
    } else if (value instanceof Collection) {
      Collection<?> items = (Collection<?>) value;
      packer.packArrayHeader(items.size());
      for (Object item : items) {
        pack(packer, item);
      }
    } else if (value instanceof Iterable) {
      List<Object> items = new ArrayList<>();
      for (Object item : (Iterable<?>) value) {
        items.add(item);
      }
      pack(packer, items);
    } else if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      packer.packBinaryHeader(bytes.length);
      packer.writePayload(bytes);
    } else if (value instanceof double[]) {
      double[] values = (double[]) value;
      packer.packArrayHeader(values.length);
      for (double d : values) {
        packer.packDouble(d);
      }
    } else if (value instanceof long[]) {
      long[] values = (long[]) value;
      packer.packArrayHeader(values.length);
      for (long v : values) {
        packer.packLong(v);
      }
    } else if (value instanceof int[]) {
      int[] values = (int[]) value;
      packer.packArrayHeader(values.length);
      for (int v : values) {
        packer.packLong(v);
      }
    } else if (value instanceof Object[]) {
      Object[] items = (Object[]) value;
      packer.packArrayHeader(items.length);
      for (Object item : items) {
        pack(packer, item);
      }
    } else if (value instanceof Enum) {
      packer.packString(((Enum<?>) value).name());
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void packNode(MessagePacker packer, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case NULL:
      case MISSING:
        packer.packNil();
        break;
      case BOOLEAN:
        packer.packBoolean(node.booleanValue());
        break;
      case STRING:
        packer.packString(node.textValue());
        break;
      case NUMBER:
        if (node.isIntegralNumber()) {
          if (node.canConvertToLong()) {
            packer.packLong(node.longValue());
          } else {
            packBigInteger(packer, node.bigIntegerValue());
          }
        } else {
          packer.packDouble(node.doubleValue());
        }
        break;
      case BINARY:
        byte[] bytes = node.binaryValue();
        packer.packBinaryHeader(bytes.length);
        packer.writePayload(bytes);
        break;
      case ARRAY:
        packer.packArrayHeader(node.size());
        for (JsonNode item : node) {
          packNode(packer, item);
        }
        break;
      case OBJECT:
        packer.packMapHeader(node.size());
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          packer.packString(field.getKey());
          packNode(packer, field.getValue());
        }
        break;
      case POJO:
        pack(packer, ((POJONode) node).getPojo());
        break;
      default:
        throw new IllegalArgumentException("unsupported JSON node " + node.getNodeType());
    }
  }

  private static void packBigInteger(MessagePacker packer, BigInteger value) throws IOException {
    if (value.compareTo(INT64_MIN) < 0 || value.compareTo(UINT64_MAX) > 0) {
      throw new IllegalArgumentException("integer out of the MessagePack range: " + value);
    }
    packer.packBigInteger(value);
  }

  // ---- decode ---------------------------------------------------------------------------------

  /**
   * The Java value of one MessagePack value (see the class comment).
   *
   * @throws MessagePackFormatException when the input is not exactly one accepted value
   */
  public static Object decode(byte[] bytes) {
    return new Reader<>(bytes, JAVA).readOne();
  }

  /**
   * The Jackson tree of one MessagePack value: integers as int/long/big-integer nodes (the
   * smallest that fits), floats as double nodes, bin as binary nodes.
   *
   * @throws MessagePackFormatException when the input is not exactly one accepted value
   */
  public static JsonNode decodeTree(byte[] bytes) {
    return new Reader<>(bytes, TREE).readOne();
  }

  /** How decoded values are built. */
  private interface Builder<T> {
    T nil();

    T bool(boolean value);

    T integer(long value);

    T bigInteger(BigInteger value);

    T floating(double value);

    T string(String value);

    T binary(byte[] value);

    T array(List<T> items);

    T map(LinkedHashMap<String, T> entries);
  }

  private static final Builder<Object> JAVA = new Builder<>() {
    @Override public Object nil() {
      return null;
    }

    @Override public Object bool(boolean value) {
      return value;
    }

    @Override public Object integer(long value) {
      return value;
    }

    @Override public Object bigInteger(BigInteger value) {
      return value;
    }

    @Override public Object floating(double value) {
      return value;
    }

    @Override public Object string(String value) {
      return value;
    }

    @Override public Object binary(byte[] value) {
      return value;
    }

    @Override public Object array(List<Object> items) {
      return Collections.unmodifiableList(items);
    }

    @Override public Object map(LinkedHashMap<String, Object> entries) {
      return Collections.unmodifiableMap(entries);
    }
  };

  private static final Builder<JsonNode> TREE = new Builder<>() {
    @Override public JsonNode nil() {
      return NODES.nullNode();
    }

    @Override public JsonNode bool(boolean value) {
      return NODES.booleanNode(value);
    }

    @Override public JsonNode integer(long value) {
      return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
          ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    @Override public JsonNode bigInteger(BigInteger value) {
      return NODES.numberNode(value);
    }

    @Override public JsonNode floating(double value) {
      return NODES.numberNode(value);
    }

    @Override public JsonNode string(String value) {
      return NODES.textNode(value);
    }

    @Override public JsonNode binary(byte[] value) {
      return NODES.binaryNode(value);
    }

    @Override public JsonNode array(List<JsonNode> items) {
      ArrayNode array = NODES.arrayNode(items.size());
      array.addAll(items);
      return array;
    }

    @Override public JsonNode map(LinkedHashMap<String, JsonNode> entries) {
      ObjectNode object = NODES.objectNode();
      object.setAll(entries);
      return object;
    }
  };

  /** One decoding pass over a byte array. */
  private static final class Reader<T> {
    private final byte[] bytes;
    private final Builder<T> builder;
    private final MessageUnpacker unpacker;

    Reader(byte[] bytes, Builder<T> builder) {
      this.bytes = bytes;
      this.builder = builder;
      this.unpacker = new MessagePack.UnpackerConfig()
          .withActionOnMalformedString(CodingErrorAction.REPORT)
          .withActionOnUnmappableString(CodingErrorAction.REPORT)
          .withStringSizeLimit(Math.max(1, bytes.length))
          .newUnpacker(bytes);
    }

    T readOne() {
      try (MessageUnpacker in = unpacker) {
        if (!in.hasNext()) {
          throw new MessagePackFormatException("empty input: expected one MessagePack value");
        }
        T value = read(0);
        if (in.hasNext()) {
          throw new MessagePackFormatException("trailing bytes after the MessagePack value (at byte "
              + in.getTotalReadBytes() + " of " + bytes.length + ")");
        }
        return value;
      } catch (MessagePackFormatException e) {
        throw e;
      } catch (MessagePackException | IOException e) {
        throw new MessagePackFormatException("invalid MessagePack: " + describe(e), e);
      }
    }

    private T read(int depth) throws IOException {
      MessageFormat format = unpacker.getNextFormat();
      switch (format.getValueType()) {
        case NIL:
          unpacker.unpackNil();
          return builder.nil();
        case BOOLEAN:
          return builder.bool(unpacker.unpackBoolean());
        case INTEGER:
          if (format == MessageFormat.UINT64) {
            BigInteger big = unpacker.unpackBigInteger();
            return big.bitLength() < 64 ? builder.integer(big.longValue()) : builder.bigInteger(big);
          }
          return builder.integer(unpacker.unpackLong());
        case FLOAT:
          return builder.floating(unpacker.unpackDouble());
        case STRING:
          return builder.string(unpacker.unpackString());
        case BINARY:
          return builder.binary(payload(unpacker.unpackBinaryHeader()));
        case ARRAY: {
          checkDepth(depth);
          int size = unpacker.unpackArrayHeader();
          List<T> items = new ArrayList<>(capacity(size));
          for (int i = 0; i < size; i++) {
            items.add(read(depth + 1));
          }
          return builder.array(items);
        }
        case MAP: {
          checkDepth(depth);
          int size = unpacker.unpackMapHeader();
          LinkedHashMap<String, T> entries = new LinkedHashMap<>(capacity(size));
          for (int i = 0; i < size; i++) {
            String key = key();
            entries.put(key, read(depth + 1));
          }
          return builder.map(entries);
        }
        case EXTENSION:
          throw new MessagePackFormatException("extension types are not accepted (at byte "
              + unpacker.getTotalReadBytes() + ")");
        default:
          throw new MessagePackFormatException("unsupported MessagePack format " + format);
      }
    }

    /** A map key: str, or bin read as UTF-8 (old "raw" encoders). */
    private String key() throws IOException {
      MessageFormat format = unpacker.getNextFormat();
      switch (format.getValueType()) {
        case STRING:
          return unpacker.unpackString();
        case BINARY:
          byte[] raw = payload(unpacker.unpackBinaryHeader());
          try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw)).toString();
          } catch (CharacterCodingException e) {
            throw new MessagePackFormatException("a bin map key is not valid UTF-8", e);
          }
        default:
          throw new MessagePackFormatException("map keys must be strings, got " + format.getValueType()
              .name().toLowerCase(java.util.Locale.ROOT) + " (at byte " + unpacker.getTotalReadBytes() + ")");
      }
    }

    private byte[] payload(int length) throws IOException {
      if (length < 0 || length > remaining()) {
        throw new MessagePackFormatException("truncated input: a bin value claims " + Integer.toUnsignedString(length)
            + " bytes, " + remaining() + " left");
      }
      return unpacker.readPayload(length);
    }

    /** A list/map capacity no larger than the input could ever fill (one byte per element). */
    private int capacity(int declared) {
      if (declared < 0) {
        throw new MessagePackFormatException("container size out of range: " + Integer.toUnsignedString(declared));
      }
      return (int) Math.min(declared, Math.min(remaining(), 1 << 16));
    }

    private long remaining() {
      return bytes.length - unpacker.getTotalReadBytes();
    }

    private static void checkDepth(int depth) {
      if (depth >= MAX_DEPTH) {
        throw new MessagePackFormatException("nesting deeper than " + MAX_DEPTH + " levels");
      }
    }

    private static String describe(Exception e) {
      String name = e.getClass().getSimpleName();
      return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
  }
}
