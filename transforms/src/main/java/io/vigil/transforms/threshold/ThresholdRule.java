package io.vigil.transforms.threshold;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the anomaly threshold is chosen: a percentile of the validation scores (the notebook's rule, 1st percentile,
 * is the default) or a fixed value. A record scoring strictly below the threshold is an anomaly.
 *
 * <p>Percentiles interpolate linearly between order statistics, as numpy's default {@code np.percentile} does, so the
 * threshold matches the notebook's {@code np.percentile(val_scores, 1)} on the same scores.
 */
public final class ThresholdRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The notebook's rule: the 1st percentile of the validation scores. */
  public static final double DEFAULT_PERCENTILE = 1.0;

  private final Double percentile;
  private final Double fixedValue;

  private ThresholdRule(Double percentile, Double fixedValue) {
    this.percentile = percentile;
    this.fixedValue = fixedValue;
  }

  public static ThresholdRule notebookDefault() {
    return percentile(DEFAULT_PERCENTILE);
  }

  /** The given percentile, in [0, 100], of the validation scores. */
  public static ThresholdRule percentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
    }
    return new ThresholdRule(percentile, null);
  }

  /** A fixed threshold, whatever the validation scores. */
  public static ThresholdRule fixed(double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("fixed threshold must be finite, got " + threshold);
    }
    return new ThresholdRule(null, threshold);
  }

  /** {@code percentile:<p>} or {@code fixed:<value>}, as written by {@link #toString()}. */
  public static ThresholdRule parse(String text) {
    String[] parts = text.split(":", 2);
    if (parts.length == 2) {
      try {
        double value = Double.parseDouble(parts[1]);
        if (parts[0].equals("percentile")) {
          return percentile(value);
        }
        if (parts[0].equals("fixed")) {
          return fixed(value);
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
    }
    throw new IllegalArgumentException(
        "threshold rule must be 'percentile:<0..100>' or 'fixed:<number>', got '" + text + "'");
  }

  public boolean isFixed() {
    return fixedValue != null;
  }

  /** The threshold this rule gives on these validation scores (not modified; may be empty for a fixed rule). */
  public double thresholdFor(double[] validationScores) {
    if (fixedValue != null) {
      return fixedValue;
    }
    if (validationScores.length == 0) {
      throw new IllegalStateException("cannot take the " + percentile + "th percentile of no validation scores");
    }
    double[] sorted = validationScores.clone();
    Arrays.sort(sorted);
    return linearPercentile(sorted, percentile);
  }

  /** numpy's default ("linear") percentile of sorted values: interpolates at rank p/100 · (n − 1). */
  static double linearPercentile(double[] sorted, double percentile) {
    double rank = percentile / 100 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = rank - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }

  @Override
  public String toString() {
    return fixedValue != null
        ? "fixed:" + fixedValue
        : String.format(Locale.ROOT, "percentile:%s", percentile);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ThresholdRule && toString().equals(o.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
