package io.vigil.pipelines.evaluate;

import io.vigil.pipelines.evaluate.PlantedAnomalies.Type;
import io.vigil.transforms.records.ColumnSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.Row;

/**
 * Measures detectors on real records without labels by planting anomalies: per seed, the records are shuffled and
 * split 70/30; detectors train on the 70% (real records only); each anomaly type is planted into the held-out 30%
 * ({@link #ANOMALY_FRACTION} of its size, built from held-out rows) and ranked against the held-out real rows.
 *
 * <p>A detector is fitted once per seed and scores the held-out rows with every type's anomalies in one test set;
 * each type's metrics use the held-out rows plus that type's anomalies only (Vigil's scores do not depend on what
 * else is scored with a record).
 */
public final class PlantedEvaluation {
  /** Planted anomalies per held-out real record. */
  public static final double ANOMALY_FRACTION = 0.05;

  private final ColumnSpec spec;
  private final String name;
  private final int maxTrainRows;
  private final int maxHeldOutRows;

  /**
   * @param name prefix of the result names, e.g. {@code diabetes} gives {@code diabetes/local}
   * @param maxTrainRows cap on training rows (a random subsample beyond it, to bound training time)
   * @param maxHeldOutRows cap on held-out real rows
   */
  public PlantedEvaluation(ColumnSpec spec, String name, int maxTrainRows, int maxHeldOutRows) {
    if (maxTrainRows < 2 || maxHeldOutRows < 20) {
      throw new IllegalArgumentException("need at least 2 training and 20 held-out rows");
    }
    this.spec = spec;
    this.name = name;
    this.maxTrainRows = maxTrainRows;
    this.maxHeldOutRows = maxHeldOutRows;
  }

  public List<SeedResult> run(List<Row> records, List<Long> seeds, List<Type> types, List<AnomalyDetector> detectors,
      Consumer<SeedResult> progress) {
    List<SeedResult> results = new ArrayList<>();
    for (long seed : seeds) {
      List<Row> shuffled = new ArrayList<>(records);
      Collections.shuffle(shuffled, new Random(seed));
      int cut = (int) Math.round(shuffled.size() * (1 - AdbenchProtocol.TEST_FRACTION));
      List<Row> train = shuffled.subList(0, Math.min(cut, maxTrainRows));
      List<Row> heldOut = shuffled.subList(cut, Math.min(shuffled.size(), cut + maxHeldOutRows));
      PlantedAnomalies planter = PlantedAnomalies.fittedTo(spec, train);
      int perType = Math.max(1, (int) Math.round(heldOut.size() * ANOMALY_FRACTION));

      List<Row> test = new ArrayList<>(heldOut);
      for (Type type : types) {
        test.addAll(planter.generate(type, perType, heldOut, seed));
      }
      for (AnomalyDetector detector : detectors) {
        long start = System.nanoTime();
        Map<String, double[]> readings = detector.fitAndScore(spec, train, test, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Map.Entry<String, double[]> reading : readings.entrySet()) {
          double[] scores = reading.getValue();
          for (int t = 0; t < types.size(); t++) {
            int from = heldOut.size() + t * perType;
            double[] typeScores = new double[heldOut.size() + perType];
            int[] labels = new int[typeScores.length];
            System.arraycopy(scores, 0, typeScores, 0, heldOut.size());
            System.arraycopy(scores, from, typeScores, heldOut.size(), perType);
            for (int i = heldOut.size(); i < labels.length; i++) {
              labels[i] = 1;
            }
            SeedResult result = new SeedResult(name + "/" + types.get(t).label(), reading.getKey(), seed,
                100 * RankMetrics.aucRoc(typeScores, labels), 100 * RankMetrics.averagePrecision(typeScores, labels),
                seconds);
            results.add(result);
            progress.accept(result);
          }
        }
      }
    }
    return results;
  }
}
