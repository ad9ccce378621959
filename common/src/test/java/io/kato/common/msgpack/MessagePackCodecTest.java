package io.kato.common.msgpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kato.common.json.JsonValues;
import io.kato.common.msgpack.MessagePackCodec.MessagePackFormatException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagePackCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex.replace(" ", ""));
  }

  // ---- encode ---------------------------------------------------------------------------------

  @Test
  void integersUseTheSmallestFittingFormat() {
    assertThat(hex(MessagePackCodec.encode(0L))).isEqualTo("00");
    assertThat(hex(MessagePackCodec.encode(127))).isEqualTo("7f");
    assertThat(hex(MessagePackCodec.encode(128L))).isEqualTo("cc80");
    assertThat(hex(MessagePackCodec.encode(256L))).isEqualTo("cd0100");
    assertThat(hex(MessagePackCodec.encode(65536L))).isEqualTo("ce00010000");
    assertThat(hex(MessagePackCodec.encode(1L << 32))).isEqualTo("cf0000000100000000");
    assertThat(hex(MessagePackCodec.encode(-1L))).isEqualTo("ff");
    assertThat(hex(MessagePackCodec.encode(-32))).isEqualTo("e0");
    assertThat(hex(MessagePackCodec.encode(-33L))).isEqualTo("d0df");
    assertThat(hex(MessagePackCodec.encode(Long.MIN_VALUE))).isEqualTo("d38000000000000000");
    assertThat(hex(MessagePackCodec.encode(new BigInteger("18446744073709551615")))).isEqualTo("cfffffffffffffffff");
    assertThatThrownBy(() -> MessagePackCodec.encode(BigInteger.ONE.shiftLeft(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void floatsAreAlwaysFloat64EvenWhenIntegral() {
    assertThat(hex(MessagePackCodec.encode(1.0))).isEqualTo("cb3ff0000000000000");
    assertThat(hex(MessagePackCodec.encode(0.0))).isEqualTo("cb0000000000000000");
    assertThat(hex(MessagePackCodec.encode(1.5f))).isEqualTo("cb3ff8000000000000");
    assertThat(hex(MessagePackCodec.encode(JsonNodeFactory.instance.numberNode(10.0)))).isEqualTo("cb4024000000000000");
    assertThat(hex(MessagePackCodec.encode(JsonNodeFactory.instance.numberNode(10)))).isEqualTo("0a");
  }

  @Test
  void stringsAreStrNeverBin() {
    assertThat(hex(MessagePackCodec.encode("abc"))).isEqualTo("a3616263");
    String s32 = "x".repeat(32);
    assertThat(hex(MessagePackCodec.encode(s32))).startsWith("d920");
    String s256 = "y".repeat(256);
    assertThat(hex(MessagePackCodec.encode(s256))).startsWith("da0100");
    assertThat(hex(MessagePackCodec.encode("é"))).isEqualTo("a2c3a9");
    assertThat(hex(MessagePackCodec.encode(JsonNodeFactory.instance.textNode("abc")))).isEqualTo("a3616263");
  }

  @Test
  void scalarsAndContainers() {
    assertThat(hex(MessagePackCodec.encode(null))).isEqualTo("c0");
    assertThat(hex(MessagePackCodec.encode(true))).isEqualTo("c3");
    assertThat(hex(MessagePackCodec.encode(false))).isEqualTo("c2");
    assertThat(hex(MessagePackCodec.encode(List.of()))).isEqualTo("90");
    assertThat(hex(MessagePackCodec.encode(Map.of()))).isEqualTo("80");
    assertThat(hex(MessagePackCodec.encode(List.of(List.of("a"), List.of())))).isEqualTo("9291a16190");
    assertThat(hex(MessagePackCodec.encode(new double[] {1.0}))).isEqualTo("91cb3ff0000000000000");
    assertThat(hex(MessagePackCodec.encode(new byte[] {1, 2}))).isEqualTo("c4020102");
    assertThat(hex(MessagePackCodec.encode(JsonNodeFactory.instance.nullNode()))).isEqualTo("c0");
  }

  @Test
  void mapsKeepTheirKeyOrder() {
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    map.put("z", 1L);
    map.put("a", 2L);
    map.put("m", 3L);
    assertThat(hex(MessagePackCodec.encode(map))).isEqualTo("83a17a01a16102a16d03");

    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("status", "okay");
    node.put("count", 2);
    node.put("potential", 1.0);
    Object decoded = MessagePackCodec.decode(MessagePackCodec.encode(node));
    assertThat(keys(decoded)).containsExactly("status", "count", "potential");
    assertThat(((Map<?, ?>) decoded).get("count")).isEqualTo(2L);
    assertThat(((Map<?, ?>) decoded).get("potential")).isEqualTo(1.0);
  }

  @Test
  void javaValuesAndJacksonTreesMix() {
    ObjectNode prediction = JsonNodeFactory.instance.objectNode();
    prediction.put("name", "abc");
    prediction.put("frequency", 1);
    prediction.put("similarity", 0.5);
    prediction.putArray("present").addArray().add("x");
    LinkedHashMap<String, Object> reply = new LinkedHashMap<>();
    reply.put("status", "okay");
    reply.put("predictions", List.of(prediction));
    reply.put("count", 1);
    JsonNode tree = MessagePackCodec.decodeTree(MessagePackCodec.encode(reply));
    assertThat(tree.toString())
        .isEqualTo("{\"status\":\"okay\",\"predictions\":[{\"name\":\"abc\",\"frequency\":1,\"similarity\":0.5,"
            + "\"present\":[[\"x\"]]}],\"count\":1}");
  }

  @Test
  void rejectsValuesWithoutJsonMeaning() {
    assertThatThrownBy(() -> MessagePackCodec.encode(new Object())).isInstanceOf(IllegalArgumentException.class);
    Map<String, Object> withNullKey = new java.util.HashMap<>();
    withNullKey.put(null, 1);
    assertThatThrownBy(() -> MessagePackCodec.encode(withNullKey)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- decode ---------------------------------------------------------------------------------

  @Test
  void decodesWhatAPythonClientSends() {
    // msgpack.packb({"method": "observe", "params": {"strings": ["hello"], "emotives": {"joy": 0.5}}, "id": 7})
    byte[] packed = bytes("83 a6 6d6574686f64 a7 6f627365727665 a6 706172616d73 82 a7 737472696e6773 91 a5 68656c6c6f"
        + " a8 656d6f7469766573 81 a3 6a6f79 cb 3fe0000000000000 a2 6964 07");
    Object decoded = MessagePackCodec.decode(packed);
    assertThat(decoded).isEqualTo(Map.of("method", "observe", "id", 7L,
        "params", Map.of("strings", List.of("hello"), "emotives", Map.of("joy", 0.5))));
    assertThat(keys(decoded)).containsExactly("method", "params", "id");
    JsonNode tree = MessagePackCodec.decodeTree(packed);
    assertThat(tree.toString())
        .isEqualTo("{\"method\":\"observe\",\"params\":{\"strings\":[\"hello\"],\"emotives\":{\"joy\":0.5}},\"id\":7}");
  }

  @Test
  void binKeysAreReadAsUtf8() {
    // {b"method": "ping", b"\xc3\xa9": 1}
    byte[] packed = bytes("82 c406 6d6574686f64 a4 70696e67 c402 c3a9 01");
    assertThat(MessagePackCodec.decode(packed)).isEqualTo(Map.of("method", "ping", "é", 1L));
    assertThat(MessagePackCodec.decodeTree(packed).get("method").textValue()).isEqualTo("ping");
    // invalid UTF-8 in a bin key
    assertThatThrownBy(() -> MessagePackCodec.decode(bytes("81 c401 ff 01")))
        .isInstanceOf(MessagePackFormatException.class).hasMessageContaining("UTF-8");
  }

  @Test
  void binValuesStayBinary() {
    Object decoded = MessagePackCodec.decode(bytes("81 a161 c402 0102"));
    assertThat((byte[]) ((Map<?, ?>) decoded).get("a")).containsExactly(1, 2);
    assertThat(MessagePackCodec.decodeTree(bytes("81 a161 c402 0102")).get("a").isBinary()).isTrue();
  }

  @Test
  void numberKindsSurviveDecoding() {
    assertThat(MessagePackCodec.decode(bytes("cb3ff0000000000000"))).isEqualTo(1.0);
    assertThat(MessagePackCodec.decode(bytes("ca3fc00000"))).isEqualTo(1.5); // float32 → Double
    assertThat(MessagePackCodec.decode(bytes("01"))).isEqualTo(1L);
    assertThat(MessagePackCodec.decode(bytes("d0df"))).isEqualTo(-33L);
    assertThat(MessagePackCodec.decode(bytes("cf7fffffffffffffff"))).isEqualTo(Long.MAX_VALUE);
    assertThat(MessagePackCodec.decode(bytes("cfffffffffffffffff"))).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(MessagePackCodec.decodeTree(bytes("01")).isInt()).isTrue();
    assertThat(MessagePackCodec.decodeTree(bytes("cf0000000100000000")).isLong()).isTrue();
    assertThat(MessagePackCodec.decodeTree(bytes("cfffffffffffffffff")).isBigInteger()).isTrue();
    assertThat(MessagePackCodec.decodeTree(bytes("cb3ff0000000000000")).isDouble()).isTrue();
    assertThat(MessagePackCodec.decodeTree(bytes("cb3ff0000000000000")).toString()).isEqualTo("1.0");
  }

  @Test
  void roundTripsJavaJsonValues() {
    LinkedHashMap<String, Object> value = new LinkedHashMap<>();
    value.put("s", "text ✓");
    value.put("i", 42L);
    value.put("neg", -70000L);
    value.put("f", 10.0);
    value.put("tiny", 1e-7);
    value.put("b", true);
    value.put("n", null);
    value.put("list", List.of(1L, 2.5, "x", List.of(), Map.of()));
    value.put("big", new BigInteger("18446744073709551615"));
    Object decoded = MessagePackCodec.decode(MessagePackCodec.encode(value));
    assertThat(decoded).isEqualTo(value);
    assertThat(keys(decoded)).containsExactlyElementsOf(value.keySet());
    // and through Jackson: the same JSON text as JsonValues gives
    assertThat(MessagePackCodec.decodeTree(MessagePackCodec.encode(value)).toString())
        .isEqualTo(JsonValues.toJson(value).toString());
  }

  @Test
  void duplicateKeysKeepTheLastValueAtTheFirstPosition() {
    // {"a": 1, "b": 2, "a": 3}
    Object decoded = MessagePackCodec.decode(bytes("83 a161 01 a162 02 a161 03"));
    assertThat(decoded).isEqualTo(Map.of("a", 3L, "b", 2L));
    assertThat(keys(decoded)).containsExactly("a", "b");
  }

  @Test
  void rejectsMalformedInput() {
    assertFormatError("", "empty");
    assertFormatError("c1", "invalid MessagePack");             // never-used code
    assertFormatError("01 02", "trailing bytes");
    assertFormatError("82 a161 01", "invalid MessagePack");     // truncated map
    assertFormatError("a5 6162", "invalid MessagePack");        // truncated string
    assertFormatError("c5 ffff 00", "truncated");               // bin16 claims 65535 bytes
    assertFormatError("d4 01 00", "extension");                  // fixext1
    assertFormatError("81 01 02", "map keys must be strings");   // int key
    assertFormatError("81 c0 02", "map keys must be strings");   // nil key
    assertFormatError("a2 c328", "invalid MessagePack");        // malformed UTF-8 in a str
  }

  @Test
  void hugeDeclaredSizesDoNotAllocate() {
    // array32 / map32 / str32 / bin32 headers claiming ~4 billion entries with no data
    assertFormatError("dd ffffffff", "");
    assertFormatError("df ffffffff", "");
    assertFormatError("db 7fffffff", "");
    assertFormatError("c6 7fffffff", "");
    assertFormatError("dd 7ffffff0 01", "");
  }

  @Test
  void limitsTheNestingDepth() {
    byte[] deep = new byte[MessagePackCodec.MAX_DEPTH + 2]; // MAX_DEPTH + 1 arrays
    Arrays.fill(deep, (byte) 0x91); // [[[[...
    deep[deep.length - 1] = 0x01;
    assertThatThrownBy(() -> MessagePackCodec.decode(deep)).isInstanceOf(MessagePackFormatException.class)
        .hasMessageContaining("nesting");
    byte[] ok = new byte[MessagePackCodec.MAX_DEPTH + 1]; // MAX_DEPTH arrays
    Arrays.fill(ok, (byte) 0x91);
    ok[ok.length - 1] = 0x01;
    Object decoded = MessagePackCodec.decode(ok);
    assertThat(decoded).isInstanceOf(List.class);
  }

  @Test
  void largeValuesRoundTrip() {
    List<Object> strings = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      strings.add("symbol-" + i);
    }
    double[] vector = new double[768];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = i / 7.0;
    }
    Map<String, Object> value = Map.of("strings", strings, "vector", vector);
    Map<?, ?> decoded = (Map<?, ?>) MessagePackCodec.decode(MessagePackCodec.encode(value));
    assertThat(decoded.get("strings")).isEqualTo(strings);
    assertThat(((List<?>) decoded.get("vector"))).hasSize(768).element(700).isEqualTo(100.0);
  }

  private static List<Object> keys(Object map) {
    return new ArrayList<>(((Map<?, ?>) map).keySet());
  }

  private static void assertFormatError(String hex, String messagePart) {
    assertThatThrownBy(() -> MessagePackCodec.decode(bytes(hex)))
        .isInstanceOf(MessagePackFormatException.class).hasMessageContaining(messagePart);
    assertThatThrownBy(() -> MessagePackCodec.decodeTree(bytes(hex)))
        .isInstanceOf(MessagePackFormatException.class).hasMessageContaining(messagePart);
  }
}
