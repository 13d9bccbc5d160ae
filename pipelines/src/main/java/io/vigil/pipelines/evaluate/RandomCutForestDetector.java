package io.vigil.pipelines.evaluate;

import com.amazon.randomcutforest.RandomCutForest;
import io.vigil.transforms.preprocess.FitPreprocessing;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.preprocess.PreprocessingOptions;
import io.vigil.transforms.records.ColumnSpec;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;

/**
 * Baseline: Amazon's Random Cut Forest ({@code software.amazon.randomcutforest}, Apache-2.0), a maintained JVM relative
 * of Isolation Forest. Used as a batch detector: no time decay (every training row is equally likely to be kept in a
 * tree's sample), the training split fed once, then the test rows scored without updating the forest. An
 * all-numeric table is used as it is (the benchmark protocol has already scaled it); a table with categories is
 * encoded by Vigil's preprocessing (recommended options) fitted on the training rows, as the critic sees it.
 */
public final class RandomCutForestDetector implements AnomalyDetector {
  private final int trees;
  private final int sampleSize;

  private RandomCutForestDetector(int trees, int sampleSize) {
    this.trees = trees;
    this.sampleSize = sampleSize;
  }

  /** The library's defaults (100 trees of 256 points), which match Isolation Forest's (100 trees, 256 samples). */
  public static RandomCutForestDetector withDefaults() {
    return new RandomCutForestDetector(RandomCutForest.DEFAULT_NUMBER_OF_TREES, RandomCutForest.DEFAULT_SAMPLE_SIZE);
  }

  @Override
  public Map<String, double[]> fitAndScore(ColumnSpec spec, List<Row> trainRows, List<Row> testRows, long seed) {
    double[][] train;
    double[][] test;
    if (NumericTable.isAllNumeric(spec)) {
      train = NumericTable.matrix(spec, trainRows);
      test = NumericTable.matrix(spec, testRows);
    } else {
      PreprocessingArtifact artifact = FitPreprocessing.fitInMemory(spec, PreprocessingOptions.recommended(),
          trainRows);
      train = encode(artifact, trainRows);
      test = encode(artifact, testRows);
    }
    RandomCutForest forest = RandomCutForest.builder()
        .dimensions(train[0].length)
        .numberOfTrees(trees)
        .sampleSize(sampleSize)
        .timeDecay(0.0)
        .outputAfter(1)
        .randomSeed(seed)
        .build();
    for (double[] row : train) {
      forest.update(row);
    }
    double[] scores = new double[test.length];
    for (int i = 0; i < test.length; i++) {
      scores[i] = forest.getAnomalyScore(test[i]);
    }
    return Map.of("RCF", scores);
  }

  private static double[][] encode(PreprocessingArtifact artifact, List<Row> rows) {
    double[][] out = new double[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      float[] features = artifact.encode(rows.get(r)).values();
      out[r] = new double[features.length];
      for (int c = 0; c < features.length; c++) {
        out[r][c] = features[c];
      }
    }
    return out;
  }
}
