package io.vigil.pipelines.evaluate;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One published results table (ADBench Table D4 or D5): per data set, each method's figure in percent. An empty cell
 * (the paper's N/A) is absent, not zero.
 */
public final class PublishedResults {
  private final List<String> methods;
  private final Map<String, Map<String, Double>> byDataset;

  private PublishedResults(List<String> methods, Map<String, Map<String, Double>> byDataset) {
    this.methods = List.copyOf(methods);
    this.byDataset = byDataset;
  }

  /** A method's figure and its name. */
  public record Figure(String method, double percent) {}

  /** Reads a CSV with header {@code dataset,<method>,<method>,...}. */
  public static PublishedResults read(Path csv) throws IOException {
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty() || !header.get(0).equals("dataset")) {
        throw new IOException(csv + ": the first column must be 'dataset', got " + header);
      }
      List<String> methods = new ArrayList<>(header.subList(1, header.size()));
      Map<String, Map<String, Double>> byDataset = new LinkedHashMap<>();
      for (CSVRecord record : parser) {
        Map<String, Double> row = new LinkedHashMap<>();
        for (String method : methods) {
          String cell = record.get(method).strip();
          if (!cell.isEmpty()) {
            try {
              row.put(method, Double.parseDouble(cell));
            } catch (NumberFormatException e) {
              throw new IOException(csv + " line " + record.getRecordNumber() + ", " + method + ": not a number: " + cell,
                  e);
            }
          }
        }
        byDataset.put(record.get("dataset"), row);
      }
      return new PublishedResults(methods, byDataset);
    }
  }

  public List<String> methods() {
    return methods;
  }

  public Collection<String> datasets() {
    return byDataset.keySet();
  }

  public OptionalDouble figure(String dataset, String method) {
    Double value = byDataset.getOrDefault(dataset, Map.of()).get(method);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** The best method on a data set (highest figure; the first in column order on a tie). */
  public Optional<Figure> best(String dataset) {
    Figure best = null;
    for (Map.Entry<String, Double> entry : byDataset.getOrDefault(dataset, Map.of()).entrySet()) {
      if (best == null || entry.getValue() > best.percent()) {
        best = new Figure(entry.getKey(), entry.getValue());
      }
    }
    return Optional.ofNullable(best);
  }

  /** A method's mean over the given data sets; empty if it lacks a figure for any of them. */
  public OptionalDouble mean(String method, Collection<String> datasets) {
    double sum = 0;
    for (String dataset : datasets) {
      OptionalDouble value = figure(dataset, method);
      if (value.isEmpty()) {
        return OptionalDouble.empty();
      }
      sum += value.getAsDouble();
    }
    return datasets.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(sum / datasets.size());
  }

  /** The method with the highest mean over the given data sets, among those with a figure for each. */
  public Optional<Figure> bestMean(Collection<String> datasets) {
    Figure best = null;
    for (String method : methods) {
      OptionalDouble mean = mean(method, datasets);
      if (mean.isPresent() && (best == null || mean.getAsDouble() > best.percent())) {
        best = new Figure(method, mean.getAsDouble());
      }
    }
    return Optional.ofNullable(best);
  }
}
