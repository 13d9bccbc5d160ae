package io.vigil.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.models.ModelBundle;
import io.vigil.models.WganGpConfig;
import io.vigil.pipelines.demo.DemoEncounterGenerator;
import io.vigil.transforms.csv.ReadClinicalCsv;
import io.vigil.transforms.preprocess.ApplyPreprocessing;
import io.vigil.transforms.preprocess.FitPreprocessing;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.preprocess.PreprocessingOptions;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.records.Diabetes130;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.score.ScoreWithCritic;
import io.vigil.transforms.split.SplitDataset;
import io.vigil.transforms.threshold.ApplyThreshold;
import io.vigil.transforms.train.BundleAttachments;
import io.vigil.transforms.train.TrainWganGp;
import io.vigil.transforms.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use the transforms in your own pipeline" example, compiled and run on embedded Flink. The README's
 * Java blocks must be, line for line, the regions of this file between the {@code README} markers, so the example a
 * user copies is the code this test runs.
 */
class ReadmeExampleTest {
  private static final int ENCOUNTERS = 400;
  private static final Path SOURCE = Path.of("src/test/java/io/vigil/integration/ReadmeExampleTest.java");
  private static final Path README = Path.of("../README.md");

  @TempDir
  Path dir;

  @Test
  void readmeShowsExactlyTheCodeThisTestRuns() throws IOException {
    List<String> tested = markedRegions(Files.readString(SOURCE));
    List<String> shown = javaBlocks(Files.readString(README));

    assertThat(tested).hasSize(2);
    assertThat(shown).containsSubsequence(tested);
  }

  @Test
  void trainsThenScoresEveryRecord() throws Exception {
    String csvPath = dir.resolve("encounters.csv").toString();
    String bundleDir = dir.resolve("model").toString();
    DemoEncounterGenerator.withSeed(11).withEncounters(ENCOUNTERS).generate().writeCsv(Path.of(csvPath));

    Pipeline pipeline = Pipeline.create(BatchTrainAndScoreTest.flink(2));
    // README:begin
    WganGpConfig config = WganGpConfig.recommended().toBuilder().epochs(2).build();
    ReadClinicalCsv.Result read = pipeline.apply(ReadClinicalCsv.from(csvPath));
    SplitDataset.Result<Row> split = read.records().apply(SplitDataset.<Row>of(0.70, 0.15, 0.15).withSeed(42));
    PCollectionView<PreprocessingArtifact> artifact = split.train()
        .apply(FitPreprocessing.of(Diabetes130.SPEC).withOptions(PreprocessingOptions.recommended()))
        .apply(View.asSingleton());
    PCollection<FeatureVector> train =
        split.train().apply("EncodeTrain", ApplyPreprocessing.withArtifact(artifact)).features();
    PCollection<FeatureVector> validation =
        split.validation().apply("EncodeValidation", ApplyPreprocessing.withArtifact(artifact)).features();

    // Trains on one worker; writes the bundle with the artifact, the validation scores and the threshold attached.
    PCollection<TrainedModel> model = train.apply(TrainWganGp.withConfig(config)
        .toBundleDirectory(bundleDir).withValidation(validation).withArtifact(artifact));
    // README:end
    pipeline.run().waitUntilFinish();
    assertThat(ModelBundle.load(Path.of(bundleDir)).attachmentNames())
        .contains(BundleAttachments.PREPROCESSING_ARTIFACT, BundleAttachments.THRESHOLD);

    Pipeline scoringPipeline = Pipeline.create(BatchTrainAndScoreTest.flink(2));
    // README:begin
    ModelBundle bundle = ModelBundle.load(Path.of(bundleDir));
    PCollection<FeatureVector> features = scoringPipeline.apply(ReadClinicalCsv.from(csvPath)).records()
        .apply(ApplyPreprocessing.withArtifactPath( // the preprocessing fitted at training, unchanged
            Path.of(bundleDir, "attachments", BundleAttachments.PREPROCESSING_ARTIFACT).toString()))
        .features();
    PCollection<AnomalyResult> results = features
        .apply(ScoreWithCritic.fromBundle(bundleDir).withBatchSize(256)) // PCollection<CriticScore>
        .apply(ApplyThreshold.withFixedThreshold(BundleAttachments.threshold(bundle)));
    // README:end
    PipelineResult run = scoringPipeline.run();
    run.waitUntilFinish();

    assertThat(counter(run, "anomalies") + counter(run, "normal")).isEqualTo(ENCOUNTERS);
    assertThat(counter(run, "anomalies")).isLessThan(ENCOUNTERS / 4);
  }

  private static long counter(PipelineResult run, String name) {
    MetricQueryResults metrics = run.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ApplyThreshold.class, name)).build());
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  /** The code between each pair of README markers, indentation removed. */
  private static List<String> markedRegions(String source) {
    List<String> regions = new ArrayList<>();
    Matcher m = Pattern.compile("// README:begin\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL).matcher(source);
    while (m.find()) {
      regions.add(m.group(1).stripIndent().strip());
    }
    return regions;
  }

  private static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1).strip());
    }
    return blocks;
  }
}
