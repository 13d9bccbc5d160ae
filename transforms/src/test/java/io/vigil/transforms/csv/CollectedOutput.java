package io.vigil.transforms.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.values.PCollection;

/**
 * Brings a pipeline's output back to the test through files, which works on every runner (the embedded Flink cluster
 * runs user code in its own class loader, so static collections would not see it).
 */
public final class CollectedOutput {
  private CollectedOutput() {}

  /** Writes each element as one line under {@code dir/name-*}. */
  public static void writeTo(PCollection<String> lines, Path dir, String name) {
    lines.apply("Collect" + name, TextIO.write().to(dir.resolve(name).toString()).withSuffix(".txt").withNumShards(1));
  }

  /** Every line written by {@link #writeTo} under that name, in no particular order. */
  public static List<String> read(Path dir, String name) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name + "-")).toList()) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
