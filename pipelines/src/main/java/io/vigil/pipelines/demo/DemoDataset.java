package io.vigil.pipelines.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Generated encounters in the diabetes layout, and which of them were planted as anomalies (by encounter id). */
public final class DemoDataset {
  private final List<String> columns;
  private final List<List<String>> rows;
  private final Map<String, PlantedAnomaly> planted;

  DemoDataset(List<String> columns, List<List<String>> rows, Map<String, PlantedAnomaly> planted) {
    this.columns = List.copyOf(columns);
    this.rows = List.copyOf(rows);
    this.planted = Map.copyOf(planted);
  }

  public List<String> columns() {
    return columns;
  }

  /** Each row's values in {@link #columns()} order, {@code ?} for missing, as in the real file. */
  public List<List<String>> rows() {
    return rows;
  }

  /** Encounter id → the kind of anomaly planted there. */
  public Map<String, PlantedAnomaly> planted() {
    return planted;
  }

  /** Writes the encounters as the real file is laid out: a header, CRLF line ends, no quoting unless needed. */
  public void writeCsv(Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT)) {
      printer.printRecord(columns);
      for (List<String> row : rows) {
        printer.printRecord(row);
      }
    }
  }

  /** Writes the answer key: {@code encounter_id,anomaly,description}, one line per planted record. */
  public void writeLabels(Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT)) {
      printer.printRecord("encounter_id", "anomaly", "description");
      for (Map.Entry<String, PlantedAnomaly> entry : new java.util.TreeMap<>(planted).entrySet()) {
        printer.printRecord(entry.getKey(), entry.getValue().name(), entry.getValue().description());
      }
    }
  }
}
