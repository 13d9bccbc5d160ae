package io.vigil.pipelines.evaluate;

import io.vigil.models.CriticScoring;
import io.vigil.models.MinibatchInit;
import io.vigil.models.WganGpConfig;
import io.vigil.pipelines.batch.Preset;
import io.vigil.pipelines.evaluate.PlantedAnomalies.Type;
import io.vigil.transforms.preprocess.PreprocessingOptions;
import io.vigil.transforms.preprocess.PreprocessingOptions.NumericScaling;
import io.vigil.transforms.records.Diabetes130;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil evaluate}: measures detection quality on the ADBench healthcare sets under ADBench's protocol, and on
 * the diabetes data with planted anomalies, and writes a report against the published figures.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Scores labelled benchmark sets (ADBench, .npz) under ADBench's unsupervised protocol "
        + "(stratified 70/30 split per seed, labels unused in training, metrics on the test split) and the diabetes "
        + "data with planted anomalies, through Vigil's own transforms on embedded Flink, beside baselines on the "
        + "same splits. Writes report.md, results.csv, summary.csv and aucroc.png to the output folder."})
public final class EvaluateCommand implements Callable<Integer> {
  /** The detectors the command can run. */
  public enum Method {
    /** Vigil's critic, trained and scored with the chosen preset and overrides. */
    VIGIL,
    /**
     * The control for what the critic's training adds: the same fits and scoring as {@link #VIGIL} with the critic
     * kept at its random initial weights (see {@link VigilCriticDetector#untrained}).
     */
    VIGIL_UNTRAINED,
    RCF
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--datasets", split = ",", description = "ADBench sets by name, e.g. cardio,WBC (default: every "
      + ".npz in the data folder); 'none' skips ADBench.")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--seeds", split = ",", description = "Seeds: one split (and one training) per seed "
      + "(default: ${DEFAULT-VALUE}).")
  List<Long> seeds = new ArrayList<>(List.of(0L, 1L, 2L));

  @Option(names = "--methods", split = ",", description = "Detectors: ${COMPLETION-CANDIDATES} (default: all; "
      + "VIGIL_UNTRAINED is Vigil with the critic left at its random initial weights, the control for what its "
      + "training adds).")
  List<Method> methods = new ArrayList<>(List.of(Method.values()));

  @Option(names = "--preset", description = "Vigil's model and preprocessing preset: ${COMPLETION-CANDIDATES} "
      + "(default: ${DEFAULT-VALUE}).")
  Preset preset = Preset.RECOMMENDED;

  @Option(names = "--epochs", description = "Training epochs; 0 = the preset's (default: ${DEFAULT-VALUE}: on these "
      + "small sets 5 epochs ranked as well as 10 and fit the CPU budget).")
  int epochs = 5;

  @Option(names = "--learning-rate", description = "Override the preset's Adam learning rate (both networks; "
      + "the notebook's: 1e-4).")
  Double learningRate;

  @Option(names = "--minibatch-init", description = "Override the preset's minibatch-discrimination initialisation: "
      + "${COMPLETION-CANDIDATES}.")
  MinibatchInit minibatchInit;

  @Option(names = "--scoring", description = "Override the preset's critic scoring: ${COMPLETION-CANDIDATES} "
      + "(CRITIC: the critic's output; FEATURE_DISTANCE: Mahalanobis distance in the critic's second hidden layer to "
      + "the reference rows; FEATURE_STANDARDISED: the same layer's standardised distance, diagonal covariance; "
      + "FIRST_LAYER_STANDARDISED: the standardised distance in the first hidden layer's pre-activations).")
  CriticScoring scoring;

  @Option(names = "--numeric-scaling", description = "Override the preset's numeric scaling: "
      + "${COMPLETION-CANDIDATES} (MIN_MAX: the notebook's; QUANTILE_NORMAL: through each column's fitted "
      + "distribution to normal scores; AUTO: quantile-normal for heavy-tailed columns only).")
  NumericScaling numericScaling;

  @Option(names = "--critics", description = "Critics trained per fit (training seeds), their standardised scores "
      + "averaged (default: ${DEFAULT-VALUE}).")
  int critics = 1;

  @Option(names = "--max-train-rows", description = "Train Vigil on at most this many rows of each training split "
      + "(a seeded subsample; 0 = all). Bounds CPU time; baselines always see the whole split "
      + "(default: ${DEFAULT-VALUE}).")
  int maxTrainRows = 600;

