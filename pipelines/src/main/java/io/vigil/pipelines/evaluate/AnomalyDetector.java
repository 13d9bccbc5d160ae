package io.vigil.pipelines.evaluate;

/**
 * An unsupervised detector under evaluation: fitted on a training split without labels, it scores a test split.
 * Scores are oriented so that higher means more anomalous (the orientation the metrics expect).
 */
public interface AnomalyDetector {
  /** The method's name in reports, e.g. {@code Vigil} or {@code RCF}. */
  String name();

  /** Fits on {@code train} (rows of features, labels withheld) and returns one score per row of {@code test}. */
  double[] fitAndScore(double[][] train, double[][] test, long seed);
}
