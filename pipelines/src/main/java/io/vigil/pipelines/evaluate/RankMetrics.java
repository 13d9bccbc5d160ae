package io.vigil.pipelines.evaluate;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranking metrics of an anomaly score against 0/1 labels (1 = anomaly), higher score = more anomalous, computed as
 * ADBench computes them ({@code adbench/myutils.py: metric}): AUCROC is scikit-learn's {@code roc_auc_score}
 * (trapezoidal area under the ROC curve, tied scores form one threshold, so a tie between an anomaly and a normal
 * record counts one half) and AUCPR is scikit-learn's {@code average_precision_score} (step-wise
 * {@code sum (R_n - R_{n-1}) P_n} over the distinct score thresholds, no interpolation).
 */
public final class RankMetrics {
  private RankMetrics() {}

  /** Area under the ROC curve, in [0, 1]. */
  public static double aucRoc(double[] scores, int[] labels) {
    Curve curve = Curve.of(scores, labels);
    double area = 0;
    long previousTp = 0;
    long previousFp = 0;
    for (int i = 0; i < curve.points; i++) {
      long tp = curve.truePositives[i];
      long fp = curve.falsePositives[i];
      area += (fp - previousFp) * (double) (tp + previousTp) / 2.0;
      previousTp = tp;
      previousFp = fp;
    }
    return area / ((double) curve.positives * curve.negatives);
  }

  /** Average precision (the area under the precision-recall curve as scikit-learn and ADBench report it). */
  public static double averagePrecision(double[] scores, int[] labels) {
    Curve curve = Curve.of(scores, labels);
    double ap = 0;
    long previousTp = 0;
    for (int i = 0; i < curve.points; i++) {
      long tp = curve.truePositives[i];
      long predicted = tp + curve.falsePositives[i];
      ap += (tp - previousTp) / (double) curve.positives * (tp / (double) predicted);
      previousTp = tp;
    }
    return ap;
  }

  /** Cumulative true/false positives at each distinct score, from the highest score down. */
  private static final class Curve {
    final long[] truePositives;
    final long[] falsePositives;
    final int points;
    final long positives;
    final long negatives;

    private Curve(long[] tp, long[] fp, int points, long positives, long negatives) {
      this.truePositives = tp;
      this.falsePositives = fp;
      this.points = points;
      this.positives = positives;
      this.negatives = negatives;
    }

    static Curve of(double[] scores, int[] labels) {
      if (scores.length != labels.length) {
        throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
      }
      long positives = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 0 && labels[i] != 1) {
          throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", expected 0 or 1");
        }
        if (Double.isNaN(scores[i])) {
          throw new IllegalArgumentException("score " + i + " is NaN");
        }
        positives += labels[i];
      }
      long negatives = labels.length - positives;
      if (positives == 0 || negatives == 0) {
        throw new IllegalArgumentException("both classes are needed; got " + positives + " anomalies and "
            + negatives + " normal records");
      }
      Integer[] order = new Integer[scores.length];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
      long[] tp = new long[scores.length];
      long[] fp = new long[scores.length];
      int points = 0;
      long runningTp = 0;
      long runningFp = 0;
      for (int k = 0; k < order.length; k++) {
        int i = order[k];
        runningTp += labels[i];
        runningFp += 1 - labels[i];
        boolean lastOfTie = k == order.length - 1 || scores[order[k + 1]] != scores[i];
        if (lastOfTie) {
          tp[points] = runningTp;
          fp[points] = runningFp;
          points++;
        }
      }
      return new Curve(tp, fp, points, positives, negatives);
    }
  }
}
