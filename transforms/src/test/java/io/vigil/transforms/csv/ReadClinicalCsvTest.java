package io.vigil.transforms.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.split.NotebookSample;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading generated CSV files on the direct runner: splits, compression, zip entries, dead letters, sampling. */
class ReadClinicalCsvTest {
  static final ColumnSpec SPEC = ColumnSpec.of(List.of(
      ColumnSpec.Column.of("id", ColumnKind.IDENTIFIER),
      ColumnSpec.Column.of("dose", ColumnKind.NUMERIC),
      ColumnSpec.Column.of("ward", ColumnKind.CATEGORICAL),
      ColumnSpec.Column.of("note", ColumnKind.IGNORED)), "id");

  @TempDir
  Path dir;

  /** {@code rows} good lines "r<i>,<i>.5,ward<i%3>,n<i>", 1-based data row i. */
  private static List<String> goodLines(int rows) {
    List<String> lines = new ArrayList<>();
    lines.add("id,dose,ward,note");
    for (int i = 1; i <= rows; i++) {
      lines.add("r" + i + "," + i + ".5,ward" + (i % 3) + ",n" + i);
    }
    return lines;
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
    return file;
  }

  /** Runs the read; returns records as "id|dose|ward|note" and dead letters as "location|reason". */
  private Collected run(ReadClinicalCsv read) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    ReadClinicalCsv.Result result = pipeline.apply(read);
    Path out = dir.resolve("out-" + System.nanoTime());
    CollectedOutput.writeTo(result.records().apply(MapElements.into(TypeDescriptors.strings()).via(ReadClinicalCsvTest::show)),
        out, "records");
    CollectedOutput.writeTo(result.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.location() + "|" + d.reason() + "|" + d.payload())), out, "dead");
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    return new Collected(CollectedOutput.read(out, "records"), CollectedOutput.read(out, "dead"), run);
  }

  private static String show(Row row) {
    return row.getString("id") + "|" + row.getDouble("dose") + "|" + row.getString("ward") + "|" + row.getString("note");
  }

  record Collected(List<String> records, List<String> deadLetters, PipelineResult result) {
    long counter(String name) {
      long total = 0;
      for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(ReadClinicalCsv.class, name)).build()).getCounters()) {
        total += counter.getAttempted();
      }
      return total;
    }
  }

  @Test
  void readsAPlainFileInManySplitsWithExactLineNumbers() throws IOException {
    List<String> lines = goodLines(40);
    lines.set(5, "r5,5.5,ward2");                       // line 6: a field short
    lines.set(12, "r12,twelve,ward0,n12");              // line 13: not a number
    lines.set(20, "?,20.5,ward2,n20");                  // line 21: no identifier
    lines.set(33, "r33,33.5,\"ward0,n33");              // line 34: unterminated quote
    lines.add(30, "");                                  // line 31: blank, not a row
    Path file = write("visits.csv", lines);

    Collected out = run(ReadClinicalCsv.from(file.toString()).withSpec(SPEC).withDesiredSplitBytes(200));

    assertThat(out.records()).hasSize(36).contains("r1|1.5|ward1|n1", "r40|40.5|ward1|n40");
    assertThat(out.deadLetters()).extracting(d -> d.substring(0, d.indexOf('|')))
        .containsExactlyInAnyOrder("line 6", "line 13", "line 21", "line 35");
    assertThat(out.deadLetters()).anySatisfy(d -> assertThat(d).startsWith("line 6|expected 4 fields, found 3"))
        .anySatisfy(d -> assertThat(d).startsWith("line 13|column 'dose': 'twelve' is not a finite number"))
        .anySatisfy(d -> assertThat(d).startsWith("line 21|identifier column 'id' is missing"))
        .anySatisfy(d -> assertThat(d).startsWith("line 35|not valid CSV"));
    assertThat(out.counter("dataRows")).isEqualTo(40);
    assertThat(out.counter("records") + out.counter("deadLetters")).isEqualTo(out.counter("dataRows"));
    assertThat(out.counter("blankLines")).isEqualTo(1);
  }

  @Test
  void readsGzipAndZipEntriesAndMissingMarkers() throws IOException {
    List<String> lines = goodLines(5);
    lines.set(2, "r2,NA,,n2");
    byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    Path gz = dir.resolve("visits.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(content);
    }
    Path zip = dir.resolve("export.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("readme.txt"));
      out.write("not csv".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("export/visits.csv"));
      out.write(content);
    }

    Collected fromGzip = run(ReadClinicalCsv.from(gz.toString()).withSpec(SPEC).withMissingMarker("NA"));
    Collected fromZip = run(ReadClinicalCsv.from(zip + "!export/visits.csv").withSpec(SPEC).withMissingMarker("NA"));

    assertThat(fromGzip.records()).hasSize(5).contains("r2|null|null|n2", "r5|5.5|ward2|n5");
    assertThat(fromZip.records()).containsExactlyInAnyOrderElementsOf(fromGzip.records());
    assertThat(fromZip.deadLetters()).isEmpty();
  }

  @Test
  void aHeaderThatDoesNotMatchTheSpecSendsEveryRowToTheDeadLetters() throws IOException {
    List<String> reordered = goodLines(3);
    reordered.replaceAll(line -> {
      String[] f = line.split(",");
      return String.join(",", f[3], f[2], f[1], f[0]);
    });
    List<String> unknown = goodLines(3);
    unknown.set(0, "id,dose,ward,remark");

    Collected fine = run(ReadClinicalCsv.from(write("reordered.csv", reordered).toString()).withSpec(SPEC));
    Collected rejected = run(ReadClinicalCsv.from(write("unknown.csv", unknown).toString()).withSpec(SPEC));

    assertThat(fine.records()).containsExactlyInAnyOrder("r1|1.5|ward1|n1", "r2|2.5|ward2|n2", "r3|3.5|ward0|n3");
    assertThat(rejected.records()).isEmpty();
    assertThat(rejected.deadLetters()).hasSize(3).allSatisfy(d -> assertThat(d)
        .contains("header does not match the column spec: unknown column(s) [remark]; missing column(s) [note]"));
  }

  @Test
  void theNotebookSampleKeepsTheRowsPandasKeeps() throws IOException {
    List<String> lines = goodLines(30);
    lines.add(10, "");
    Path file = write("visits.csv", lines);

    Collected sampled = run(ReadClinicalCsv.from(file.toString()).withSpec(SPEC).withDesiredSplitBytes(50)
        .withNotebookSample(7, 42));

    List<String> expectedIds = Arrays.stream(NotebookSample.of(7, 42).positions(30))
        .mapToObj(position -> "r" + (position + 1)).toList();
    assertThat(sampled.records()).extracting(r -> r.substring(0, r.indexOf('|')))
        .containsExactlyInAnyOrderElementsOf(expectedIds);
    assertThat(sampled.counter("notSampled")).isEqualTo(23);
  }

  @Test
  void anEmptyFileIsADeadLetterAndOptionsAreValidated() throws IOException {
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThat(run(ReadClinicalCsv.from(empty.toString()).withSpec(SPEC)).deadLetters())
        .singleElement().asString().startsWith("line 1|file is empty");

    assertThatThrownBy(() -> ReadClinicalCsv.from(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadClinicalCsv.from("a.zip!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadClinicalCsv.from("a.csv").withMissingMarker("a,b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadClinicalCsv.from("a.csv").withDesiredSplitBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesLinesFromElsewhere() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    ReadClinicalCsv.Result result = pipeline
        .apply(Create.of("ward1,1.5,r1,n1\r", "ward2,x,r2,n2", "ward0,3,r3"))
        .apply(ParseClinicalCsv.create().withSpec(SPEC).withHeader("ward,dose,id,note").withSourceName("topic"));
    Path out = dir.resolve("parsed");
    CollectedOutput.writeTo(result.records().apply(MapElements.into(TypeDescriptors.strings())
        .via(ReadClinicalCsvTest::show)), out, "records");
    CollectedOutput.writeTo(result.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.source() + "|" + d.reason())), out, "dead");
    pipeline.run().waitUntilFinish();

    assertThat(CollectedOutput.read(out, "records")).containsExactly("r1|1.5|ward1|n1");
    assertThat(CollectedOutput.read(out, "dead")).containsExactlyInAnyOrder(
        "topic|column 'dose': 'x' is not a finite number", "topic|expected 4 fields, found 3");
    assertThatThrownBy(() -> Pipeline.create().apply(Create.of("x"))
        .apply(ParseClinicalCsv.create().withSpec(SPEC).withHeader("id,dose")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing column(s) [ward, note]");
  }
}
