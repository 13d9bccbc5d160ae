package io.vigil.pipelines.evaluate;

import java.util.List;

/**
 * Mean and sample standard deviation (n - 1; zero for a single value) of a metric over seeds, in percent.
 */
public record MetricSummary(double mean, double std, int n) {
  public static MetricSummary of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values to summarise");
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    double std = values.size() > 1 ? Math.sqrt(squares / (values.size() - 1)) : 0.0;
    return new MetricSummary(mean, std, values.size());
  }

  /** {@code mean ± std} with one decimal, e.g. {@code 81.3 ± 1.2}. */
  public String format() {
    return String.format(java.util.Locale.ROOT, "%.1f ± %.1f", mean, std);
  }
}
