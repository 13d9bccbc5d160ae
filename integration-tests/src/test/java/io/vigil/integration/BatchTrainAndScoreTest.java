package io.vigil.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.models.DeviceChoice;
import io.vigil.models.ModelBundle;
import io.vigil.models.WganGpConfig;
import io.vigil.pipelines.batch.Preset;
import io.vigil.pipelines.batch.ScoringPipeline;
import io.vigil.pipelines.batch.ScoringSettings;
import io.vigil.pipelines.batch.ScoringSummary;
import io.vigil.pipelines.batch.TrainingPipeline;
import io.vigil.pipelines.batch.TrainingSettings;
import io.vigil.pipelines.demo.DemoEncounterGenerator;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.threshold.ThresholdRule;
import io.vigil.transforms.train.BundleAttachments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train-then-score flow on embedded Flink, on generated encounters, with a model small enough to train in
 * seconds: counts, files, the threshold rule, and identical scores at parallelism 1 and 2 and different batch sizes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchTrainAndScoreTest {
  private static final int ENCOUNTERS = 600;

  Path dir;
  Path csv;
  Path bundleDirectory;
  TrainingPipeline.Outcome trained;
  /** Every row scored at parallelism 2 in batches of 64. */
  ScoringSummary scoredInParallel;

  static FlinkPipelineOptions flink(int parallelism) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(parallelism);
    return options;
  }

  static WganGpConfig tinyModel() {
    return Preset.RECOMMENDED.model().toBuilder()
        .attentionDimAndHeads(8, 2).criticHidden(16).minibatchFeatures(4).minibatchKernel(3)
        .batchSize(32).epochs(1).referenceRows(32).device(DeviceChoice.CPU).build();
  }

  @BeforeAll
  void trainOnGeneratedEncounters(@TempDir Path temporary) throws Exception {
    dir = temporary;
    csv = dir.resolve("encounters.csv");
    DemoEncounterGenerator.withSeed(5).withEncounters(ENCOUNTERS).generate().writeCsv(csv);
    bundleDirectory = dir.resolve("model");
    trained = TrainingPipeline.run(flink(2), new TrainingSettings(csv.toString(), bundleDirectory, tinyModel(),
        Preset.RECOMMENDED.preprocessing(), false, OptionalInt.empty(), 42, ThresholdRule.notebookDefault()));
    scoredInParallel = score("all-p2-b64", 2, 64, false);
  }

  private ScoringSummary score(String name, int parallelism, int batchSize, boolean testSplitOnly) throws Exception {
    ScoringSettings settings = new ScoringSettings(csv.toString(), bundleDirectory, dir.resolve(name), testSplitOnly,
        OptionalInt.empty(), Optional.empty(), batchSize, DeviceChoice.CPU, 1000);
    ModelBundle bundle = ModelBundle.load(bundleDirectory);
    ScoringPipeline.run(flink(parallelism), settings, bundle);
    return ScoringSummary.write(settings, bundle, Map.of());
  }

  private static Map<String, Double> scores(Path results) throws Exception {
    Map<String, Double> scores = new HashMap<>();
    for (AnomalyResult result : ScoringSummary.readResults(results)) {
      assertThat(scores.put(result.recordId(), result.score())).as("duplicate " + result.recordId()).isNull();
    }
    return scores;
  }

  @Test
  void trainingSplitsSeventyFifteenFifteenAndKeepsTheThresholdRule() {
    ModelBundle bundle = trained.bundle();
    var run = BundleAttachments.properties(bundle, BundleAttachments.TRAINING_RUN);
    long training = Long.parseLong(run.getProperty("trainingRows"));
    long validation = Long.parseLong(run.getProperty("validationRows"));
    assertThat(trained.deadLetters()).isZero();
    assertThat(training / (double) ENCOUNTERS).isCloseTo(0.70, within(0.06));
    assertThat(validation / (double) ENCOUNTERS).isCloseTo(0.15, within(0.05));
    double[] validationScores = BundleAttachments.validationScores(bundle);
    assertThat(validationScores).hasSize((int) validation);
    assertThat(trained.threshold()).isEqualTo(ThresholdRule.percentile(1).thresholdFor(validationScores));
    assertThat(bundle.metrics().criticLoss()).hasSize(1);
  }

  @Test
  void scoresEveryRowWritesEveryFileAndAppliesTheThreshold() throws Exception {
    ScoringSummary summary = scoredInParallel;
    Path out = dir.resolve("all-p2-b64");
    assertThat(summary.rowsScored()).isEqualTo(ENCOUNTERS);
    assertThat(summary.deadLetters()).isZero();
    assertThat(summary.threshold()).isEqualTo(trained.threshold());
    for (String file : List.of("results.csv", "results.jsonl", "dead-letters.jsonl", "summary.json", "report.html",
        "losses.png", "scores.png", "pca-2d.png", "pca-3d.png")) {
      assertThat(out.resolve(file)).isRegularFile();
    }
    assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(ENCOUNTERS)
        .allMatch(line -> line.startsWith("{\"recordId\":") && line.contains("\"explanation\":"));
    List<AnomalyResult> results = ScoringSummary.readResults(out.resolve("results.csv"));
    long anomalies = 0;
    for (AnomalyResult result : results) {
      assertThat(result.anomaly()).isEqualTo(result.score() < trained.threshold());
      assertThat(result.modelVersion()).isEqualTo(trained.bundle().fingerprint());
      anomalies += result.anomaly() ? 1 : 0;
    }
    assertThat(summary.anomalies()).isEqualTo(anomalies);
  }

  @Test
  void scoresAreIdenticalAtParallelismOneAndTwoAndAnyBatchSize() throws Exception {
    score("all-p1-b1", 1, 1, false);
    Map<String, Double> serial = scores(dir.resolve("all-p1-b1").resolve(ScoringPipeline.RESULTS_CSV));
    Map<String, Double> parallel = scores(dir.resolve("all-p2-b64").resolve(ScoringPipeline.RESULTS_CSV));
    assertThat(serial).hasSize(ENCOUNTERS).isEqualTo(parallel);
  }

  @Test
  void scoringTheTestSplitTakesTheRowsTrainingHeldOut() throws Exception {
    ScoringSummary summary = score("test-split", 2, 256, true);
    var run = BundleAttachments.properties(trained.bundle(), BundleAttachments.TRAINING_RUN);
    long training = Long.parseLong(run.getProperty("trainingRows"));
    long validation = Long.parseLong(run.getProperty("validationRows"));
    assertThat(summary.rowsScored()).isEqualTo(ENCOUNTERS - training - validation);
  }
}
