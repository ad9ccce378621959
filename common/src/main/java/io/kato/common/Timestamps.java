package io.kato.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The timestamp texts of the v3 API (API.md §1.3), in one place. */
public final class Timestamps {
  private Timestamps() {}

  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  /** Session times: ISO-8601 UTC, {@code Z}, microseconds; the fraction omitted when zero. */
  public static String sessionTime(Instant instant) {
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    int fraction = micros.getNano() / 1000;
    String base = SECONDS.format(micros);
    return fraction == 0 ? base + "Z" : base + String.format(".%06dZ", fraction);
  }

  /** Event and monitoring times: ISO-8601 with {@code +00:00} and microseconds. */
  public static String eventTime(Instant instant) {
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    int fraction = micros.getNano() / 1000;
    String base = SECONDS.format(micros);
    return fraction == 0 ? base + "+00:00" : base + String.format(".%06d+00:00", fraction);
  }
}
