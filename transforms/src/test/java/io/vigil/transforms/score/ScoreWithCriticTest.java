package io.vigil.transforms.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.CriticScorer;
import io.vigil.models.DeviceChoice;
import io.vigil.models.FeatureMatrix;
import io.vigil.models.ModelBundle;
import io.vigil.models.WganGpTrainer;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.train.BundleAttachments;
import io.vigil.transforms.train.TinyClinicalData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoreWithCriticTest {
  @TempDir
  static Path dir;
  static Path bundleDirectory;
  static List<FeatureVector> vectors;
  /** Each record's score from the critic directly, all rows in one call. */
  static HashMap<String, Double> expected = new HashMap<>();

  @BeforeAll
  static void trainABundle() {
    List<Row> rows = TinyClinicalData.rows(0, 90, 3);
    PreprocessingArtifact artifact = TinyClinicalData.artifact(rows);
    vectors = TinyClinicalData.encode(artifact, rows);
    float[][] matrix = new float[vectors.size()][];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = vectors.get(i).values();
    }
    ModelBundle bundle = WganGpTrainer.train(TinyClinicalData.tinyModel(), FeatureMatrix.of(matrix), progress -> {})
        .withAttachment(BundleAttachments.PREPROCESSING_ARTIFACT, artifact.toJson().getBytes(StandardCharsets.UTF_8));
    bundleDirectory = dir.resolve("bundle");
    bundle.save(bundleDirectory);
    try (CriticScorer scorer = CriticScorer.open(bundle, DeviceChoice.CPU)) {
      float[] scores = scorer.score(FeatureMatrix.of(matrix));
      for (int i = 0; i < scores.length; i++) {
        expected.put(vectors.get(i).id(), (double) scores[i]);
      }
    }
  }

  private static PCollection<CriticScore> score(Pipeline pipeline, List<FeatureVector> input, ScoreWithCritic score) {
    return pipeline.apply(Create.of(input).withCoder(FeatureVector.Coder.of())).apply(score);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 256})
  void scoresDoNotDependOnTheBatchSize(int batchSize) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<CriticScore> scores = score(pipeline, vectors,
        ScoreWithCritic.fromBundle(bundleDirectory.toString()).withBatchSize(batchSize).withDevice(DeviceChoice.CPU));
    HashMap<String, Double> want = expected;
    String fingerprint = ModelBundle.load(bundleDirectory).fingerprint();
    PAssert.that(scores).satisfies(all -> {
      int count = 0;
      for (CriticScore score : all) {
        count++;
        assertThat(score.score()).as(score.recordId()).isEqualTo(want.get(score.recordId()));
        assertThat(score.modelVersion()).isEqualTo(fingerprint);
      }
      assertThat(count).isEqualTo(want.size());
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  /** Writes where a score landed: {@code id@timestamp/windowStart}. */
  static final class PlaceFn extends DoFn<CriticScore, String> {
    @ProcessElement
    public void process(@Element CriticScore score, @Timestamp Instant timestamp, BoundedWindow window,
        OutputReceiver<String> out) {
      out.output(score.recordId() + "@" + timestamp.getMillis() + "/" + ((IntervalWindow) window).start().getMillis());
    }
  }

  @Test
  void keepsEachRecordsTimestampAndWindowAcrossBatches() {
    List<TimestampedValue<FeatureVector>> input = new ArrayList<>();
    List<String> expectedPlaces = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long millis = i * 30_000L;
      input.add(TimestampedValue.of(vectors.get(i), new Instant(millis)));
      expectedPlaces.add(vectors.get(i).id() + "@" + millis + "/" + (millis / 60_000L) * 60_000L);
    }
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> places = pipeline
        .apply(Create.timestamped(input).withCoder(FeatureVector.Coder.of()))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply(ScoreWithCritic.fromBundle(bundleDirectory.toString()).withBatchSize(3).withDevice(DeviceChoice.CPU))
        .apply(ParDo.of(new PlaceFn()));
    PAssert.that(places).containsInAnyOrder(expectedPlaces);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void explanationsNameTheSourceColumnsThatLoweredTheScore() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<CriticScore> scores = score(pipeline, vectors,
        ScoreWithCritic.fromBundle(bundleDirectory.toString()).withExplanationColumns(2).withDevice(DeviceChoice.CPU));
    PAssert.that(scores).satisfies(all -> {
      int explained = 0;
      for (CriticScore score : all) {
        assertThat(score.explanationColumns()).hasSameSizeAs(score.explanationContributions()).hasSizeLessThanOrEqualTo(2);
        assertThat(Set.of("age", "visits", "ward")).containsAll(score.explanationColumns());
        assertThat(score.explanationContributions()).allMatch(c -> c < 0).isSorted();
        explained += score.explanationColumns().isEmpty() ? 0 : 1;
      }
      assertThat(explained).isPositive();
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aVectorOfAnotherWidthFailsNamingTheRecord() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    score(pipeline, List.of(FeatureVector.of("odd-one", new float[] {1f, 2f})),
        ScoreWithCritic.fromBundle(bundleDirectory.toString()).withDevice(DeviceChoice.CPU));
    assertThatThrownBy(() -> pipeline.run().waitUntilFinish()).hasMessageContaining("odd-one")
        .hasMessageContaining("has 2 features");
  }

  @Test
  void oneCriticPerJvmIsSharedAndClosedByTheLastRelease() {
    int before = SharedCritic.loadedCount();
    SharedCritic first = SharedCritic.acquire(bundleDirectory.toString(), DeviceChoice.CPU);
    SharedCritic second = SharedCritic.acquire(bundleDirectory.resolve("../bundle").toString(), DeviceChoice.CPU);
    assertThat(second).isSameAs(first);
    assertThat(SharedCritic.loadedCount()).isEqualTo(before + 1);
    first.release();
    assertThat(SharedCritic.loadedCount()).isEqualTo(before + 1);
    second.release();
    assertThat(SharedCritic.loadedCount()).isEqualTo(before);
  }

  @Test
  void optionsAreValidatedWhereTheyAreSet() {
    assertThatThrownBy(() -> ScoreWithCritic.fromBundle("")).hasMessageContaining("blank");
    assertThatThrownBy(() -> ScoreWithCritic.fromBundle("x").withBatchSize(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ScoreWithCritic.fromBundle("x").withExplanationColumns(-1))
        .hasMessageContaining("negative");
  }
}
