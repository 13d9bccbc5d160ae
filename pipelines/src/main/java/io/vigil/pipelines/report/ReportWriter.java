package io.vigil.pipelines.report;

import io.vigil.transforms.records.AnomalyResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes {@code report.html} and its PNG charts (XChart) into a directory: the notebook's figures — training loss
 * curves, the score histogram with the threshold line, and 2-D and 3-D PCA projections with anomalies marked — plus
 * the summary and the most anomalous records with their explanations.
 *
 * <p>The 3-D projection is drawn as a 2-D rendering of a rotated orthographic view (azimuth 35°, elevation 25°) with
 * the three component axes drawn in, since XChart has no 3-D chart type.
 */
public final class ReportWriter {
  public static final String REPORT_FILE = "report.html";
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final int HISTOGRAM_BINS = 60;
  private static final int TABLE_ROWS = 25;
  private static final Color NORMAL = new Color(70, 130, 180, 110);
  private static final Color ANOMALY = new Color(220, 30, 30);

  private ReportWriter() {}

  /** Writes the report and its charts into {@code directory} (created if absent); returns the HTML file. */
  public static Path write(Path directory, ReportData data) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(directory);
    List<String> figures = new ArrayList<>();
    if (!data.criticLoss().isEmpty()) {
      figures.add(save(lossChart(data), directory, "losses.png"));
    }
    if (data.scores().length > 0 || data.validationScores().length > 0) {
      figures.add(save(scoreHistogram(data), directory, "scores.png"));
    }
    if (!data.projection().isEmpty()) {
      figures.add(save(projection2d(data), directory, "pca-2d.png"));
      figures.add(save(projection3d(data), directory, "pca-3d.png"));
    }
    Path html = directory.resolve(REPORT_FILE);
    Files.writeString(html, html(data, figures), StandardCharsets.UTF_8);
    return html;
  }

  private static String save(XYChart chart, Path directory, String name) throws IOException {
    BitmapEncoder.saveBitmap(chart, directory.resolve(name).toString(), BitmapFormat.PNG);
    return name;
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    return chart;
  }

  static XYChart lossChart(ReportData data) {
    XYChart chart = chart("Training losses per epoch", "epoch", "loss");
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    addCurve(chart, "critic loss", data.criticLoss());
    addCurve(chart, "generator loss", data.generatorLoss());
    addCurve(chart, "gradient penalty", data.gradientPenalty());
    return chart;
  }

  private static void addCurve(XYChart chart, String name, List<Double> values) {
    if (values.isEmpty()) {
      return;
    }
    double[] epochs = new double[values.size()];
    double[] y = new double[values.size()];
    for (int i = 0; i < y.length; i++) {
      epochs[i] = i + 1;
      y[i] = values.get(i);
    }
    chart.addSeries(name, epochs, y).setMarker(values.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
  }

  static XYChart scoreHistogram(ReportData data) {
    XYChart chart = chart("Critic scores (lower = more anomalous)", "critic score", "records");
    double[] validation = data.validationScores();
    double[] scored = data.scores();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] set : new double[][] {validation, scored}) {
      for (double v : set) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (max <= min) {
      max = min + 1;
    }
    double peak = 1;
    for (double[] set : new double[][] {scored, validation}) {
      if (set.length == 0) {
        continue;
      }
      List<Double> values = new ArrayList<>(set.length);
      for (double v : set) {
        values.add(v);
      }
      Histogram histogram = new Histogram(values, HISTOGRAM_BINS, min, max);
      XYSeries series = chart.addSeries(set == scored ? "scored records" : "validation",
          histogram.getxAxisData(), histogram.getyAxisData());
      series.setXYSeriesRenderStyle(XYSeriesRenderStyle.StepArea);
      series.setMarker(SeriesMarkers.NONE);
      for (double count : histogram.getyAxisData()) {
        peak = Math.max(peak, count);
      }
    }
    if (Double.isFinite(data.threshold())) {
      XYSeries line = chart.addSeries(String.format(Locale.ROOT, "threshold %.4g", data.threshold()),
          new double[] {data.threshold(), data.threshold()}, new double[] {0, peak});
      line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(ANOMALY);
    }
    return chart;
  }

  static XYChart projection2d(ReportData data) {
    XYChart chart = chart("Scored records on the first two principal components", "PC1", "PC2");
    addPoints(chart, data.projection(), p -> new double[] {p.coordinate(0), p.coordinate(1)});
    return chart;
  }

  static XYChart projection3d(ReportData data) {
    XYChart chart = chart("Scored records on the first three principal components (rotated 3-D view)", "", "");
    chart.getStyler().setAxisTicksVisible(false);
    double azimuth = Math.toRadians(35);
    double elevation = Math.toRadians(25);
    java.util.function.Function<double[], double[]> view = p -> {
      double x = p[0] * Math.cos(azimuth) - p[1] * Math.sin(azimuth);
      double depth = p[0] * Math.sin(azimuth) + p[1] * Math.cos(azimuth);
      double y = p[2] * Math.cos(elevation) - depth * Math.sin(elevation);
      return new double[] {x, y};
    };
    double extent = 0;
    for (ProjectedPoint point : data.projection()) {
      for (int c = 0; c < 3; c++) {
        extent = Math.max(extent, Math.abs(point.coordinate(c)));
      }
    }
    String[] names = {"PC1 axis", "PC2 axis", "PC3 axis"};
    for (int c = 0; c < 3; c++) {
      double[] tip = new double[3];
      tip[c] = extent;
      double[] end = view.apply(tip);
      XYSeries axis = chart.addSeries(names[c], new double[] {0, end[0]}, new double[] {0, end[1]});
      axis.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      axis.setMarker(SeriesMarkers.NONE);
      axis.setLineColor(Color.DARK_GRAY);
    }
    addPoints(chart, data.projection(),
        p -> view.apply(new double[] {p.coordinate(0), p.coordinate(1), p.coordinate(2)}));
    return chart;
  }

  private static void addPoints(XYChart chart, List<ProjectedPoint> points,
      java.util.function.Function<ProjectedPoint, double[]> place) {
    for (boolean anomalies : new boolean[] {false, true}) {
      List<double[]> placed = new ArrayList<>();
      for (ProjectedPoint point : points) {
        if (point.anomaly() == anomalies) {
          placed.add(place.apply(point));
        }
      }
      if (placed.isEmpty()) {
        continue;
      }
      double[] x = new double[placed.size()];
      double[] y = new double[placed.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = placed.get(i)[0];
        y[i] = placed.get(i)[1];
      }
      XYSeries series = chart.addSeries(anomalies ? "anomaly" : "normal", x, y);
      series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      series.setMarker(anomalies ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
      series.setMarkerColor(anomalies ? ANOMALY : NORMAL);
    }
    chart.getStyler().setMarkerSize(points.size() > 3000 ? 3 : 5);
  }

  static String html(ReportData data, List<String> figures) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(data.title())).append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;"
            + "margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:left}img{max-width:100%}</style></head><body>\n<h1>")
        .append(escape(data.title())).append("</h1>\n<h2>Summary</h2>\n<table>\n");
    for (Map.Entry<String, String> entry : data.summary().entrySet()) {
      out.append("<tr><th>").append(escape(entry.getKey())).append("</th><td>").append(escape(entry.getValue()))
          .append("</td></tr>\n");
    }
    out.append("</table>\n");
    double[] variance = data.explainedVariance();
    for (String figure : figures) {
      out.append("<p><img src=\"").append(figure).append("\" alt=\"").append(figure).append("\"></p>\n");
      if (figure.startsWith("pca") && variance.length >= 3) {
        out.append(String.format(Locale.ROOT, "<p>Variance along PC1, PC2, PC3: %.4g, %.4g, %.4g.</p>%n",
            variance[0], variance[1], variance[2]));
      }
    }
    if (!data.mostAnomalous().isEmpty()) {
      out.append("<h2>Most anomalous records</h2>\n<p>Explanation: the source columns whose input-gradient × input, "
          + "summed over the features each column expanded to, pulled the critic's score down most.</p>\n"
          + "<table><tr><th>record</th><th>score</th><th>columns that lowered the score</th>"
          + "<th>unseen categories</th></tr>\n");
      int shown = 0;
      for (AnomalyResult result : data.mostAnomalous()) {
        if (shown++ == TABLE_ROWS) {
          break;
        }
        List<String> explanation = new ArrayList<>();
        for (int i = 0; i < result.explanationColumns().size(); i++) {
          explanation.add(String.format(Locale.ROOT, "%s (%.3g)", result.explanationColumns().get(i),
              result.explanationContributions().get(i)));
        }
        out.append("<tr><td>").append(escape(result.recordId())).append("</td><td>")
            .append(String.format(Locale.ROOT, "%.5g", result.score())).append("</td><td>")
            .append(escape(String.join(", ", explanation))).append("</td><td>")
            .append(escape(String.join(", ", result.unseenCategories()))).append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    return out.append("</body></html>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
