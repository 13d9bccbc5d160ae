package io.vigil.pipelines.batch;

import io.vigil.models.ModelBundle;
import io.vigil.pipelines.report.ProjectedPoint;
import io.vigil.pipelines.report.ReportData;
import io.vigil.pipelines.report.ReportWriter;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.train.BundleAttachments;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * What a scoring run found, read back from its output files: counts and the threshold; written as
 * {@code summary.json} and rendered as {@code report.html} with its charts.
 *
 * @param rowsScored records with a verdict
 * @param anomalies records scored below the threshold
 * @param threshold the threshold applied
 * @param deadLetters rows rejected by the reader or the encoder
 * @param report the report's HTML file
 */
public record ScoringSummary(long rowsScored, long anomalies, double threshold, long deadLetters, Path report) {
  public static final String SUMMARY_JSON = "summary.json";
  private static final int PROJECTION_COMPONENTS = 3;

  /** Reads the run's outputs in {@code settings.outputDirectory()}, writes the summary and the report. */
  public static ScoringSummary write(ScoringSettings settings, ModelBundle bundle, Map<String, String> facts)
      throws IOException {
    Path out = settings.outputDirectory();
    List<AnomalyResult> results = readResults(out.resolve(ScoringPipeline.RESULTS_CSV));
    double threshold = ScoringPipeline.threshold(bundle, settings);
    Set<String> flagged = new HashSet<>();
    double[] scores = new double[results.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = results.get(i).score();
      if (results.get(i).anomaly()) {
        flagged.add(results.get(i).recordId());
      }
    }
    long deadLetters;
    try (var lines = Files.lines(out.resolve(ScoringPipeline.DEAD_LETTERS))) {
      deadLetters = lines.count();
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("rowsScored", results.size());
    summary.put("anomalies", flagged.size());
    summary.put("anomalyFraction", results.isEmpty() ? 0.0 : flagged.size() / (double) results.size());
    summary.put("threshold", threshold);
    summary.put("thresholdRule", settings.thresholdRule().map(Object::toString)
        .orElse(BundleAttachments.properties(bundle, BundleAttachments.THRESHOLD).getProperty("rule")));
    summary.put("deadLetters", deadLetters);
    summary.put("modelVersion", bundle.fingerprint());
    summary.put("input", settings.input());
    summary.put("rowsScoredFrom", settings.testSplitOnly() ? "the training run's test split" : "every row");
    summary.putAll(facts);
    Files.writeString(out.resolve(SUMMARY_JSON), Records.json(summary) + "\n", StandardCharsets.UTF_8);

    ReportData.Builder report = ReportData.builder("Vigil anomaly report");
    summary.forEach((name, value) -> report.summary(name, value instanceof Double
        ? String.format(Locale.ROOT, "%.6g", (Double) value) : value));
    List<AnomalyResult> mostAnomalous = new ArrayList<>();
    for (AnomalyResult result : results) {
      if (result.anomaly()) {
        mostAnomalous.add(result);
      }
    }
    mostAnomalous.sort(Comparator.comparingDouble(AnomalyResult::score));
    List<ProjectedPoint> points = readProjection(out.resolve(ScoringPipeline.PROJECTION), flagged);
    report.losses(bundle.metrics().criticLoss(), bundle.metrics().generatorLoss(),
            bundle.metrics().gradientPenalty())
        .scores(BundleAttachments.validationScores(bundle), scores, threshold)
        .projection(points, projectionVariance(points))
        .mostAnomalous(mostAnomalous);
    Path html = ReportWriter.write(out, report.build());
    return new ScoringSummary(results.size(), flagged.size(), threshold, deadLetters, html);
  }

  private static double[] projectionVariance(List<ProjectedPoint> points) {
    double[] variance = new double[PROJECTION_COMPONENTS];
    if (points.size() < 2) {
      return new double[0];
    }
    for (int c = 0; c < PROJECTION_COMPONENTS; c++) {
      double mean = 0;
      for (ProjectedPoint p : points) {
        mean += p.coordinate(c);
      }
      mean /= points.size();
      for (ProjectedPoint p : points) {
        variance[c] += Math.pow(p.coordinate(c) - mean, 2) / (points.size() - 1);
      }
    }
    return variance;
  }

  /** Reads a {@code results.csv} written by {@link ScoringPipeline} back into verdicts. */
  public static List<AnomalyResult> readResults(Path csv) throws IOException {
    List<AnomalyResult> results = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
          .parse(reader)) {
        List<Double> contributions = new ArrayList<>();
        for (String value : split(record.get("explanation_contributions"))) {
          contributions.add(Double.parseDouble(value));
        }
        results.add(AnomalyResult.builder()
            .setRecordId(record.get("record_id"))
            .setScore(Double.parseDouble(record.get("score")))
            .setThreshold(Double.parseDouble(record.get("threshold")))
            .setAnomaly(Boolean.parseBoolean(record.get("anomaly")))
            .setModelVersion(record.get("model_version"))
            .setExplanationColumns(split(record.get("explanation_columns")))
            .setExplanationContributions(contributions)
            .setUnseenCategories(split(record.get("unseen_categories")))
            .setOutOfRangeColumns(split(record.get("out_of_range_columns")))
            .build());
      }
    }
    return results;
  }

  private static List<String> split(String cell) {
    return cell.isEmpty() ? List.of() : Arrays.asList(cell.split(Records.LIST_SEPARATOR, -1));
  }

  private static List<ProjectedPoint> readProjection(Path csv, Set<String> flagged) throws IOException {
    List<ProjectedPoint> points = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
          .parse(reader)) {
        String id = record.get("record_id");
        points.add(new ProjectedPoint(id, new double[] {Double.parseDouble(record.get("pc1")),
            Double.parseDouble(record.get("pc2")), Double.parseDouble(record.get("pc3"))}, flagged.contains(id)));
      }
    }
    return points;
  }
}
