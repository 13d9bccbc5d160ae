package io.vigil.pipelines.evaluate;

import io.vigil.transforms.records.ColumnSpec;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * An unsupervised detector under evaluation: fitted on a training split of records without labels, it scores a test
 * split. Records are rows of {@code spec.schema()}, the form every Vigil source produces, so a detector reaches the
 * data the way the product does. Scores are oriented so that higher means more anomalous (what the metrics expect).
 */
public interface AnomalyDetector {
  /** The method's name in reports, e.g. {@code Vigil} or {@code RCF}. */
  String name();

  /** Fits on {@code train} and returns one score per row of {@code test}, in the order of {@code test}. */
  double[] fitAndScore(ColumnSpec spec, List<Row> train, List<Row> test, long seed);
}
