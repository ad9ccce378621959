package io.kato.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The kb_id a node id maps to (API.md §1.8), exactly as upstream derives its storage name; two
 * node ids that differ only in replaced characters share one knowledge base. Lengths count code
 * points.
 */
public final class NodeIds {
  private NodeIds() {}

  private static final String REPLACED = "/\\.\"$*<>:|?- ";

  public static String kbId(String nodeId) {
    return kbId(nodeId, "kato");
  }

  public static String kbId(String nodeId, String serviceName) {
    StringBuilder safe = new StringBuilder(nodeId.length());
    nodeId.codePoints().forEach(cp -> {
      if (cp < 128 && REPLACED.indexOf(cp) >= 0) {
        safe.append('_');
      } else {
        safe.appendCodePoint(cp);
      }
    });
    String base = serviceName.replace('-', '_');
    String safeText = safe.toString();
    int safeLength = safeText.codePointCount(0, safeText.length());
    int baseLength = base.codePointCount(0, base.length());
    if (safeLength + 1 + baseLength > 60) {
      int keep = 60 - baseLength - 10;
      String prefix = safeText.substring(0, safeText.offsetByCodePoints(0, Math.max(0, Math.min(keep, safeLength))));
      safeText = prefix + "_" + md5Hex(safeText).substring(0, 8);
    }
    return safeText + "_" + base;
  }

  private static String md5Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides MD5", e);
    }
  }
}
