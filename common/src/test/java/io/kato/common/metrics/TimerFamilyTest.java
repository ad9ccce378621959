package io.kato.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimerFamilyTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TimerFamily family = new TimerFamily(registry, "calls", "calls served", "method", "outcome");

  @Test
  void recordsEachTagCombinationOnItsOwnRegisteredTimer() {
    family.record(2_000_000, "Observe", "OK");
    family.record(4_000_000, "Observe", "OK");
    family.record(1_000_000, "Observe", "NOT_FOUND");

    Timer ok = registry.get("calls").tags("method", "Observe", "outcome", "OK").timer();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6.0);
    assertThat(registry.get("calls").tags("outcome", "NOT_FOUND").timer().count()).isEqualTo(1);
    assertThat(registry.get("calls").timers()).hasSize(2);
    assertThat(ok.getId().getDescription()).isEqualTo("calls served");
  }

  @Test
  void refusesTagValuesThatDoNotMatchTheKeys() {
    assertThatThrownBy(() -> family.record(1, "Observe")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes 2 tag values, got 1");
    assertThat(registry.find("calls").timers()).isEmpty();
  }
}