  @Option(names = "--diabetes-rows", description = "Rows of the diabetes data (pandas-style sample) for the "
      + "planted-anomaly evaluation; 0 skips it (default: ${DEFAULT-VALUE}).")
  int diabetesRows = 2000;

  @Option(names = "--planted-types", split = ",", description = "Planted anomaly types: ${COMPLETION-CANDIDATES} "
      + "(default: all).")
  List<Type> plantedTypes = new ArrayList<>(List.of(Type.values()));

  @Option(names = "--data-dir", description = "Folder with the ADBench .npz files and the published results CSVs "
      + "(default: <vigil.shared.dir or ../shared>/data/adbench).")
  Path dataDir;

  @Option(names = "--diabetes", description = "The diabetes CSV, a zip entry as archive.zip!entry (default: "
      + "<vigil.shared.dir or ../shared>/data/diabetes130/dataset_diabetes.zip!dataset_diabetes/diabetic_data.csv).")
  String diabetes;

  @Option(names = "--parallelism", description = "Embedded Flink parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism = 1;

  @Option(names = "--output", description = "Folder for the results (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("results");

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    validate();
    Path adbench = dataDir != null ? dataDir : sharedDir().resolve("adbench");
    if (!Files.isDirectory(adbench)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "data folder not found: " + adbench);
    }
    PrintWriter out = spec.commandLine().getOut();
    Consumer<SeedResult> progress = r -> {
      out.println(String.format(Locale.ROOT, "%-22s %-8s seed %d  AUCROC %5.1f  AUCPR %5.1f  (%.1f s)", r.dataset(),
          r.method(), r.seed(), r.aucRoc(), r.aucPr(), r.seconds()));
      out.flush();
    };
    EvaluationRunner runner = EvaluationRunner.embeddedFlink(parallelism);
    List<AnomalyDetector> detectors = detectors(runner);

    List<SeedResult> benchmark = List.of();
    if (!datasets.equals(List.of("none"))) {
      benchmark = AdbenchEvaluation.run(loadDatasets(adbench), seeds, detectors, progress);
    }
    List<SeedResult> planted = List.of();
    if (diabetesRows > 0) {
      String source = diabetes != null ? diabetes : sharedDir().resolve("diabetes130").resolve("dataset_diabetes.zip")
          + "!dataset_diabetes/diabetic_data.csv";
      List<Row> rows = ClinicalRecords.read(runner, source, Diabetes130.SPEC, diabetesRows, 42);
      int heldOut = (int) Math.round(rows.size() * AdbenchProtocol.TEST_FRACTION);
      planted = new PlantedEvaluation(Diabetes130.SPEC, "diabetes", Integer.MAX_VALUE, heldOut)
          .run(rows, seeds, plantedTypes, detectors, progress);
    }
    EvaluationReport report = new EvaluationReport(benchmark, planted,
        PublishedResults.read(adbench.resolve("results_unsupervised_aucroc.csv")),
        PublishedResults.read(adbench.resolve("results_unsupervised_aucpr.csv")),
        commandLine(), Duration.ofNanos(System.nanoTime() - start), notes());
    Path written = report.write(output);
    out.println(report.markdown());
    out.println("report: " + written.toAbsolutePath());
    return 0;
  }

