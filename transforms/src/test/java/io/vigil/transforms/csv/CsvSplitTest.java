package io.vigil.transforms.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.beam.sdk.io.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every line of a file belongs to exactly one split, whatever the split size and wherever the cuts fall. */
class CsvSplitTest {
  @TempDir
  Path dir;

  private List<String> linesThroughSplits(Path file, long splitBytes) throws IOException {
    List<String> lines = new ArrayList<>();
    for (CsvSplit split : CsvSplit.of(file.toString(), null, Compression.UNCOMPRESSED, Files.size(file), splitBytes)) {
      split.forEachLine(line -> lines.add(line.text()));
    }
    return lines;
  }

  @Test
  void splitsOfEverySizeTogetherYieldEachLineOnce() throws IOException {
    List<String> expected = List.of("id,dose,ward", "r1,1.5,é", "", "r2,22.25,ward 2", "r3,3,x", "", "r4,4,last");
    Path crlf = dir.resolve("crlf.csv");
    Files.writeString(crlf, String.join("\r\n", expected) + "\r\n", StandardCharsets.UTF_8);
    Path unterminated = dir.resolve("unterminated.csv");
    Files.writeString(unterminated, String.join("\n", expected), StandardCharsets.UTF_8);

    for (Path file : List.of(crlf, unterminated)) {
      for (long splitBytes = 1; splitBytes <= Files.size(file) + 1; splitBytes++) {
        assertThat(linesThroughSplits(file, splitBytes)).as(file.getFileName() + " cut every " + splitBytes + " bytes")
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void aMissingZipEntryIsAClearError() throws IOException {
    Path zip = dir.resolve("export.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("other.csv"));
      out.write("id\n1\n".getBytes(StandardCharsets.UTF_8));
    }
    CsvSplit split = CsvSplit.of(zip.toString(), "visits.csv", Compression.UNCOMPRESSED, Files.size(zip), 10).get(0);

    assertThatThrownBy(() -> split.forEachLine(line -> { }))
        .isInstanceOf(IOException.class).hasMessageContaining("has no entry 'visits.csv'; its entries are [other.csv]");
  }

  @Test
  void aCompressedFileIsOneSplitAndAPlainOneIsCut() {
    assertThat(CsvSplit.of("a.csv.gz", null, Compression.GZIP, 1000, 100)).singleElement()
        .satisfies(split -> assertThat(split.end()).isEqualTo(Long.MAX_VALUE));
    assertThat(CsvSplit.of("a.zip", "x.csv", Compression.UNCOMPRESSED, 1000, 100)).hasSize(1);
    assertThat(CsvSplit.of("a.csv", null, Compression.UNCOMPRESSED, 1000, 300)).extracting(CsvSplit::start)
        .containsExactly(0L, 300L, 600L, 900L);
    assertThat(CsvSplit.of("empty.csv", null, Compression.UNCOMPRESSED, 0, 300)).hasSize(1);
  }
}
