package io.vigil.pipelines.evaluate;

import io.vigil.transforms.records.ColumnSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.Row;

/**
 * Runs detectors on labelled data sets under the {@link AdbenchProtocol}: for each data set and seed one split, which
 * every detector sees identically; each detector's test scores give AUCROC and AUCPR.
 */
public final class AdbenchEvaluation {
  private AdbenchEvaluation() {}

  /**
   * Evaluates every detector on every data set for every seed.
   *
   * @param progress called with each result as it is measured (for logs); may be a no-op
   */
  public static List<SeedResult> run(List<LabelledDataset> datasets, List<Long> seeds, List<AnomalyDetector> detectors,
      Consumer<SeedResult> progress) {
    if (datasets.isEmpty() || seeds.isEmpty() || detectors.isEmpty()) {
      throw new IllegalArgumentException("need at least one data set, one seed and one detector");
    }
    List<SeedResult> results = new ArrayList<>();
    for (LabelledDataset dataset : datasets) {
      for (long seed : seeds) {
        AdbenchProtocol.Split split = AdbenchProtocol.split(dataset, seed);
        ColumnSpec spec = NumericTable.spec(dataset.columns());
        List<Row> train = NumericTable.rows(spec, split.train(), "train-");
        List<Row> test = NumericTable.rows(spec, split.test(), "test-");
        for (AnomalyDetector detector : detectors) {
          for (SeedResult result : evaluate(detector, dataset.name(), spec, train, test, split.testLabels(), seed)) {
            results.add(result);
            progress.accept(result);
          }
        }
      }
    }
    return results;
  }

  /** Fits one detector on {@code train}, scores {@code test} and measures each reading against the labels. */
  public static List<SeedResult> evaluate(AnomalyDetector detector, String dataset, ColumnSpec spec, List<Row> train,
      List<Row> test, int[] testLabels, long seed) {
    long start = System.nanoTime();
    Map<String, double[]> readings = detector.fitAndScore(spec, train, test, seed);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<SeedResult> results = new ArrayList<>();
    readings.forEach((method, scores) -> {
      if (scores.length != test.size()) {
        throw new IllegalStateException(method + " returned " + scores.length + " scores for " + test.size()
            + " test rows");
      }
      results.add(new SeedResult(dataset, method, seed, 100 * RankMetrics.aucRoc(scores, testLabels),
          100 * RankMetrics.averagePrecision(scores, testLabels), seconds));
    });
    return results;
  }
}
