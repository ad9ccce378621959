package io.kato.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.engine.bench.NaturalTextWorkload;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's natural-text workload is what the issue describes, and reproducible. */
class NaturalTextWorkloadTest {
  @Test
  void sentencesAreDistinctOneWordEventsAndSeeded() {
    NaturalTextWorkload a = NaturalTextWorkload.standard(42);
    assertThat(a.corpusSentences()).isGreaterThan(200);
    List<List<String>> sentences = a.sentences(5_000);
    assertThat(sentences).hasSize(5_000);
    assertThat(new HashSet<>(sentences)).hasSize(5_000);
    assertThat(sentences).allSatisfy(s -> assertThat(s.size()).isBetween(3, 400));
    assertThat(sentences.get(0).subList(0, 4)).containsExactly("gnu", "general", "public", "license");
    assertThat(NaturalTextWorkload.standard(42).sentences(5_000)).isEqualTo(sentences);

    List<List<String>> query = a.query(sentences.get(10));
    assertThat(query.size()).isBetween(2, 3);
    assertThat(query).allSatisfy(e -> assertThat(e).hasSize(1));
    assertThat(query.get(0).get(0)).isEqualTo(sentences.get(10).get(0));
  }
}
