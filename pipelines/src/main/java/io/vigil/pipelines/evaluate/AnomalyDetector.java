package io.vigil.pipelines.evaluate;

import io.vigil.transforms.records.ColumnSpec;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;

/**
 * An unsupervised detector under evaluation: fitted on a training split of records without labels, it scores a test
 * split. Records are rows of {@code spec.schema()}, the form every Vigil source produces, so a detector reaches the
 * data the way the product does. Scores are oriented so that higher means more anomalous (what the metrics expect).
 */
public interface AnomalyDetector {
  /**
   * Fits on {@code train} and scores every row of {@code test}: per method name in reports (e.g. {@code RCF}), one
   * score per test row in the order of {@code test}. A detector may report several readings of one fit (as Vigil's
   * two ways of ranking by the critic), in a fixed order.
   */
  Map<String, double[]> fitAndScore(ColumnSpec spec, List<Row> train, List<Row> test, long seed);
}
