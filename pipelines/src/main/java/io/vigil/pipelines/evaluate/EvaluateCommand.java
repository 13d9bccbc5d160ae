package io.vigil.pipelines.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil evaluate}: measures detection quality on the ADBench healthcare sets under ADBench's protocol and
 * writes a report against the published figures.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Scores labelled benchmark sets (ADBench, .npz) under ADBench's unsupervised protocol "
        + "(stratified 70/30 split per seed, labels unused in training, metrics on the test split) and writes "
        + "report.md, results.csv, summary.csv and aucroc.png to the output folder."})
public final class EvaluateCommand implements Callable<Integer> {
  /** The detectors the command can run. */
  public enum Method {
    RCF
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", description = "Folder with the ADBench .npz files and the published results CSVs "
      + "(default: <vigil.shared.dir or ../shared>/data/adbench).")
  Path dataDir;

  @Option(names = "--datasets", split = ",", description = "Data sets by name, e.g. cardio,WBC (default: every .npz in "
      + "the data folder).")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--seeds", split = ",", description = "Split seeds (default: ${DEFAULT-VALUE}).")
  List<Long> seeds = new ArrayList<>(List.of(0L, 1L, 2L));

  @Option(names = "--methods", split = ",", description = "Detectors to run: ${COMPLETION-CANDIDATES} "
      + "(default: all).")
  List<Method> methods = new ArrayList<>(List.of(Method.values()));

  @Option(names = "--output", description = "Folder for the results (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("results");

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    Path adbench = dataDir != null ? dataDir : defaultDataDir();
    if (!Files.isDirectory(adbench)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "data folder not found: " + adbench);
    }
    List<LabelledDataset> sets = loadDatasets(adbench);
    List<AnomalyDetector> detectors = detectors();
    PrintProgress progress = new PrintProgress(spec.commandLine().getOut());
    List<SeedResult> results = AdbenchEvaluation.run(sets, seeds, detectors, progress);
    EvaluationReport report = new EvaluationReport(results, List.of(),
        PublishedResults.read(adbench.resolve("results_unsupervised_aucroc.csv")),
        PublishedResults.read(adbench.resolve("results_unsupervised_aucpr.csv")),
        commandLine(), Duration.ofNanos(System.nanoTime() - start), notes());
    Path written = report.write(output);
    spec.commandLine().getOut().println(report.markdown());
    spec.commandLine().getOut().println("report: " + written.toAbsolutePath());
    return 0;
  }

  private List<AnomalyDetector> detectors() {
    List<AnomalyDetector> detectors = new ArrayList<>();
    for (Method method : methods) {
      detectors.add(switch (method) {
        case RCF -> RandomCutForestDetector.withDefaults();
      });
    }
    return detectors;
  }

  private List<String> notes() {
    return List.of("Seeds: " + seeds + "; methods: " + methods,
        "Protocol: ADBench's (sets under 1,000 rows resampled to 1,000, over 10,000 subsampled to 10,000; stratified "
            + "70/30 split; min-max scaling fitted on the training split); RCF: 100 trees of 256 points, no decay.");
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

  private static Path defaultDataDir() {
    String shared = System.getProperty("vigil.shared.dir", "../shared");
    return Path.of(shared, "data", "adbench");
  }

  private String commandLine() {
    List<String> args = spec.commandLine().getParseResult() == null ? List.of()
        : spec.commandLine().getParseResult().originalArgs();
    return ("./vigil evaluate " + String.join(" ", args)).strip();
  }

  /** Prints one line per measured result. */
  private record PrintProgress(java.io.PrintWriter out) implements java.util.function.Consumer<SeedResult> {
    @Override
    public void accept(SeedResult r) {
      out.println(String.format(Locale.ROOT, "%-18s %-8s seed %d  AUCROC %5.1f  AUCPR %5.1f  (%.1f s)", r.dataset(),
          r.method(), r.seed(), r.aucRoc(), r.aucPr(), r.seconds()));
      out.flush();
    }
  }
}
