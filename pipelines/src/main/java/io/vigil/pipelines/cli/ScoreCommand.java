package io.vigil.pipelines.cli;

import io.vigil.models.DeviceChoice;
import io.vigil.models.ModelBundle;
import io.vigil.pipelines.batch.ScoringPipeline;
import io.vigil.pipelines.batch.ScoringSettings;
import io.vigil.pipelines.batch.ScoringSummary;
import io.vigil.transforms.score.ScoreWithCritic;
import io.vigil.transforms.threshold.ThresholdRule;
import io.vigil.transforms.train.BundleAttachments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code vigil score}: CSV and bundle in; results, summary and report out. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Scores a CSV with a model bundle and writes results.csv, results.jsonl (record id, score, "
        + "threshold, anomaly flag, model version, explanation), dead-letters.jsonl, summary.json and report.html."},
    footer = {"", "Any other --name=value is passed to Beam.",
        "Example: vigil score --model=models/notebook --input=... --split=test --output=out/notebook"})
final class ScoreCommand extends PipelineCommand implements Callable<Integer> {
  enum Split { ALL, TEST }

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The bundle written by 'vigil train'.")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "CSV",
      description = "The CSV to score: a file, .gz, glob, or archive.zip!entry.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory for results and report.")
  Path output;

  @Option(names = "--split", defaultValue = "all", paramLabel = "all|test",
      description = "all: every row; test: only the training run's 15%% test split (same seed and sample) "
          + "(default: ${DEFAULT-VALUE}).")
  Split split;

  @Option(names = "--threshold", paramLabel = "percentile:P|fixed:X",
      description = "Another threshold rule, applied to the bundle's saved validation scores (no retraining); "
          + "default: the bundle's threshold.")
  String threshold;

  @Option(names = "--sample", paramLabel = "N", description = "Score the notebook sample of N rows (default: the "
      + "training run's sample with --split=test, else none).")
  Integer sample;

  @Option(names = "--batch-size", defaultValue = "" + ScoreWithCritic.DEFAULT_BATCH_SIZE, paramLabel = "N",
      description = "Records scored together (default: ${DEFAULT-VALUE}); scores do not depend on it.")
  int batchSize;

  @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
      description = "Where the critic runs (default: ${DEFAULT-VALUE}).")
  DeviceChoice device;

  @Override
  public Integer call() throws Exception {
    ScoringSettings settings = settings();
    ModelBundle bundle = loadBundle(model);
    var options = pipelineOptions(-1);
    long wallMillis = ScoringPipeline.run(options, settings, bundle);
    ScoringSummary summary = ScoringSummary.write(settings, bundle,
        Map.of("wallSeconds", String.format(java.util.Locale.ROOT, "%.1f", wallMillis / 1000.0)));
    System.out.printf("Scored %d rows: %d anomalies (threshold %.6g), %d dead letters%n", summary.rowsScored(),
        summary.anomalies(), summary.threshold(), summary.deadLetters());
    System.out.printf("Results in %s; report: %s%n", output.toAbsolutePath(), summary.report().toAbsolutePath());
    return 0;
  }

  ScoringSettings settings() {
    requireReadableInput("--input", input);
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
    }
    Optional<ThresholdRule> rule;
    try {
      rule = threshold == null ? Optional.empty() : Optional.of(ThresholdRule.parse(threshold));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return new ScoringSettings(input, model, output, split == Split.TEST,
        sample == null ? OptionalInt.empty() : OptionalInt.of(sample), rule, batchSize, device, 5000);
  }

  /** Loads the bundle and checks it holds what scoring needs, before any pipeline starts. */
  ModelBundle loadBundle(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ParameterException(spec.commandLine(), "--model: no bundle directory at " + directory.toAbsolutePath());
    }
    ModelBundle bundle = ModelBundle.load(directory);
    int width = BundleAttachments.artifact(bundle).width();
    if (width != bundle.inputWidth()) {
      throw new ParameterException(spec.commandLine(), "--model: the bundle's critic reads " + bundle.inputWidth()
          + " features but its preprocessing artifact produces " + width + "; the bundle is inconsistent");
    }
    return bundle;
  }
}
