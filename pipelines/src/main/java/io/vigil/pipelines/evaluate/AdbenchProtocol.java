package io.vigil.pipelines.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * ADBench's data protocol ({@code adbench/datasets/data_generator.py: DataGenerator.generator}) for one data set and
 * one seed, in its order:
 * <ol>
 *   <li>a set with fewer than 1,000 rows is resampled with replacement up to 1,000 rows (ADBench's
 *       {@code generate_duplicates}); a set with more than 10,000 rows is subsampled to 10,000 without replacement;
 *   <li>a stratified, shuffled train/test split, 30% test;
 *   <li>min-max scaling fitted on the training split and applied to both (test values may fall outside [0, 1]).
 * </ol>
 * The setting is unsupervised: the training split keeps its anomalies and a detector never sees its labels. The
 * random draws are seeded (Java's generator, so the rows differ from ADBench's NumPy draws; the procedure is the same).
 */
public final class AdbenchProtocol {
  public static final int MIN_ROWS = 1_000;
  public static final int MAX_ROWS = 10_000;
  public static final double TEST_FRACTION = 0.3;

  private AdbenchProtocol() {}

  /** One seeded train/test split of a data set, scaled. */
  public record Split(String dataset, long seed, double[][] train, int[] trainLabels, double[][] test,
      int[] testLabels) {}

  public static Split split(LabelledDataset data, long seed) {
    Random random = new Random(seed);
    int[] rows = resampledRows(data.rows(), random);

    List<Integer> normal = new ArrayList<>();
    List<Integer> anomalous = new ArrayList<>();
    for (int row : rows) {
      (data.labels()[row] == 1 ? anomalous : normal).add(row);
    }
    Collections.shuffle(normal, random);
    Collections.shuffle(anomalous, random);
    int testNormal = (int) Math.round(normal.size() * TEST_FRACTION);
    int testAnomalous = (int) Math.round(anomalous.size() * TEST_FRACTION);
    List<Integer> test = new ArrayList<>(normal.subList(0, testNormal));
    test.addAll(anomalous.subList(0, testAnomalous));
    List<Integer> train = new ArrayList<>(normal.subList(testNormal, normal.size()));
    train.addAll(anomalous.subList(testAnomalous, anomalous.size()));
    Collections.shuffle(train, random);
    Collections.shuffle(test, random);

    double[][] trainX = select(data.features(), train);
    double[][] testX = select(data.features(), test);
    minMaxScale(trainX, testX);
    return new Split(data.name(), seed, trainX, selectLabels(data.labels(), train), testX,
        selectLabels(data.labels(), test));
  }

  private static int[] resampledRows(int n, Random random) {
    if (n < MIN_ROWS) {
      int[] rows = new int[MIN_ROWS];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = random.nextInt(n);
      }
      return rows;
    }
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    if (n > MAX_ROWS) {
      Collections.shuffle(all, random);
      all = all.subList(0, MAX_ROWS);
    }
    return all.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[][] select(double[][] features, List<Integer> rows) {
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = features[rows.get(i)].clone();
    }
    return out;
  }

  private static int[] selectLabels(int[] labels, List<Integer> rows) {
    return rows.stream().mapToInt(row -> labels[row]).toArray();
  }

  /** scikit-learn's MinMaxScaler: a constant column maps to 0. */
  private static void minMaxScale(double[][] train, double[][] test) {
    int width = train[0].length;
    double[] min = new double[width];
    double[] max = new double[width];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (double[] row : train) {
      for (int c = 0; c < width; c++) {
        min[c] = Math.min(min[c], row[c]);
        max[c] = Math.max(max[c], row[c]);
      }
    }
    for (double[][] part : new double[][][] {train, test}) {
      for (double[] row : part) {
        for (int c = 0; c < width; c++) {
          double range = max[c] - min[c];
          row[c] = range == 0 ? row[c] - min[c] : (row[c] - min[c]) / range;
        }
      }
    }
  }
}
