package io.vigil.transforms.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.score.CriticScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;

class FitAndApplyThresholdTest {

  private static List<CriticScore> scores(String prefix, int count, long seed) {
    Random random = new Random(seed);
    List<CriticScore> scores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      scores.add(CriticScore.builder().setRecordId(prefix + i).setScore(random.nextGaussian())
          .setModelVersion("model-v1").setExplanationColumns(List.of("age"))
          .setExplanationContributions(List.of(-0.5)).build());
    }
    return scores;
  }

  @Test
  void flagsExactlyTheTestScoresBelowTheValidationPercentile() {
    List<CriticScore> validation = scores("v", 500, 1);
    List<CriticScore> test = scores("t", 300, 2);
    double[] validationValues = validation.stream().mapToDouble(CriticScore::score).toArray();
    double expectedThreshold = ThresholdRule.percentile(5).thresholdFor(validationValues);

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<Double> threshold = pipeline.apply("Validation", Create.of(validation))
        .apply(FitThreshold.of().withPercentile(5));
    PCollectionView<Double> view = threshold.apply(View.asSingleton());
    PCollection<AnomalyResult> results = pipeline.apply("Test", Create.of(test))
        .apply(ApplyThreshold.withThreshold(view));

    PAssert.thatSingleton(threshold).isEqualTo(expectedThreshold);
    int testRows = test.size();
    PAssert.that(results).satisfies(all -> {
      int count = 0;
      for (AnomalyResult result : all) {
        count++;
        assertThat(result.threshold()).isEqualTo(expectedThreshold);
        assertThat(result.anomaly()).isEqualTo(result.score() < expectedThreshold);
        assertThat(result.modelVersion()).isEqualTo("model-v1");
        assertThat(result.explanationColumns()).containsExactly("age");
      }
      assertThat(count).isEqualTo(testRows);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void fixedThresholdAppliesTheStrictRule() {
    CriticScore atThreshold = CriticScore.builder().setRecordId("a").setScore(-1.0).setModelVersion("m").build();
    CriticScore below = CriticScore.builder().setRecordId("b").setScore(-1.0001).setModelVersion("m").build();
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<AnomalyResult> results = pipeline.apply(Create.of(List.of(atThreshold, below)))
        .apply(ApplyThreshold.withFixedThreshold(-1.0));
    PAssert.that(results).satisfies(all -> {
      for (AnomalyResult result : all) {
        assertThat(result.anomaly()).isEqualTo(result.recordId().equals("b"));
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
