package io.kato.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawUtf8JsonTest {

  /** A JSON array of {@code n} strings with non-ASCII and non-BMP text, as a worker renders it. */
  private static String array(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"s\":\"é\uD83D\uDE00").append(i).append("\",\"x\":").append(i * 0.5)
          .append('}');
    }
    return b.append(']').toString();
  }

  private static ObjectNode body(String rawArray) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("before", "a");
    o.set("predictions", RawUtf8Json.node(rawArray.getBytes(StandardCharsets.UTF_8)));
    o.put("after", 1);
    return o;
  }

  /** Smaller and larger than the generator's 8000-byte buffer, and at its end. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 200, 5000})
  void bytesAreWrittenInPlaceByTheUtf8Writer(int entries) throws Exception {
    String raw = array(entries);
    byte[] written = JsonValues.responseWriter().writeValueAsBytes(body(raw));
    String expected = "{\"before\":\"a\",\"predictions\":" + raw + ",\"after\":1}";
    assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(expected);
    // the same text parses as the tree the raw text stands for
    assertThat(JsonValues.mapper().readTree(written).get("predictions"))
        .isEqualTo(JsonValues.mapper().readTree(raw));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 5000})
  void characterWritersDecodeTheTextOnce(int entries) throws Exception {
    String raw = array(entries);
    String written = JsonValues.mapper().writeValueAsString(body(raw));
    assertThat(written).isEqualTo("{\"before\":\"a\",\"predictions\":" + raw + ",\"after\":1}");
  }

  @Test
  void aRawNodeInsideAnArrayIsAValueOfIt() throws Exception {
    var array = JsonNodeFactory.instance.arrayNode();
    array.add(1);
    array.add(RawUtf8Json.node("{\"k\":[true,null]}".getBytes(StandardCharsets.UTF_8)));
    assertThat(JsonValues.responseWriter().writeValueAsString(array)).isEqualTo("[1,{\"k\":[true,null]}]");
  }

  /** The segmented target gives the very bytes of the copying writer, for every size. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 200, 5000, 20000})
  void aSegmentedOutputGivesTheSameBytes(int entries) throws Exception {
    ObjectNode body = body(array(entries));
    SegmentedUtf8Output out = new SegmentedUtf8Output();
    JsonValues.responseWriter().writeValue(out, body);
    ByteBuf segmented = out.toByteBuf();
    byte[] written = new byte[segmented.readableBytes()];
    segmented.getBytes(segmented.readerIndex(), written);
    assertThat(written).isEqualTo(JsonValues.responseWriter().writeValueAsBytes(body));
  }

  @Test
  void aSegmentedOutputSharesTheRawTextInsteadOfCopyingIt() throws Exception {
    byte[] raw = "[\"abc\"]".getBytes(StandardCharsets.UTF_8);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", 1);
    o.set("p", RawUtf8Json.node(ByteBuffer.wrap(raw)));
    o.set("q", RawUtf8Json.node(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8))));
    SegmentedUtf8Output out = new SegmentedUtf8Output();
    JsonValues.responseWriter().writeValue(out, o);
    ByteBuf segmented = out.toByteBuf();
    raw[3] = 'X'; // visible in the answer only if the answer references the array
    assertThat(segmented.toString(StandardCharsets.UTF_8)).isEqualTo("{\"n\":1,\"p\":[\"aXc\"],\"q\":{}}");
  }

  @Test
  void aReadOnlyViewIsWrittenByEveryWriter() throws Exception {
    String raw = array(300);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("p", RawUtf8Json.node(ByteBuffer.wrap(raw.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer()));
    String expected = "{\"p\":" + raw + "}";
    assertThat(JsonValues.mapper().writeValueAsString(o)).isEqualTo(expected);
    assertThat(new String(JsonValues.responseWriter().writeValueAsBytes(o), StandardCharsets.UTF_8))
        .isEqualTo(expected);
  }
}
