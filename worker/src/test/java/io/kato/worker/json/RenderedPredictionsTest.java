package io.kato.worker.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.engine.FuturePotential;
import io.kato.engine.Prediction;
import io.kato.engine.PredictionResult;
import io.kato.worker.storage.StoredValuesTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderedPredictionsTest {
  private static PredictionResult result() {
    List<Prediction> predictions = StoredValuesTest.predictions().list().ofSize(2).sample();
    return new PredictionResult(predictions,
        List.of(new FuturePotential(List.of(List.of("x")), 0.5, 1, 0.25)));
  }

  @Test
  void theSameResultIsRenderedOnceAndEqualsAFreshRendering() {
    RenderedPredictions rendered = new RenderedPredictions(4);
    PredictionResult result = result();

    RenderedPredictions.Json first = rendered.of(result);

    assertThat(rendered.of(result)).isSameAs(first);
    assertThat(first.predictions()).isEqualTo(PredictionJson.predictions(result.predictions()));
    assertThat(first.futurePotentials()).isEqualTo(PredictionJson.futurePotentials(result.futurePotentials()));
  }

  @Test
  void anEqualButDistinctResultIsRenderedOnItsOwn() {
    RenderedPredictions rendered = new RenderedPredictions(4);
    PredictionResult result = result();
    PredictionResult copy = new PredictionResult(List.copyOf(result.predictions()), result.futurePotentials());

    assertThat(rendered.of(copy)).isNotSameAs(rendered.of(result));
    assertThat(rendered.of(copy).predictions()).isEqualTo(rendered.of(result).predictions());
  }

  @Test
  void theLeastRecentlyUsedResultLeavesFirst() {
    RenderedPredictions rendered = new RenderedPredictions(2);
    PredictionResult a = result();
    PredictionResult b = result();
    PredictionResult c = result();
    RenderedPredictions.Json ofA = rendered.of(a);
    RenderedPredictions.Json ofB = rendered.of(b);
    rendered.of(a); // a is now the most recent
    rendered.of(c); // b leaves

    assertThat(rendered.of(a)).isSameAs(ofA);
    assertThat(rendered.of(b)).isNotSameAs(ofB);
  }
}
