package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankMetricsTest {
  /**
   * Six records, three anomalies, with ties across and within classes. By hand:
   * AUCROC counts (anomaly, normal) pairs ranked right, ties as half: 0.9 beats 3; 0.8 beats 0.5 and 0.3 and ties 0.8
   * (2.5); 0.3 ties 0.3 (0.5); 6 of 9 pairs = 2/3.
   * AUCPR (average precision) over the distinct thresholds 0.9, 0.8, 0.5, 0.3: recall steps of 1/3 at precision 1,
   * 2/3 and 1/2 (0.5 adds only a normal record): (1 + 2/3 + 1/2) / 3 = 13/18.
   */
  private static final double[] SCORES = {0.9, 0.8, 0.8, 0.5, 0.3, 0.3};
  private static final int[] LABELS = {1, 0, 1, 0, 1, 0};

  @Test
  void aucRocCountsTiesAsHalf() {
    assertThat(RankMetrics.aucRoc(SCORES, LABELS)).isCloseTo(2.0 / 3.0, within(1e-12));
  }

  @Test
  void averagePrecisionStepsOverDistinctThresholds() {
    assertThat(RankMetrics.averagePrecision(SCORES, LABELS)).isCloseTo(13.0 / 18.0, within(1e-12));
  }

  @Test
  void orderOfInputDoesNotMatter() {
    double[] scores = {0.3, 0.8, 0.5, 0.3, 0.9, 0.8};
    int[] labels = {1, 0, 0, 0, 1, 1};
    assertThat(RankMetrics.aucRoc(scores, labels)).isCloseTo(2.0 / 3.0, within(1e-12));
    assertThat(RankMetrics.averagePrecision(scores, labels)).isCloseTo(13.0 / 18.0, within(1e-12));
  }

  @Test
  void perfectReversedAndConstantRankings() {
    int[] labels = {0, 0, 1, 1};
    assertThat(RankMetrics.aucRoc(new double[] {1, 2, 3, 4}, labels)).isEqualTo(1.0);
    assertThat(RankMetrics.averagePrecision(new double[] {1, 2, 3, 4}, labels)).isEqualTo(1.0);
    assertThat(RankMetrics.aucRoc(new double[] {4, 3, 2, 1}, labels)).isEqualTo(0.0);
    // reversed: anomalies found at ranks 3 and 4 -> (1/2)(1/3) + (1/2)(2/4) = 5/12
    assertThat(RankMetrics.averagePrecision(new double[] {4, 3, 2, 1}, labels)).isCloseTo(5.0 / 12.0, within(1e-12));
    // all tied: one threshold, AUCROC one half, AP the anomaly rate
    assertThat(RankMetrics.aucRoc(new double[] {7, 7, 7, 7}, labels)).isEqualTo(0.5);
    assertThat(RankMetrics.averagePrecision(new double[] {7, 7, 7, 7}, labels)).isEqualTo(0.5);
  }

  @Test
  void rejectsInputThatHasNoAnswer() {
    assertThatThrownBy(() -> RankMetrics.aucRoc(new double[] {1, 2}, new int[] {0, 0}))
        .hasMessageContaining("both classes");
    assertThatThrownBy(() -> RankMetrics.aucRoc(new double[] {1, Double.NaN}, new int[] {0, 1}))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> RankMetrics.averagePrecision(new double[] {1, 2}, new int[] {0, 2}))
        .hasMessageContaining("expected 0 or 1");
    assertThatThrownBy(() -> RankMetrics.aucRoc(new double[] {1, 2, 3}, new int[] {0, 1}))
        .hasMessageContaining("3 scores but 2 labels");
  }
}
