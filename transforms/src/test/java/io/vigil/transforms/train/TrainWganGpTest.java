package io.vigil.transforms.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.CriticScorer;
import io.vigil.models.DeviceChoice;
import io.vigil.models.FeatureMatrix;
import io.vigil.models.ModelBundle;
import io.vigil.transforms.EmbeddedFlink;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.threshold.ThresholdRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainWganGpTest {

  @Test
  void writesTheBundleWithArtifactValidationScoresAndThreshold(@TempDir Path dir) {
    List<Row> trainingRows = TinyClinicalData.rows(0, 80, 1);
    List<Row> validationRows = TinyClinicalData.rows(80, 30, 2);
    PreprocessingArtifact artifact = TinyClinicalData.artifact(trainingRows);
    Path bundleDirectory = dir.resolve("bundle");
    ThresholdRule rule = ThresholdRule.percentile(10);

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionView<PreprocessingArtifact> view = pipeline.apply("Artifact", Create.of(artifact))
        .apply(View.asSingleton());
    PCollection<FeatureVector> validation = pipeline.apply("Validation",
        Create.of(TinyClinicalData.encode(artifact, validationRows)).withCoder(FeatureVector.Coder.of()));
    PCollection<TrainedModel> trained = pipeline
        .apply("Training", Create.of(TinyClinicalData.encode(artifact, trainingRows))
            .withCoder(FeatureVector.Coder.of()))
        .apply(TrainWganGp.withConfig(TinyClinicalData.tinyModel()).toBundleDirectory(bundleDirectory.toString())
            .withValidation(validation).withArtifact(view).withThresholdRule(rule)
            .withRunProperties(Map.of("seed", "42")));
    PAssert.thatSingleton(trained).satisfies(model -> {
      assertThat(model.trainingRows()).isEqualTo(80);
      assertThat(model.validationRows()).isEqualTo(30);
      return null;
    });
    pipeline.run().waitUntilFinish();

    ModelBundle bundle = ModelBundle.load(bundleDirectory);
    assertThat(bundle.inputWidth()).isEqualTo(artifact.width());
    assertThat(BundleAttachments.artifact(bundle).fingerprint()).isEqualTo(artifact.fingerprint());
    double[] validationScores = BundleAttachments.validationScores(bundle);
    assertThat(validationScores).hasSize(30);
    assertThat(BundleAttachments.threshold(bundle)).isEqualTo(rule.thresholdFor(validationScores));
    assertThat(BundleAttachments.thresholdFor(bundle, ThresholdRule.percentile(50)))
        .isEqualTo(ThresholdRule.percentile(50).thresholdFor(validationScores));
    assertThat(BundleAttachments.properties(bundle, BundleAttachments.TRAINING_RUN))
        .containsEntry("seed", "42").containsEntry("trainingRows", "80");

    // The saved validation scores are the bundle's critic's scores of the validation vectors.
    List<FeatureVector> encoded = TinyClinicalData.encode(artifact, validationRows);
    float[][] rows = new float[encoded.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = encoded.get(i).values();
    }
    try (CriticScorer scorer = CriticScorer.open(bundle, DeviceChoice.CPU)) {
      float[] expected = scorer.score(FeatureMatrix.of(rows));
      double[] sortedExpected = new double[expected.length];
      for (int i = 0; i < expected.length; i++) {
        sortedExpected[i] = expected[i];
      }
      java.util.Arrays.sort(sortedExpected);
      double[] sortedSaved = validationScores.clone();
      java.util.Arrays.sort(sortedSaved);
      assertThat(sortedSaved).containsExactly(sortedExpected);
    }
  }

  /**
   * More vectors than Beam's 10,000-element group cache, on Flink, without {@code --reIterableGroupByKeyResult}: the
   * group is read once, so a runner need not make it re-iterable (a CoGroupByKey here failed on the full data).
   */
  @Test
  void gathersMoreVectorsThanTheGroupCacheOnFlink(@TempDir Path dir) {
    List<Row> trainingRows = TinyClinicalData.rows(0, 12_000, 3);
    List<Row> validationRows = TinyClinicalData.rows(12_000, 40, 4);
    PreprocessingArtifact artifact = TinyClinicalData.artifact(trainingRows);
    Pipeline pipeline = Pipeline.create(EmbeddedFlink.options(2));
    PCollectionView<PreprocessingArtifact> view = pipeline.apply("Artifact", Create.of(artifact))
        .apply(View.asSingleton());
    PCollection<FeatureVector> validation = pipeline.apply("Validation",
        Create.of(TinyClinicalData.encode(artifact, validationRows)));
    pipeline.apply("Training", Create.of(TinyClinicalData.encode(artifact, trainingRows)))
        .apply(TrainWganGp.withConfig(TinyClinicalData.tinyModel().toBuilder().batchSize(1000).epochs(1).build())
            .toBundleDirectory(dir.toString()).withValidation(validation).withArtifact(view));
    pipeline.run().waitUntilFinish();

    Properties run = BundleAttachments.properties(ModelBundle.load(dir), BundleAttachments.TRAINING_RUN);
    assertThat(run.getProperty("trainingRows")).isEqualTo("12000");
    assertThat(run.getProperty("validationRows")).isEqualTo("40");
  }

  @Test
  void expandNamesWhatIsMissing() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<FeatureVector> vectors = pipeline.apply(Create.of(FeatureVector.of("a", new float[] {1f}))
        .withCoder(FeatureVector.Coder.of()));
    assertThatThrownBy(() -> vectors.apply(TrainWganGp.withConfig(TinyClinicalData.tinyModel())))
        .hasMessageContaining("toBundleDirectory");
    assertThatThrownBy(() -> TrainWganGp.withConfig(TinyClinicalData.tinyModel()).toBundleDirectory(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
