package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdbenchProtocolTest {
  static LabelledDataset generated(int rows, int anomalies, long seed) {
    Random random = new Random(seed);
    double[][] x = new double[rows][3];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = i < anomalies ? 1 : 0;
      for (int c = 0; c < 3; c++) {
        x[i][c] = (y[i] == 1 ? 4 : 0) + random.nextGaussian() * (c + 1);
      }
    }
    return new LabelledDataset("generated", x, y);
  }

  @Test
  void splitsSeventyThirtyStratifiedAndScalesOnTheTrainingPart() {
    AdbenchProtocol.Split split = AdbenchProtocol.split(generated(2000, 200, 1), 7);
    assertThat(split.test().length).isEqualTo(600);
    assertThat(split.train().length).isEqualTo(1400);
    assertThat(Arrays.stream(split.testLabels()).sum()).isEqualTo(60);
    assertThat(Arrays.stream(split.trainLabels()).sum()).isEqualTo(140);
    for (int c = 0; c < 3; c++) {
      final int column = c;
      assertThat(Arrays.stream(split.train()).mapToDouble(r -> r[column]).min().orElseThrow()).isEqualTo(0.0);
      assertThat(Arrays.stream(split.train()).mapToDouble(r -> r[column]).max().orElseThrow()).isEqualTo(1.0);
    }
  }

  @Test
  void resamplesSmallSetsToAThousandAndSubsamplesLargeOnes() {
    AdbenchProtocol.Split small = AdbenchProtocol.split(generated(150, 15, 2), 1);
    assertThat(small.train().length + small.test().length).isEqualTo(AdbenchProtocol.MIN_ROWS);
    AdbenchProtocol.Split large = AdbenchProtocol.split(generated(12_000, 300, 3), 1);
    assertThat(large.train().length + large.test().length).isEqualTo(AdbenchProtocol.MAX_ROWS);
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    LabelledDataset data = generated(1000, 100, 4);
    assertThat(AdbenchProtocol.split(data, 5).test()).isDeepEqualTo(AdbenchProtocol.split(data, 5).test());
    assertThat(AdbenchProtocol.split(data, 5).test()).isNotEqualTo(AdbenchProtocol.split(data, 6).test());
  }
}
