package io.vigil.pipelines.batch;

import io.vigil.models.ModelBundle;
import io.vigil.transforms.csv.ReadClinicalCsv;
import io.vigil.transforms.preprocess.ApplyPreprocessing;
import io.vigil.transforms.preprocess.FitPreprocessing;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.records.DeadLetters;
import io.vigil.transforms.records.Diabetes130;
import io.vigil.transforms.split.SplitDataset;
import io.vigil.transforms.train.BundleAttachments;
import io.vigil.transforms.train.TrainWganGp;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The notebook's training flow as one Beam pipeline: read the CSV (optionally the notebook's sample), split 70/15/15
 * by record id, fit the preprocessing (on all rows for the {@code seed} preset, as the notebook does; on the training
 * split otherwise), encode, train the WGAN-GP on one worker, score the validation split and set the threshold, write
 * the bundle. Rejected rows go to {@code <bundle>.dead-letters.jsonl} beside the bundle.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  /** What a finished training run produced. */
  public record Outcome(ModelBundle bundle, double threshold, long deadLetters, long wallMillis) {}

  public static Path deadLetterFile(Path bundleDirectory) {
    return bundleDirectory.resolveSibling(bundleDirectory.getFileName() + ".dead-letters.jsonl");
  }

  /** Adds the training flow to {@code pipeline}. */
  public static void build(Pipeline pipeline, TrainingSettings settings) {
    ReadClinicalCsv read = ReadClinicalCsv.from(settings.input()).withSpec(Diabetes130.SPEC);
    if (settings.sample().isPresent()) {
      read = read.withNotebookSample(settings.sample().getAsInt(), settings.seed());
    }
    ReadClinicalCsv.Result records = pipeline.apply("ReadCsv", read);
    SplitDataset.Result<Row> split = records.records().apply("Split", SplitDataset.<Row>of(
            TrainingSettings.TRAIN_FRACTION, TrainingSettings.VALIDATION_FRACTION, TrainingSettings.TEST_FRACTION)
        .withSeed(settings.seed()).withIdField(Diabetes130.SPEC.idColumn()));
    PCollection<Row> fitRows = settings.fitPreprocessingOnAllRows() ? records.records() : split.train();
    PCollectionView<PreprocessingArtifact> artifact = fitRows
        .apply("FitPreprocessing", FitPreprocessing.of(Diabetes130.SPEC).withOptions(settings.preprocessing()))
        .apply("ArtifactView", View.asSingleton());
    ApplyPreprocessing.Result training = split.train()
        .apply("EncodeTraining", ApplyPreprocessing.withArtifact(artifact));
    ApplyPreprocessing.Result validation = split.validation()
        .apply("EncodeValidation", ApplyPreprocessing.withArtifact(artifact));

    Map<String, String> run = new LinkedHashMap<>();
    run.put("input", settings.input());
    run.put("seed", Long.toString(settings.seed()));
    run.put("split", TrainingSettings.TRAIN_FRACTION + "/" + TrainingSettings.VALIDATION_FRACTION + "/"
        + TrainingSettings.TEST_FRACTION);
    run.put("fitPreprocessingOn", settings.fitPreprocessingOnAllRows() ? "all rows" : "training split");
    settings.sample().ifPresent(n -> run.put("sample", Integer.toString(n)));
    training.features().apply("TrainWganGp", TrainWganGp.withConfig(settings.model())
        .toBundleDirectory(settings.bundleDirectory().toString())
        .withValidation(validation.features())
        .withArtifact(artifact)
        .withThresholdRule(settings.thresholdRule())
        .withRunProperties(run));

    DeadLetters.flatten("AllDeadLetters",
            List.of(records.deadLetters(), training.deadLetters(), validation.deadLetters()))
        .apply("DeadLettersAsJson", MapElements.into(TypeDescriptors.strings()).via(Records::deadLetterJson))
        .apply("WriteDeadLetters", TextIO.write().to(deadLetterFile(settings.bundleDirectory()).toString())
            .withoutSharding());
  }

  /** Builds and runs the training flow, waits for it, and loads what it wrote. */
  public static Outcome run(PipelineOptions options, TrainingSettings settings) throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(settings.bundleDirectory().toAbsolutePath().getParent());
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, settings);
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the training pipeline ended in state " + state);
    }
    ModelBundle bundle = ModelBundle.load(settings.bundleDirectory());
    long deadLetters;
    try (var lines = Files.lines(deadLetterFile(settings.bundleDirectory()))) {
      deadLetters = lines.count();
    }
    return new Outcome(bundle, BundleAttachments.threshold(bundle), deadLetters,
        (System.nanoTime() - start) / 1_000_000);
  }
}
