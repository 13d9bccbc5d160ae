package io.vigil.pipelines.cli;

import io.vigil.models.DeviceChoice;
import io.vigil.models.Engine;
import io.vigil.models.WganGpConfig;
import io.vigil.pipelines.batch.Preset;
import io.vigil.pipelines.batch.TrainingPipeline;
import io.vigil.pipelines.batch.TrainingSettings;
import io.vigil.transforms.threshold.ThresholdRule;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code vigil train}: CSV in, model bundle out. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains the WGAN-GP on a CSV in the diabetes-130 layout and writes a model bundle (network, "
        + "preprocessing, validation scores, threshold).",
        "The rows are split 70/15/15 by record id; the threshold is taken from the validation split."},
    footer = {"", "Any other --name=value is passed to Beam (e.g. --maxBundleSize=1000).",
        "Example (the seed notebook): vigil train --input='../shared/data/diabetes130/dataset_diabetes.zip!"
            + "dataset_diabetes/diabetic_data.csv' --sample=10000 --preset=seed --output=models/notebook"})
final class TrainCommand extends PipelineCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "CSV",
      description = "The CSV: a file, .gz, glob, or archive.zip!entry.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "The bundle directory to write.")
  Path output;

  @Option(names = "--preset", defaultValue = "recommended", paramLabel = "seed|recommended",
      description = "seed: the notebook exactly (preprocessing fitted on all rows, as it does); recommended: its "
          + "defects fixed, vocabulary caps, preprocessing fitted on the training split (default: ${DEFAULT-VALUE}).")
  Preset preset;

  @Option(names = "--engine", paramLabel = "pytorch|mxnet", description = "Deep-learning engine (default: pytorch).")
  Engine engine;

  @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
      description = "auto: the GPU when present, else the CPU (default: ${DEFAULT-VALUE}).")
  DeviceChoice device;

  @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: the preset's).")
  Integer epochs;

  @Option(names = "--sample", paramLabel = "N",
      description = "First take the notebook's pandas sample of N rows (df.sample(n=N, random_state=SEED)).")
  Integer sample;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample, split and model (default: "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threshold", defaultValue = "percentile:1", paramLabel = "percentile:P|fixed:X",
      description = "Threshold rule on the validation scores (default: ${DEFAULT-VALUE}, the notebook's).")
  String threshold;

  @Override
  public Integer call() throws Exception {
    TrainingSettings settings = settings();
    var options = pipelineOptions(-1);
    TrainingPipeline.Outcome outcome = TrainingPipeline.run(options, settings);
    System.out.printf("Model bundle %s written to %s%n", outcome.bundle().fingerprint(),
        settings.bundleDirectory().toAbsolutePath());
    System.out.printf("Input width %d, %d epochs; threshold %.6g (%s); %d dead letters; %.1f s%n",
        outcome.bundle().inputWidth(), outcome.bundle().config().epochs(), outcome.threshold(),
        settings.thresholdRule(), outcome.deadLetters(), outcome.wallMillis() / 1000.0);
    return 0;
  }

  TrainingSettings settings() {
    requireReadableInput("--input", input);
    if (sample != null && sample < 1) {
      throw new ParameterException(spec.commandLine(), "--sample must be at least 1, got " + sample);
    }
    ThresholdRule rule;
    WganGpConfig.Builder model = preset.model().toBuilder().device(device).seed(seed);
    try {
      rule = ThresholdRule.parse(threshold);
      if (engine != null) {
        model.engine(engine);
      }
      if (epochs != null) {
        model.epochs(epochs);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return new TrainingSettings(input, output, model.build(), preset.preprocessing(),
        preset.fitPreprocessingOnAllRows(), sample == null ? OptionalInt.empty() : OptionalInt.of(sample), seed, rule);
  }
}
