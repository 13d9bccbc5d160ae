package io.vigil.pipelines.evaluate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes an evaluation's results: {@code report.md} (tables against the published figures), {@code results.csv}
 * (every seed), {@code summary.csv} (mean and std per data set and method) and {@code aucroc.png} (a bar chart per
 * data set comparing the methods with the best published one and IForest).
 */
public final class EvaluationReport {
  /** The published method always shown beside the best one: ADBench's best unsupervised mean on these sets. */
  public static final String REFERENCE_METHOD = "IForest";

  private final List<SeedResult> benchmark;
  private final List<SeedResult> planted;
  private final PublishedResults publishedAucRoc;
  private final PublishedResults publishedAucPr;
  private final String command;
  private final Duration wallTime;
  private final List<String> notes;

  /**
   * @param benchmark per-seed results on the ADBench sets
   * @param planted per-seed results on planted anomalies (data set names {@code diabetes/<type>}); may be empty
   * @param command the command line that produced the results, quoted in the report
   * @param notes lines printed under the settings (configuration, subsampling, ...)
   */
  public EvaluationReport(List<SeedResult> benchmark, List<SeedResult> planted, PublishedResults publishedAucRoc,
      PublishedResults publishedAucPr, String command, Duration wallTime, List<String> notes) {
    this.benchmark = List.copyOf(benchmark);
    this.planted = List.copyOf(planted);
    this.publishedAucRoc = publishedAucRoc;
    this.publishedAucPr = publishedAucPr;
    this.command = command;
    this.wallTime = wallTime;
    this.notes = List.copyOf(notes);
  }

  /** Writes the four files into {@code dir} (created if missing) and returns the Markdown report's path. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path report = dir.resolve("report.md");
    Files.writeString(report, markdown(), StandardCharsets.UTF_8);
    writeSeedCsv(dir.resolve("results.csv"));
    writeSummaryCsv(dir.resolve("summary.csv"));
    if (!benchmark.isEmpty()) {
      writeChart(dir.resolve("aucroc.png"));
    }
    return report;
  }

  /** The Markdown report. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Vigil evaluation\n\n");
    md.append("Command: `").append(command).append("`  \n");
    md.append(String.format(Locale.ROOT, "Wall time: %.1f min  %n", wallTime.toMillis() / 60000.0));
    for (String note : notes) {
      md.append(note).append("  \n");
    }
    md.append('\n');
    if (!benchmark.isEmpty()) {
      md.append("## ADBench, unsupervised, AUCROC (%, mean ± std over seeds)\n\n");
      md.append(table(benchmark, publishedAucRoc, SeedResult::aucRoc));
      md.append("\n## ADBench, unsupervised, AUCPR (average precision, %, mean ± std over seeds)\n\n");
      md.append(table(benchmark, publishedAucPr, SeedResult::aucPr));
      md.append("\nPublished figures: ADBench (Han et al., NeurIPS 2022) Tables D4/D5, mean of 3 runs. "
          + "\"best published\" is the best of its 14 unsupervised methods on that set.\n");
    }
    if (!planted.isEmpty()) {
      md.append("\n## Diabetes 130, planted anomalies, AUCROC / AUCPR (%, mean ± std over seeds)\n\n");
      md.append(plantedTable());
    }
    return md.toString();
  }

  private String table(List<SeedResult> results, PublishedResults published, ToDoubleFunction<SeedResult> metric) {
    List<String> methods = methods(results);
    Map<String, Map<String, MetricSummary>> summary = summarise(results, metric);
    StringBuilder md = new StringBuilder("| dataset |");
    for (String method : methods) {
      md.append(' ').append(method).append(" |");
    }
    md.append(" best published | ").append(REFERENCE_METHOD).append(" |\n|---|");
    md.append("---|".repeat(methods.size() + 2)).append('\n');
    for (Map.Entry<String, Map<String, MetricSummary>> row : summary.entrySet()) {
      String dataset = row.getKey();
      md.append("| ").append(dataset).append(" |");
      for (String method : methods) {
        MetricSummary cell = row.getValue().get(method);
        md.append(' ').append(cell == null ? "" : cell.format()).append(" |");
      }
      md.append(' ').append(published.best(dataset)
          .map(f -> String.format(Locale.ROOT, "%.1f (%s)", f.percent(), f.method())).orElse("")).append(" |");
      md.append(' ').append(percent(published.figure(dataset, REFERENCE_METHOD))).append(" |\n");
    }
    md.append("| **mean over ").append(summary.size()).append(" sets** |");
    for (String method : methods) {
      md.append(' ').append(meanOverDatasets(summary, method)).append(" |");
    }
    md.append(' ').append(published.bestMean(summary.keySet())
        .map(f -> String.format(Locale.ROOT, "%.1f (%s)", f.percent(), f.method())).orElse("")).append(" |");
    md.append(' ').append(percent(published.mean(REFERENCE_METHOD, summary.keySet()))).append(" |\n");
    return md.toString();
  }

  private String plantedTable() {
    List<String> methods = methods(planted);
    Map<String, Map<String, MetricSummary>> roc = summarise(planted, SeedResult::aucRoc);
    Map<String, Map<String, MetricSummary>> pr = summarise(planted, SeedResult::aucPr);
    StringBuilder md = new StringBuilder("| anomaly type |");
    for (String method : methods) {
      md.append(' ').append(method).append(" AUCROC | ").append(method).append(" AUCPR |");
    }
    md.append("\n|---|").append("---|---|".repeat(methods.size())).append('\n');
    for (String type : roc.keySet()) {
      md.append("| ").append(type).append(" |");
      for (String method : methods) {
        MetricSummary r = roc.get(type).get(method);
        MetricSummary p = pr.get(type).get(method);
        md.append(' ').append(r == null ? "" : r.format()).append(" | ").append(p == null ? "" : p.format()).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** The mean over data sets of a method's per-set means (blank if the method misses a set). */
  private String meanOverDatasets(Map<String, Map<String, MetricSummary>> summary, String method) {
    double sum = 0;
    for (Map<String, MetricSummary> row : summary.values()) {
      MetricSummary cell = row.get(method);
      if (cell == null) {
        return "";
      }
      sum += cell.mean();
    }
    return String.format(Locale.ROOT, "**%.1f**", sum / summary.size());
  }

