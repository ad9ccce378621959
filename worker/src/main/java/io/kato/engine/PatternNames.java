package io.kato.engine;

import io.kato.engine.text.PyText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Pattern names: SHA-1 of Python's {@code str()} of the events (ENGINE.md §4.2). */
public final class PatternNames {
  private PatternNames() {}

  public static final String PREFIX = "PTRN|";

  /** The bare 40-hex hash of a list of events. */
  public static String hash(List<? extends List<String>> events) {
    return sha1Hex(PyText.eventsText(events));
  }

  /** Removes the {@code PTRN|} prefix (exactly, case-sensitive) when present. */
  public static String bare(String name) {
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  static String sha1Hex(String text) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-1", e);
    }
  }
}
