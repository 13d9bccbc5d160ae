package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.models.CriticScorer;
import io.vigil.models.DeviceChoice;
import io.vigil.models.FeatureMatrix;
import io.vigil.models.ModelBundle;
import io.vigil.models.TrainingListener;
import io.vigil.models.WganGpConfig;
import io.vigil.models.WganGpTrainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VigilCriticDetectorTest {
  /** The recommended preset (first-layer standardised distance) shrunk to train in a second. */
  private static final WganGpConfig SMALL = WganGpConfig.recommended().toBuilder()
      .attentionDimAndHeads(8, 2).criticHidden(16).minibatchFeatures(4).minibatchKernel(3).batchSize(16)
      .referenceRows(40).device(DeviceChoice.CPU).build();

  @Test
  void theUntrainedControlScoresAsItsCriticsRandomStartWhateverTheEpochs() {
    FeatureMatrix train = uniformRows(80, 6, 1);
    FeatureMatrix test = uniformRows(30, 6, 2);
    WganGpConfig untrained = VigilCriticDetector.untrained(SMALL);

    float[] oneEpoch = score(untrained.toBuilder().epochs(1).build(), train, test);
    float[] fourEpochs = score(untrained.toBuilder().epochs(4).build(), train, test);
    // the same start trained for real (ten times the notebook's rate, so that four epochs surely move it)
    float[] trained = score(SMALL.toBuilder().learningRate(1e-3).epochs(4).build(), train, test);

    assertThat(untrained.learningRate()).isEqualTo(VigilCriticDetector.UNTRAINED_LEARNING_RATE);
    for (int i = 0; i < test.rows(); i++) {
      // the standardised distance ignores the power iterations' rescaling of the layer; only weights could differ
      assertThat(fourEpochs[i]).isCloseTo(oneEpoch[i], within(1e-4f * Math.abs(oneEpoch[i])));
    }
    assertThat(maxRelativeDifference(trained, oneEpoch)).isGreaterThan(1e-3);
  }

  private static float[] score(WganGpConfig config, FeatureMatrix train, FeatureMatrix test) {
    ModelBundle bundle = WganGpTrainer.train(config, train, TrainingListener.NONE);
    try (CriticScorer scorer = CriticScorer.open(bundle, DeviceChoice.CPU)) {
      return scorer.score(test);
    }
  }

  private static double maxRelativeDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
    }
    return max;
  }

  private static FeatureMatrix uniformRows(int rows, int cols, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[rows * cols];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return new FeatureMatrix(rows, cols, values);
  }
}