  private static List<String> methods(List<SeedResult> results) {
    LinkedHashSet<String> methods = new LinkedHashSet<>();
    results.forEach(r -> methods.add(r.method()));
    return new ArrayList<>(methods);
  }

  /** dataset → method → summary over seeds, both in first-seen order. */
  static Map<String, Map<String, MetricSummary>> summarise(List<SeedResult> results,
      ToDoubleFunction<SeedResult> metric) {
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (SeedResult r : results) {
      values.computeIfAbsent(r.dataset(), d -> new LinkedHashMap<>())
          .computeIfAbsent(r.method(), m -> new ArrayList<>()).add(metric.applyAsDouble(r));
    }
    Map<String, Map<String, MetricSummary>> summary = new LinkedHashMap<>();
    values.forEach((dataset, byMethod) -> {
      Map<String, MetricSummary> row = new LinkedHashMap<>();
      byMethod.forEach((method, list) -> row.put(method, MetricSummary.of(list)));
      summary.put(dataset, row);
    });
    return summary;
  }

  private static String percent(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.1f", value.getAsDouble()) : "";
  }

  private void writeSeedCsv(Path path) throws IOException {
    try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
            .setHeader("dataset", "method", "seed", "aucroc_pct", "aucpr_pct", "seconds").get())) {
      for (List<SeedResult> part : List.of(benchmark, planted)) {
        for (SeedResult r : part) {
          csv.printRecord(r.dataset(), r.method(), r.seed(), round(r.aucRoc()), round(r.aucPr()), round(r.seconds()));
        }
      }
    }
  }

  private void writeSummaryCsv(Path path) throws IOException {
    try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("dataset", "method", "seeds",
            "aucroc_mean", "aucroc_std", "aucpr_mean", "aucpr_std", "published_best_method", "published_best_aucroc",
            "published_iforest_aucroc").get())) {
      for (List<SeedResult> part : List.of(benchmark, planted)) {
        Map<String, Map<String, MetricSummary>> roc = summarise(part, SeedResult::aucRoc);
        Map<String, Map<String, MetricSummary>> pr = summarise(part, SeedResult::aucPr);
        for (String dataset : roc.keySet()) {
          var best = publishedAucRoc.best(dataset);
          OptionalDouble iforest = publishedAucRoc.figure(dataset, REFERENCE_METHOD);
          for (String method : roc.get(dataset).keySet()) {
            MetricSummary r = roc.get(dataset).get(method);
            MetricSummary p = pr.get(dataset).get(method);
            csv.printRecord(dataset, method, r.n(), round(r.mean()), round(r.std()), round(p.mean()), round(p.std()),
                best.map(PublishedResults.Figure::method).orElse(""),
                best.map(f -> String.valueOf(f.percent())).orElse(""),
                iforest.isPresent() ? String.valueOf(iforest.getAsDouble()) : "");
          }
        }
      }
    }
  }

  private void writeChart(Path path) throws IOException {
    Map<String, Map<String, MetricSummary>> summary = summarise(benchmark, SeedResult::aucRoc);
    List<String> datasets = new ArrayList<>(summary.keySet());
    CategoryChart chart = new CategoryChartBuilder().width(1400).height(600)
        .title("AUCROC per data set (%): Vigil and baselines against ADBench's published figures")
        .xAxisTitle("data set").yAxisTitle("AUCROC (%)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    for (String method : methods(benchmark)) {
      List<Double> values = new ArrayList<>();
      for (String dataset : datasets) {
        MetricSummary cell = summary.get(dataset).get(method);
        values.add(cell == null ? 0.0 : cell.mean());
      }
      chart.addSeries(method, datasets, values);
    }
    List<Double> best = new ArrayList<>();
    List<Double> iforest = new ArrayList<>();
    for (String dataset : datasets) {
      best.add(publishedAucRoc.best(dataset).map(PublishedResults.Figure::percent).orElse(0.0));
      iforest.add(publishedAucRoc.figure(dataset, REFERENCE_METHOD).orElse(0.0));
    }
    chart.addSeries("best published", datasets, best);
    chart.addSeries(REFERENCE_METHOD + " (published)", datasets, iforest);
    BitmapEncoder.saveBitmap(chart, path.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String round(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