  private void validate() {
    if (seeds.isEmpty() || methods.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give at least one seed and one method");
    }
    if (epochs < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must not be negative, got " + epochs);
    }
    if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--learning-rate must be finite and positive, got " + learningRate);
    }
    if (critics < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--critics must be positive, got " + critics);
    }
    if (maxTrainRows < 0 || diabetesRows < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--max-train-rows and --diabetes-rows must not be negative");
    }
    if (diabetesRows > 0 && diabetesRows < 100) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--diabetes-rows must be 0 (skip) or at least 100, got " + diabetesRows);
    }
  }

  private WganGpConfig model() {
    WganGpConfig.Builder config = preset.model().toBuilder();
    if (epochs > 0) {
      config.epochs(epochs);
    }
    if (minibatchInit != null) {
      config.minibatchInit(minibatchInit);
    }
    if (learningRate != null) {
      config.learningRate(learningRate);
    }
    if (scoring != null) {
      config.scoring(scoring);
    }
    return config.build();
  }

  private PreprocessingOptions preprocessing() {
    return numericScaling == null ? preset.preprocessing() : preset.preprocessing().withNumericScaling(numericScaling);
  }

  private List<AnomalyDetector> detectors(EvaluationRunner runner) {
    String vigil = critics == 1 ? "Vigil" : "Vigil-x" + critics;
    WganGpConfig model = model();
    PreprocessingOptions preprocessing = preprocessing();
    Path bundles = output.resolve("bundles");
    List<AnomalyDetector> detectors = new ArrayList<>();
    for (Method method : methods) {
      detectors.add(switch (method) {
        case VIGIL -> VigilCriticDetector.of(vigil, runner, model, preprocessing, maxTrainRows, critics, bundles);
        case VIGIL_UNTRAINED -> VigilCriticDetector.of(vigil + "-untrained", runner,
            VigilCriticDetector.untrained(model), preprocessing, maxTrainRows, critics, bundles);
        case RCF -> RandomCutForestDetector.withDefaults();
      });
    }
    return detectors;
  }

  private List<String> notes() {
    WganGpConfig model = model();
    return List.of("Seeds: " + seeds + "; methods: " + methods,
        "Vigil: preset " + preset.name().toLowerCase(Locale.ROOT) + ", " + model.epochs() + " epochs, learning rate "
            + model.learningRate() + ", minibatch init " + model.minibatchInit() + ", scoring " + model.scoring()
            + ", numeric scaling " + preprocessing().numericScaling() + ", " + critics
            + " critic(s) per fit, trained on at most " + (maxTrainRows == 0 ? "all" : Integer.toString(maxTrainRows))
            + " rows of each training split; "
            + "FitPreprocessing/ApplyPreprocessing/TrainWganGp/ScoreWithCritic on embedded Flink (parallelism "
            + parallelism + ")",
        "Vigil ranks by -score (the notebook's rule; the score is the critic's output, or with a feature scoring "
            + "minus the distance in the critic's hidden features); Vigil-unusual by |score - median training "
            + "score|, from the same fit."
            + (methods.contains(Method.VIGIL_UNTRAINED) ? " Vigil-untrained: the same fits with Adam's learning "
                + "rate " + VigilCriticDetector.UNTRAINED_LEARNING_RATE + ", too small to change a float32 weight, "
                + "so the critic keeps its random initial weights (the control for what its training adds)." : ""),
        "Protocol: ADBench's (sets under 1,000 rows resampled to 1,000, over 10,000 subsampled to 10,000; stratified "
            + "70/30 split; min-max scaling fitted on the training split); RCF: 100 trees of 256 points, no decay, "
            + "whole training split.",
        diabetesRows > 0 ? "Diabetes: " + diabetesRows + " rows (pandas-style sample, seed 42), 70/30 per seed, "
            + Math.round(100 * PlantedEvaluation.ANOMALY_FRACTION) + "% planted per type into the held-out rows"
            : "Diabetes: skipped");
  }

  private List<LabelledDataset> loadDatasets(Path adbench) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(adbench)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".npz"))
          .sorted(Comparator.comparingInt(EvaluateCommand::adbenchNumber)).toList();
    }
    List<LabelledDataset> sets = new ArrayList<>();
    for (Path file : files) {
      if (datasets.isEmpty() || datasets.stream().anyMatch(n -> n.equalsIgnoreCase(LabelledDataset.adbenchName(file)))) {
        sets.add(LabelledDataset.readAdbenchNpz(file));
      }
    }
    List<String> unknown = datasets.stream().filter(n -> sets.stream().noneMatch(s -> s.name().equalsIgnoreCase(n)))
        .toList();
    if (!unknown.isEmpty() || sets.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no .npz for data set(s) " + unknown + " in "
          + adbench + "; found " + files.stream().map(LabelledDataset::adbenchName).toList());
    }
    return sets;
  }

  private static int adbenchNumber(Path file) {
    String name = file.getFileName().toString();
    int underscore = name.indexOf('_');
    try {
      return underscore > 0 ? Integer.parseInt(name.substring(0, underscore)) : Integer.MAX_VALUE;
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static Path sharedDir() {
    return Path.of(System.getProperty("vigil.shared.dir", "../shared"), "data");
  }

  private String commandLine() {
    List<String> args = spec.commandLine().getParseResult() == null ? List.of()
        : spec.commandLine().getParseResult().originalArgs();
    // Under the root command the original arguments already start with "evaluate".
    String command = spec.parent() == null ? "./vigil evaluate " : "./vigil ";
    return (command + String.join(" ", args)).strip();
  }
}
