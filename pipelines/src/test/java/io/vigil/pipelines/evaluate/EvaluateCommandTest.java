package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
  private static final Path ADBENCH = Path.of(System.getProperty("vigil.shared.dir"), "data", "adbench");

  private static int run(StringWriter out, String... args) {
    CommandLine cli = new CommandLine(new EvaluateCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    return cli.execute(args);
  }

  @Test
  void evaluatesOneSmallSetEndToEndThroughTheProductTransformsAndWritesTheReport(@TempDir Path dir)
      throws IOException {
    StringWriter out = new StringWriter();
    int exit = run(out, "--data-dir=" + ADBENCH, "--datasets=WBC", "--seeds=1", "--methods=VIGIL,RCF", "--epochs=1",
        "--max-train-rows=160", "--diabetes-rows=0", "--output=" + dir);

    assertThat(exit).as(out.toString()).isZero();
    List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
    assertThat(rows).hasSize(1 + 3);
    assertThat(rows.get(0)).isEqualTo("dataset,method,seed,aucroc_pct,aucpr_pct,seconds");
    assertThat(rows.get(1)).startsWith("WBC,Vigil,1,");
    assertThat(rows.get(2)).startsWith("WBC,Vigil-unusual,1,");
    assertThat(rows.get(3)).startsWith("WBC,RCF,1,");
    // WBC is easy for isolation-based methods (published IForest: 99.0); a broken split or metric would not be
    assertThat(Double.parseDouble(rows.get(3).split(",")[3])).isBetween(85.0, 100.0);
    // one epoch teaches the critic little, but the recommended preset's standardised distance in its features
    // ranks WBC's anomalies well from the start (5 epochs, 600 rows: 98.7 to 99.7 over three seeds)
    assertThat(Double.parseDouble(rows.get(1).split(",")[3])).isBetween(80.0, 100.0);
    String report = Files.readString(dir.resolve("report.md"));
    assertThat(report).contains("| WBC |").contains("99.5 (CBLOF)").contains("| 99.0 |")
        .contains("./vigil evaluate --data-dir=");
    assertThat(dir.resolve("aucroc.png")).isNotEmptyFile();
    assertThat(Files.readAllLines(dir.resolve("summary.csv"))).hasSize(4);
    assertThat(dir.resolve("bundles")).isEmptyDirectory();
  }

  @Test
  void modelAndScalingOverridesGoThroughTheProductAndAreNamedInTheReport(@TempDir Path dir) throws IOException {
    StringWriter out = new StringWriter();
    int exit = run(out, "--data-dir=" + ADBENCH, "--datasets=WBC", "--seeds=1", "--methods=VIGIL,VIGIL_UNTRAINED",
        "--epochs=1", "--max-train-rows=160", "--scoring=FEATURE_DISTANCE", "--numeric-scaling=QUANTILE_NORMAL",
        "--diabetes-rows=0", "--learning-rate=2e-4", "--output=" + dir);

    assertThat(exit).as(out.toString()).isZero();
    List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
    assertThat(rows).hasSize(1 + 4);
    assertThat(rows.get(1)).startsWith("WBC,Vigil,1,");
    assertThat(Double.parseDouble(rows.get(1).split(",")[3])).isBetween(0.0, 100.0);
    assertThat(rows.get(3)).startsWith("WBC,Vigil-untrained,1,");
    assertThat(rows.get(4)).startsWith("WBC,Vigil-untrained-unusual,1,");
    assertThat(Files.readString(dir.resolve("report.md"))).contains("scoring FEATURE_DISTANCE")
        .contains("numeric scaling QUANTILE_NORMAL").contains("learning rate 2.0E-4")
        .contains("| Vigil-untrained |").contains("Adam's learning rate 1.0E-12");
  }

  @Test
  void nonPositiveLearningRateIsAClearError(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    int exit = run(out, "--data-dir=" + ADBENCH, "--learning-rate=0", "--output=" + dir);
    assertThat(exit).isNotZero();
    assertThat(out.toString()).contains("--learning-rate must be finite and positive, got 0.0");
  }

  @Test
  void unknownDataSetIsAClearError(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    int exit = run(out, "--data-dir=" + ADBENCH, "--datasets=nosuchset", "--output=" + dir);
    assertThat(exit).isNotZero();
    assertThat(out.toString()).contains("nosuchset").contains("annthyroid");
  }
}
