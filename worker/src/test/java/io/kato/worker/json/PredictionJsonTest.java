package io.kato.worker.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.common.json.JsonValues;
import io.kato.engine.FuturePotential;
import io.kato.engine.Prediction;
import io.kato.worker.storage.StoredValuesTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The worker's streamed prediction JSON is the text the gateway would write from the typed
 * messages (engine → proto → {@link io.kato.common.json.ProtoJson} → the response writer), for
 * any prediction: lone surrogates, characters outside the BMP, NaN, -0.0, nulls and both
 * prediction shapes included.
 */
class PredictionJsonTest {

  @Property(tries = 300)
  void predictionsAreTheTypedMappingsText(@ForAll("predictionLists") List<Prediction> predictions) throws Exception {
    byte[] typed = JsonValues.responseWriter().writeValueAsBytes(EngineJson.predictions(predictions));
    assertThat(text(PredictionJson.predictions(predictions))).isEqualTo(text(typed));
  }

  @Property(tries = 100)
  void futurePotentialsAreTheTypedMappingsText(@ForAll("futures") List<FuturePotential> futures) throws Exception {
    byte[] typed = JsonValues.responseWriter().writeValueAsBytes(EngineJson.futurePotentials(futures));
    assertThat(text(PredictionJson.futurePotentials(futures))).isEqualTo(text(typed));
  }

  /** The bytes as text (the gateway writes UTF-8 bytes; a lone surrogate is an escape there). */
  private static String text(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Test
  void emptyListsAreEmptyArrays() {
    assertThat(new String(PredictionJson.predictions(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(new String(PredictionJson.futurePotentials(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
  }

  @Provide
  Arbitrary<List<Prediction>> predictionLists() {
    return StoredValuesTest.predictions().list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<FuturePotential>> futures() {
    Arbitrary<List<List<String>>> events = Arbitraries.strings().ofMaxLength(3).list().ofMaxSize(2).list()
        .ofMaxSize(3);
    return Combinators.combine(events, Arbitraries.doubles(), Arbitraries.integers(), Arbitraries.doubles())
        .as(FuturePotential::new).list().ofMaxSize(3);
  }
}
