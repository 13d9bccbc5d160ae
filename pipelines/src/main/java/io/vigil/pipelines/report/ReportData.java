package io.vigil.pipelines.report;

import io.vigil.transforms.records.AnomalyResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report shows: the run's summary figures, the training loss curves, the validation and scored score
 * distributions with the threshold, the PCA projection of the scored records, and the most anomalous verdicts.
 */
public final class ReportData {
  private final String title;
  private final Map<String, String> summary;
  private final List<Double> criticLoss;
  private final List<Double> generatorLoss;
  private final List<Double> gradientPenalty;
  private final double[] validationScores;
  private final double[] scores;
  private final double threshold;
  private final List<ProjectedPoint> projection;
  private final double[] explainedVariance;
  private final List<AnomalyResult> mostAnomalous;

  private ReportData(Builder b) {
    this.title = b.title;
    this.summary = new LinkedHashMap<>(b.summary);
    this.criticLoss = List.copyOf(b.criticLoss);
    this.generatorLoss = List.copyOf(b.generatorLoss);
    this.gradientPenalty = List.copyOf(b.gradientPenalty);
    this.validationScores = b.validationScores.clone();
    this.scores = b.scores.clone();
    this.threshold = b.threshold;
    this.projection = List.copyOf(b.projection);
    this.explainedVariance = b.explainedVariance.clone();
    this.mostAnomalous = List.copyOf(b.mostAnomalous);
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  public String title() {
    return title;
  }

  public Map<String, String> summary() {
    return summary;
  }

  public List<Double> criticLoss() {
    return criticLoss;
  }

  public List<Double> generatorLoss() {
    return generatorLoss;
  }

  public List<Double> gradientPenalty() {
    return gradientPenalty;
  }

  public double[] validationScores() {
    return validationScores.clone();
  }

  public double[] scores() {
    return scores.clone();
  }

  public double threshold() {
    return threshold;
  }

  public List<ProjectedPoint> projection() {
    return projection;
  }

  public double[] explainedVariance() {
    return explainedVariance.clone();
  }

  public List<AnomalyResult> mostAnomalous() {
    return mostAnomalous;
  }

  /** Collects the parts; anything not given stays empty and its chart or table is left out of the report. */
  public static final class Builder {
    private final String title;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private List<Double> criticLoss = List.of();
    private List<Double> generatorLoss = List.of();
    private List<Double> gradientPenalty = List.of();
    private double[] validationScores = new double[0];
    private double[] scores = new double[0];
    private double threshold = Double.NaN;
    private List<ProjectedPoint> projection = List.of();
    private double[] explainedVariance = new double[0];
    private List<AnomalyResult> mostAnomalous = List.of();

    private Builder(String title) {
      this.title = title;
    }

    public Builder summary(String name, Object value) {
      summary.put(name, String.valueOf(value));
      return this;
    }

    public Builder losses(List<Double> critic, List<Double> generator, List<Double> penalty) {
      this.criticLoss = critic;
      this.generatorLoss = generator;
      this.gradientPenalty = penalty;
      return this;
    }

    public Builder scores(double[] validation, double[] scored, double threshold) {
      this.validationScores = validation;
      this.scores = scored;
      this.threshold = threshold;
      return this;
    }

    public Builder projection(List<ProjectedPoint> points, double[] explainedVariance) {
      this.projection = points;
      this.explainedVariance = explainedVariance;
      return this;
    }

    public Builder mostAnomalous(List<AnomalyResult> results) {
      this.mostAnomalous = results;
      return this;
    }

    public ReportData build() {
      return new ReportData(this);
    }
  }
}
