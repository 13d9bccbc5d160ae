package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The 16 Synthea R4 bundles of the shared data, found through the {@code vigil.shared.dir} system property. */
final class SyntheaFiles {
  /** Encounters in the 16 bundles, as the shared data README lists them (Encounter 283). */
  static final int ENCOUNTERS = 283;

  static Path directory() {
    String shared = System.getProperty("vigil.shared.dir");
    assertThat(shared).as("system property vigil.shared.dir (set by the parent pom's surefire config)").isNotNull();
    Path directory = Path.of(shared, "data", "fhir", "synthea-r4");
    assertThat(directory).isDirectory();
    return directory;
  }

  static List<Path> bundles() {
    try (Stream<Path> files = Files.list(directory())) {
      List<Path> bundles = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
          .collect(Collectors.toList());
      assertThat(bundles).hasSize(16);
      return bundles;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SyntheaFiles() {}
}
