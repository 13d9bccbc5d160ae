package io.vigil.transforms.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdRuleTest {
  private static final double[] SCORES = {5.0, 1.0, 3.0, 2.0, 4.0, 10.0, -7.5};

  @Test
  void percentileInterpolatesLinearlyAsNumpyDoes() {
    // np.percentile(SCORES, 1) = -7.5 + 0.06 * (1 - (-7.5)); np.percentile(SCORES, 37.5) = 2 + 0.25 * (3 - 2)
    assertThat(ThresholdRule.notebookDefault().thresholdFor(SCORES)).isCloseTo(-6.99, within(1e-12));
    assertThat(ThresholdRule.percentile(37.5).thresholdFor(SCORES)).isCloseTo(2.25, within(1e-12));
    assertThat(ThresholdRule.percentile(0).thresholdFor(SCORES)).isEqualTo(-7.5);
    assertThat(ThresholdRule.percentile(100).thresholdFor(SCORES)).isEqualTo(10.0);
  }

  @Test
  void percentileLeavesTheScoresUnsorted() {
    double[] scores = SCORES.clone();
    ThresholdRule.percentile(50).thresholdFor(scores);
    assertThat(scores).containsExactly(SCORES);
  }

  @Test
  void fixedRuleIgnoresTheScores() {
    assertThat(ThresholdRule.fixed(-0.25).thresholdFor(new double[0])).isEqualTo(-0.25);
    assertThat(ThresholdRule.fixed(-0.25).isFixed()).isTrue();
  }

  @Test
  void parseReadsWhatToStringWrites() {
    for (ThresholdRule rule : new ThresholdRule[] {ThresholdRule.percentile(2.5), ThresholdRule.fixed(-1.5)}) {
      assertThat(ThresholdRule.parse(rule.toString())).isEqualTo(rule);
    }
  }

  @Test
  void badRulesFailClearly() {
    assertThatThrownBy(() -> ThresholdRule.percentile(101)).hasMessageContaining("[0, 100]");
    assertThatThrownBy(() -> ThresholdRule.fixed(Double.NaN)).hasMessageContaining("finite");
    assertThatThrownBy(() -> ThresholdRule.parse("median")).hasMessageContaining("percentile:<0..100>");
    assertThatThrownBy(() -> ThresholdRule.notebookDefault().thresholdFor(new double[0]))
        .hasMessageContaining("no validation scores");
  }
}
