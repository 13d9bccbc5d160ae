package io.vigil.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class VigilCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = VigilCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "train", "score"})
  void everySubcommandHasHelp(String subcommand) {
    assertThat(run(subcommand, "--help")).isZero();
    assertThat(out.toString()).contains("Usage: vigil " + subcommand, "--flinkMaster", "--parallelism");
  }

  @Test
  void trainHelpListsTheTransformOptions() {
    run("train", "--help");
    assertThat(out.toString()).contains("--preset", "--engine", "--device", "--epochs", "--sample", "--seed",
        "--threshold");
  }

  @Test
  void noSubcommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("a subcommand is required");
  }

  @Test
  void aMissingInputFileIsNamed(@TempDir Path dir) {
    assertThat(run("train", "--input=" + dir.resolve("nope.csv"), "--output=" + dir.resolve("model"))).isEqualTo(2);
    assertThat(err.toString()).contains("--input: no readable file at", "nope.csv");
  }

  @Test
  void aMistypedOptionIsNamed(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("in.csv"), "encounter_id\n");
    assertThat(run("train", "--input=" + csv, "--output=" + dir.resolve("model"), "--epoch=3")).isEqualTo(2);
    assertThat(err.toString()).contains("--epoch=3", "neither a vigil option");
  }

  @Test
  void badValuesAreUsageErrors(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("in.csv"), "encounter_id\n");
    assertThat(run("train", "--input=" + csv, "--output=" + dir, "--preset=fastest")).isEqualTo(2);
    assertThat(err.toString()).contains("--preset", "fastest");
    assertThat(run("train", "--input=" + csv, "--output=" + dir, "--threshold=median")).isEqualTo(2);
    assertThat(err.toString()).contains("percentile:<0..100>");
    assertThat(run("train", "--input=" + csv, "--output=" + dir, "--epochs=0")).isEqualTo(2);
    assertThat(err.toString()).contains("epochs");
  }

  @Test
  void scoringWithSomethingThatIsNotABundleFailsClearly(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("in.csv"), "encounter_id\n");
    assertThat(run("score", "--model=" + dir.resolve("absent"), "--input=" + csv, "--output=" + dir.resolve("out")))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no bundle directory");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(run("score", "--model=" + empty, "--input=" + csv, "--output=" + dir.resolve("out"))).isEqualTo(1);
    assertThat(err.toString()).contains("vigil score: error:");
  }
}
