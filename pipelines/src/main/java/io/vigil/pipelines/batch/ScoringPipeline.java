package io.vigil.pipelines.batch;

import io.vigil.models.ModelBundle;
import io.vigil.pipelines.report.PrincipalComponents;
import io.vigil.transforms.csv.ReadClinicalCsv;
import io.vigil.transforms.preprocess.ApplyPreprocessing;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.records.DeadLetters;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.score.ScoreWithCritic;
import io.vigil.transforms.split.SplitDataset;
import io.vigil.transforms.threshold.ApplyThreshold;
import io.vigil.transforms.train.BundleAttachments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sample;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Scores a CSV with a model bundle: read (the training run's test split, or every row), encode with the bundle's own
 * preprocessing artifact, score with the critic, hold against the threshold, and write {@code results.csv},
 * {@code results.jsonl}, {@code dead-letters.jsonl} and {@code projection.csv} (the first three principal components
 * of up to {@link ScoringSettings#projectionPoints()} scored records, for the report) into the output directory.
 */
public final class ScoringPipeline {
  public static final String RESULTS_CSV = "results.csv";
  public static final String RESULTS_JSONL = "results.jsonl";
  public static final String DEAD_LETTERS = "dead-letters.jsonl";
  public static final String PROJECTION = "projection.csv";

  private ScoringPipeline() {}

  /** The threshold this run applies: the bundle's, or the settings' rule on the bundle's validation scores. */
  public static double threshold(ModelBundle bundle, ScoringSettings settings) {
    return settings.thresholdRule().map(rule -> BundleAttachments.thresholdFor(bundle, rule))
        .orElseGet(() -> BundleAttachments.threshold(bundle));
  }

  /** Adds the scoring flow to {@code pipeline}, for a bundle already loaded (and so checked) by the caller. */
  public static void build(Pipeline pipeline, ScoringSettings settings, ModelBundle bundle) {
    PreprocessingArtifact artifact = BundleAttachments.artifact(bundle);
    Properties run = BundleAttachments.properties(bundle, BundleAttachments.TRAINING_RUN);
    long seed = Long.parseLong(run.getProperty("seed", "42"));
    OptionalInt sample = settings.sample();
    if (sample.isEmpty() && settings.testSplitOnly() && run.getProperty("sample") != null) {
      sample = OptionalInt.of(Integer.parseInt(run.getProperty("sample")));
    }
    ReadClinicalCsv read = ReadClinicalCsv.from(settings.input()).withSpec(artifact.columnSpec());
    if (sample.isPresent()) {
      read = read.withNotebookSample(sample.getAsInt(), seed);
    }
    ReadClinicalCsv.Result records = pipeline.apply("ReadCsv", read);
    PCollection<Row> rows = settings.testSplitOnly()
        ? records.records().apply("TestSplit", SplitDataset.<Row>of(TrainingSettings.TRAIN_FRACTION,
            TrainingSettings.VALIDATION_FRACTION, TrainingSettings.TEST_FRACTION)
            .withSeed(seed).withIdField(artifact.columnSpec().idColumn())).test()
        : records.records();
    PCollectionView<PreprocessingArtifact> artifactView = pipeline.apply("Artifact", Create.of(artifact))
        .apply("ArtifactView", View.asSingleton());
    ApplyPreprocessing.Result encoded = rows.apply("Encode", ApplyPreprocessing.withArtifact(artifactView));
    PCollection<AnomalyResult> results = encoded.features()
        .apply("Score", ScoreWithCritic.fromBundle(settings.bundleDirectory().toString())
            .withBatchSize(settings.batchSize()).withDevice(settings.device()))
        .apply("Threshold", ApplyThreshold.withFixedThreshold(threshold(bundle, settings)));

    Path out = settings.outputDirectory();
    results.apply("AsCsv", MapElements.into(TypeDescriptors.strings()).via(Records::resultCsv))
        .apply("WriteCsv", TextIO.write().to(out.resolve(RESULTS_CSV).toString()).withHeader(Records.csvHeader())
            .withoutSharding());
    results.apply("AsJson", MapElements.into(TypeDescriptors.strings()).via(Records::resultJson))
        .apply("WriteJson", TextIO.write().to(out.resolve(RESULTS_JSONL).toString()).withoutSharding());
    DeadLetters.flatten("AllDeadLetters", List.of(records.deadLetters(), encoded.deadLetters()))
        .apply("DeadLettersAsJson", MapElements.into(TypeDescriptors.strings()).via(Records::deadLetterJson))
        .apply("WriteDeadLetters", TextIO.write().to(out.resolve(DEAD_LETTERS).toString()).withoutSharding());
    encoded.features()
        .apply("ProjectionSample", Sample.fixedSizeGlobally(settings.projectionPoints()))
        .apply("Project", FlatMapElements.into(TypeDescriptors.strings()).via(ScoringPipeline::project))
        .apply("WriteProjection", TextIO.write().to(out.resolve(PROJECTION).toString())
            .withHeader("record_id,pc1,pc2,pc3").withoutSharding());
  }

  /** {@code id,pc1,pc2,pc3} lines for the sampled vectors; none if there are fewer than 3 vectors or features. */
  static List<String> project(Iterable<FeatureVector> sampled) {
    List<FeatureVector> vectors = new ArrayList<>();
    sampled.forEach(vectors::add);
    List<String> lines = new ArrayList<>();
    if (vectors.size() < 3 || vectors.get(0).width() < 3) {
      return lines;
    }
    vectors.sort(java.util.Comparator.comparing(FeatureVector::id));
    float[][] rows = new float[vectors.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = vectors.get(i).values();
    }
    PrincipalComponents pca = PrincipalComponents.fit(rows, 3, 42);
    for (FeatureVector vector : vectors) {
      double[] p = pca.project(vector.values());
      lines.add(Records.csvLine(List.of(vector.id(), Double.toString(p[0]), Double.toString(p[1]),
          Double.toString(p[2]))));
    }
    return lines;
  }

  /** Loads and checks the bundle, runs the scoring flow and waits for it; returns the wall time in milliseconds. */
  public static long run(PipelineOptions options, ScoringSettings settings, ModelBundle bundle) throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(settings.outputDirectory());
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, settings, bundle);
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the scoring pipeline ended in state " + state);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
