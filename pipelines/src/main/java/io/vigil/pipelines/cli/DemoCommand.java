package io.vigil.pipelines.cli;

import io.vigil.models.DeviceChoice;
import io.vigil.models.ModelBundle;
import io.vigil.pipelines.batch.Preset;
import io.vigil.pipelines.batch.ScoringPipeline;
import io.vigil.pipelines.batch.ScoringSettings;
import io.vigil.pipelines.batch.ScoringSummary;
import io.vigil.pipelines.batch.TrainingPipeline;
import io.vigil.pipelines.batch.TrainingSettings;
import io.vigil.pipelines.demo.DemoDataset;
import io.vigil.pipelines.demo.DemoEncounterGenerator;
import io.vigil.pipelines.demo.PlantedAnomaly;
import io.vigil.transforms.score.ScoreWithCritic;
import io.vigil.transforms.threshold.ThresholdRule;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vigil.transforms.records.AnomalyResult;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the whole flow on generated encounters with planted anomalies, on embedded Flink — generate,
 * train a small model, score every encounter, write the report, and say how many planted anomalies were caught.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generates realistic diabetes-130 encounters with a labelled set of planted anomalies, trains a "
        + "small WGAN-GP on embedded Flink, scores every encounter, writes the report, and prints how many planted "
        + "anomalies were caught."})
final class DemoCommand extends PipelineCommand implements Callable<Integer> {
  /** Few epochs: the demo must finish in minutes on 2 CPU cores. */
  static final int DEMO_EPOCHS = 3;
  static final int DEMO_PARALLELISM = 2;

  @Option(names = "--output", defaultValue = "vigil-demo", paramLabel = "DIR",
      description = "Where data, model and report go (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--encounters", defaultValue = "3000", paramLabel = "N",
      description = "Encounters to generate, 1%% of them planted anomalies (default: ${DEFAULT-VALUE}).")
  int encounters;

  @Option(names = "--epochs", defaultValue = "" + DEMO_EPOCHS, paramLabel = "N",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the data, split and model "
      + "(default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
      description = "auto: the GPU when present, else the CPU (default: ${DEFAULT-VALUE}).")
  DeviceChoice device;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    var options = pipelineOptions(DEMO_PARALLELISM);
    Files.createDirectories(output);
    DemoDataset data;
    try {
      data = DemoEncounterGenerator.withSeed(seed).withEncounters(encounters).generate();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path csv = output.resolve("encounters.csv");
    data.writeCsv(csv);
    data.writeLabels(output.resolve("planted-anomalies.csv"));
    System.out.printf("Generated %d encounters (%d planted anomalies) in %s%n", encounters, data.planted().size(),
        csv.toAbsolutePath());

    Preset preset = Preset.RECOMMENDED;
    Path bundleDirectory = output.resolve("model");
    TrainingSettings training = new TrainingSettings(csv.toString(), bundleDirectory,
        preset.model().toBuilder().epochs(epochs).seed(seed).device(device).build(), preset.preprocessing(),
        preset.fitPreprocessingOnAllRows(), OptionalInt.empty(), seed, ThresholdRule.notebookDefault());
    System.out.printf("Training (%s preset, %d epochs) on embedded Flink...%n",
        preset.name().toLowerCase(Locale.ROOT), epochs);
    TrainingPipeline.Outcome trained = TrainingPipeline.run(options, training);
    System.out.printf("Trained in %.1f s: width %d, threshold %.5g%n", trained.wallMillis() / 1000.0,
        trained.bundle().inputWidth(), trained.threshold());

    ScoringSettings scoring = new ScoringSettings(csv.toString(), bundleDirectory, output.resolve("results"), false,
        OptionalInt.empty(), Optional.empty(), ScoreWithCritic.DEFAULT_BATCH_SIZE, device, 5000);
    ModelBundle bundle = ModelBundle.load(bundleDirectory);
    long scoringMillis = ScoringPipeline.run(options, scoring, bundle);
    Set<String> flagged = new HashSet<>();
    for (AnomalyResult result : ScoringSummary.readResults(scoring.outputDirectory().resolve(
        ScoringPipeline.RESULTS_CSV))) {
      if (result.anomaly()) {
        flagged.add(result.recordId());
      }
    }
    Map<PlantedAnomaly, int[]> caughtByKind = new EnumMap<>(PlantedAnomaly.class);
    int caught = 0;
    for (Map.Entry<String, PlantedAnomaly> planted : data.planted().entrySet()) {
      int[] counts = caughtByKind.computeIfAbsent(planted.getValue(), k -> new int[2]);
      counts[1]++;
      if (flagged.contains(planted.getKey())) {
        counts[0]++;
        caught++;
      }
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("trainingSeconds", String.format(Locale.ROOT, "%.1f", trained.wallMillis() / 1000.0));
    facts.put("scoringSeconds", String.format(Locale.ROOT, "%.1f", scoringMillis / 1000.0));
    facts.put("plantedAnomaliesCaught", caught + " of " + data.planted().size());
    caughtByKind.forEach((kind, counts) -> facts.put("caught " + kind.name(), counts[0] + " of " + counts[1]));
    ScoringSummary summary = ScoringSummary.write(scoring, bundle, facts);

    System.out.printf("Scored %d encounters: %d flagged (threshold %.5g, 1st percentile of validation scores)%n",
        summary.rowsScored(), summary.anomalies(), summary.threshold());
    caughtByKind.forEach((kind, counts) -> System.out.printf("  %-34s %d of %d caught%n", kind, counts[0],
        counts[1]));
    System.out.printf("Planted anomalies caught: %d of %d (%.0f%%)%n", caught, data.planted().size(),
        100.0 * caught / Math.max(1, data.planted().size()));
    System.out.printf("Report: %s%n", summary.report().toAbsolutePath());
    System.out.printf("Demo finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
