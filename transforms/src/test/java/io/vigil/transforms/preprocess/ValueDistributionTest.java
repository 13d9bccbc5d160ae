package io.vigil.transforms.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.preprocess.PreprocessingArtifact.QuantileKnot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** The distribution behind the quantile knots: exact under the cap, a bounded sketch beyond it. */
class ValueDistributionTest {
  private static final int CAP = ValueDistribution.MAX_DISTINCT_VALUES;

  private static byte[] bytes(ValueDistribution distribution) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    distribution.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static ValueDistribution of(double[] values, int from, int to) {
    ValueDistribution distribution = new ValueDistribution();
    for (int i = from; i < to; i++) {
      distribution.add(values[i]);
    }
    return distribution;
  }

  /** The same values cut into {@code parts} partitions at random points, merged last to first. */
  private static ValueDistribution partitionedAndMergedBackwards(double[] values, int parts, long seed) {
    Random random = new Random(seed);
    int[] cuts = random.ints(parts - 1, 1, values.length).sorted().toArray();
    List<ValueDistribution> partitions = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      partitions.add(of(values, from, cut));
      from = cut;
    }
    partitions.add(of(values, from, values.length));
    Collections.reverse(partitions);
    ValueDistribution merged = new ValueDistribution();
    for (ValueDistribution partition : partitions) {
      merged.merge(partition);
    }
    return merged;
  }

  private static void shuffle(double[] values, long seed) {
    Random random = new Random(seed);
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  @Test
  void countsExactlyUpToTheCapOfDistinctValuesThenSketches() {
    ValueDistribution distribution = new ValueDistribution();
    for (int i = 0; i < CAP; i++) {
      distribution.add(i);
      distribution.add(CAP - 1 - i);
    }
    assertThat(distribution.isExact()).isTrue();
    assertThat(distribution.size()).isEqualTo(CAP);
    assertThat(distribution.count()).isEqualTo(2L * CAP);
    assertThat(distribution.quantileKnots(Integer.MAX_VALUE).get(7)).isEqualTo(new QuantileKnot(7, 15.0 / (2 * CAP)));

    distribution.add(0.5);
    assertThat(distribution.isExact()).isFalse();
    assertThat(distribution.size()).isEqualTo(CAP);
    assertThat(distribution.count()).isEqualTo(2L * CAP + 1);
  }

  @Test
  void theExactRegimeDoesNotDependOnPartitionsOrMergeOrder() throws IOException {
    // 300,000 clinical-looking integers: heavy-tailed, many ties, fewer than 10,000 distinct.
    Random random = new Random(3);
    double[] values = new double[300_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.min(CAP - 1, Math.round(Math.exp(1.5 * random.nextGaussian()) * 100));
    }
    ValueDistribution inOrder = of(values, 0, values.length);
    double[] shuffled = values.clone();
    shuffle(shuffled, 4);
    ValueDistribution partitioned = partitionedAndMergedBackwards(shuffled, 7, 5);

    assertThat(inOrder.isExact()).isTrue();
    assertThat(inOrder.size()).isBetween(1_000, CAP);
    TreeMap<Double, Long> counted = new TreeMap<>();
    for (double value : values) {
      counted.merge(value, 1L, Long::sum);
    }
    List<QuantileKnot> everyValue = new ArrayList<>();
    long below = 0;
    for (Map.Entry<Double, Long> entry : counted.entrySet()) {
      everyValue.add(new QuantileKnot(entry.getKey(), (below + entry.getValue() / 2.0) / values.length));
      below += entry.getValue();
    }
    assertThat(inOrder.quantileKnots(Integer.MAX_VALUE)).isEqualTo(everyValue);
    assertThat(bytes(partitioned)).isEqualTo(bytes(inOrder));
    assertThat(partitioned.quantileKnots(PreprocessingArtifact.QUANTILE_KNOTS))
        .isEqualTo(inOrder.quantileKnots(PreprocessingArtifact.QUANTILE_KNOTS));
  }

  @Test
  void theFittedArtifactDoesNotDependOnPartitionsOrMergeOrder() {
    PreprocessingOptions options = PreprocessingOptions.recommended()
        .withNumericScaling(PreprocessingOptions.NumericScaling.QUANTILE_NORMAL);
    Random random = new Random(6);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(PreprocessingArtifactTest.row("p" + i, i % 3 == 0 ? "a" : "b",
          i % 50 == 0 ? null : Math.round(Math.exp(random.nextGaussian()) * 1000) / 10.0, null,
          (double) random.nextInt(30), "NO"));
    }
    PreprocessingArtifact inOrder = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, options, rows);

    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));
    FitPreprocessing.StatisticsFn fn = FitPreprocessing.StatisticsFn.of(PreprocessingArtifactTest.SPEC, options);
    List<ColumnStatistics> partials = new ArrayList<>();
    for (int part = 0; part < 5; part++) {
      ColumnStatistics partial = fn.createAccumulator();
      for (Row row : shuffled.subList(part * 1_000, (part + 1) * 1_000)) {
        partial = fn.addInput(partial, row);
      }
      // As a runner ships partial results between workers: through the accumulator coder.
      partials.add(clone(partial));
    }
    Collections.reverse(partials);
    PreprocessingArtifact partitioned = PreprocessingArtifact.fit(PreprocessingArtifactTest.SPEC, options,
        fn.extractOutput(fn.mergeAccumulators(partials)));

    assertThat(inOrder.numericColumns().get(0).knots()).hasSizeGreaterThan(500);
    assertThat(partitioned.fingerprint()).isEqualTo(inOrder.fingerprint());
  }

  private static ColumnStatistics clone(ColumnStatistics statistics) {
    try {
      return CoderUtils.clone(new ColumnStatistics.Coder(), statistics);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The share of {@code sorted} below {@code value}, counting values equal to it as half below. */
  static double midRankProbability(double[] sorted, double value) {
    int below = firstIndexNotBelow(sorted, value);
    int notAbove = below;
    while (notAbove < sorted.length && sorted[notAbove] == value) {
      notAbove++;
    }
    return (below + (notAbove - below) / 2.0) / sorted.length;
  }

  private static int firstIndexNotBelow(double[] sorted, double value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (sorted[middle] < value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /**
   * The stated error of the sketch: at every knot, the knot's probability is within 2 / MAX_DISTINCT_VALUES (the most
   * a centroid may hold) of the true mid-rank probability of its value, and adjacent knots are at most one knot
   * spacing plus that apart, so a heavy-tailed column's bulk is not lumped into a few centroids.
   */
  private static void assertWithinStatedError(List<QuantileKnot> knots, double[] sorted) {
    double centroidShare = 2.0 / CAP;
    assertThat(knots).hasSize(PreprocessingArtifact.QUANTILE_KNOTS);
    assertThat(knots.get(0).value()).isGreaterThanOrEqualTo(sorted[0]);
    assertThat(knots.get(knots.size() - 1).value()).isLessThanOrEqualTo(sorted[sorted.length - 1]);
    double worst = 0;
    double widestStep = 0;
    for (int k = 0; k < knots.size(); k++) {
      QuantileKnot knot = knots.get(k);
      worst = Math.max(worst, Math.abs(knot.probability() - midRankProbability(sorted, knot.value())));
      if (k > 0) {
        widestStep = Math.max(widestStep, knot.probability() - knots.get(k - 1).probability());
      }
    }
    assertThat(worst).isLessThanOrEqualTo(centroidShare);
    assertThat(widestStep).isLessThanOrEqualTo(1.0 / (PreprocessingArtifact.QUANTILE_KNOTS - 1) + centroidShare);
  }

  @Test
  void theSketchOfAMillionHeavyTailedValuesKeepsCountsAndStaysWithinItsQuantileError() throws IOException {
    Random random = new Random(8);
    double[] values = new double[1_000_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(2 * random.nextGaussian());
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);

    ValueDistribution inOrder = of(values, 0, values.length);
    assertThat(inOrder.isExact()).isFalse();
    assertThat(inOrder.size()).isEqualTo(CAP);
    assertThat(inOrder.count()).isEqualTo(values.length);
    assertWithinStatedError(inOrder.quantileKnots(PreprocessingArtifact.QUANTILE_KNOTS), sorted);

    ValueDistribution partitioned = partitionedAndMergedBackwards(values, 4, 9);
    assertThat(partitioned.count()).isEqualTo(values.length);
    assertThat(partitioned.size()).isEqualTo(CAP);
    assertWithinStatedError(partitioned.quantileKnots(PreprocessingArtifact.QUANTILE_KNOTS), sorted);

    ColumnStatistics statistics = ColumnStatistics.empty(PreprocessingArtifactTest.SPEC, true);
    statistics.distributions[1] = inOrder;
    assertThat(bytes(clone(statistics).distributions[1])).isEqualTo(bytes(inOrder));
  }
}
