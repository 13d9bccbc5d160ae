package io.vigil.fhir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Pipelines on an embedded Flink cluster, and their outputs collected as text files to assert on afterwards. */
final class FlinkTestPipelines {

  static Pipeline create() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    return Pipeline.create(options);
  }

  /** Writes the lines to one file {@code <dir>/<name>.txt} when the pipeline runs. */
  static void collect(PCollection<String> lines, Path dir, String name) {
    lines.apply("Collect" + name, TextIO.write().to(dir.resolve(name).toString()).withSuffix(".txt").withoutSharding());
  }

  /** Records as {@code field=value} lines, tab-separated, nulls left out, for {@link #readRecords}. */
  static void collectRecords(PCollection<Row> records, Path dir, String name) {
    collect(records.apply("Format" + name, MapElements.into(TypeDescriptors.strings()).via(FlinkTestPipelines::line)),
        dir, name);
  }

  static List<String> readLines(Path dir, String name) {
    Path file = dir.resolve(name + ".txt");
    try (Stream<String> lines = Files.lines(file)) {
      return lines.collect(java.util.stream.Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The collected records by encounter id; values as strings (numbers as Double#toString). */
  static Map<String, Map<String, String>> readRecords(Path dir, String name) {
    Map<String, Map<String, String>> records = new HashMap<>();
    for (String line : readLines(dir, name)) {
      Map<String, String> record = new HashMap<>();
      for (String field : line.split("\t")) {
        int equals = field.indexOf('=');
        record.put(field.substring(0, equals), field.substring(equals + 1));
      }
      if (records.put(record.get("encounter_id"), record) != null) {
        throw new AssertionError("two records for encounter " + record.get("encounter_id"));
      }
    }
    return records;
  }

  private static String line(Row row) {
    List<String> fields = new ArrayList<>();
    for (Schema.Field field : row.getSchema().getFields()) {
      Object value = row.getValue(field.getName());
      if (value != null) {
        fields.add(field.getName() + "=" + value);
      }
    }
    return String.join("\t", fields);
  }

  private FlinkTestPipelines() {}
}
