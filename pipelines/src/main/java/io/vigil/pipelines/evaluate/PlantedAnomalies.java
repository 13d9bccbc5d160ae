package io.vigil.pipelines.evaluate;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * Plants anomalies into clinical records whose true anomalies are unknown, so a detector can be measured on them.
 *
 * <p>The four types are ADBench's ({@code adbench/datasets/data_generator.py: generate_realistic_synthetic}), defined
 * there on numeric features and carried here to a mixed table: a Gaussian fitted to the reference rows' numeric
 * columns stands in for ADBench's Gaussian mixture (one component instead of a BIC-chosen number), and the categorical
 * columns are handled per type as described on {@link Type}. Numeric values are rounded to whole numbers (the
 * diabetes table's numbers are counts) and kept at zero or above.
 */
public final class PlantedAnomalies {
  /** ADBench's scaling for local (covariance) and clustered (mean) anomalies. */
  public static final double ALPHA = 5.0;
  /** ADBench's widening of the range for global anomalies. */
  public static final double GLOBAL_PERCENTAGE = 0.1;

  private static final List<String> IMPLAUSIBLE_COLUMNS = List.of("time_in_hospital", "num_medications",
      "num_procedures", "age", "metformin-pioglitazone", "glimepiride-pioglitazone", "metformin-rosiglitazone",
      "diabetesMed");

  /** The planted anomaly types. */
  public enum Type {
    /** Numeric columns from the fitted Gaussian with its covariance scaled by {@link #ALPHA}; categories of a real row. */
    LOCAL,
    /**
     * Each numeric column uniform on [min, max] × (1 + {@link #GLOBAL_PERCENTAGE}) of the reference rows; each
     * category uniform over the levels seen.
     */
    GLOBAL,
    /** Every column drawn independently from its own marginal in the reference rows: the values are ordinary, their
     * combination is not (ADBench samples each feature's KDE; here the empirical marginal). */
    DEPENDENCY,
    /** Numeric columns from the fitted Gaussian with its mean scaled by {@link #ALPHA}; categories of a real row. */
    CLUSTERED,
    /**
     * Clinically implausible records (diabetes table only): a real row changed to either a one-day stay with 80
     * medications and 6 procedures, or a paediatric age band ({@code [0-10)}) on adult-only oral combination drugs.
     */
    IMPLAUSIBLE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final ColumnSpec spec;
  private final List<Row> reference;
  private final List<String> numeric;
  private final List<String> categorical;

  private PlantedAnomalies(ColumnSpec spec, List<Row> reference) {
    if (reference.size() < 2) {
      throw new IllegalArgumentException("need at least two reference rows to fit the generators");
    }
    this.spec = spec;
    this.reference = List.copyOf(reference);
    this.numeric = spec.namesOfKind(ColumnKind.NUMERIC);
    this.categorical = spec.namesOfKind(ColumnKind.CATEGORICAL);
  }

  /** A generator fitted to {@code reference} rows (the training split: real, unlabelled records). */
  public static PlantedAnomalies fittedTo(ColumnSpec spec, List<Row> reference) {
    return new PlantedAnomalies(spec, reference);
  }

  /**
   * {@code count} anomalies of a type, each built from a row of {@code templates} (held-out real rows, which give the
   * columns a type leaves real), with identifiers {@code planted-<type>-<n>}.
   */
  public List<Row> generate(Type type, int count, List<Row> templates, long seed) {
    if (count < 1 || templates.isEmpty()) {
      throw new IllegalArgumentException("need a positive count and at least one template row");
    }
    if (type == Type.IMPLAUSIBLE && !spec.names().containsAll(IMPLAUSIBLE_COLUMNS)) {
      throw new IllegalArgumentException("implausible records need the diabetes columns " + IMPLAUSIBLE_COLUMNS);
    }
    Random random = new Random(seed * 31 + type.ordinal());
    double[][] numericDraws = switch (type) {
      case LOCAL -> gaussian(ALPHA, 1.0).sample(count, seed);
      case CLUSTERED -> gaussian(1.0, ALPHA).sample(count, seed);
      case GLOBAL -> uniformBeyondRange(count, random);
      case DEPENDENCY, IMPLAUSIBLE -> null;
    };
    List<Row> planted = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      Row template = templates.get(random.nextInt(templates.size()));
      Map<String, Object> values = new LinkedHashMap<>();
      for (String column : spec.names()) {
        values.put(column, template.getValue(column));
      }
      values.put(spec.idColumn(), "planted-" + type.label() + "-" + n);
      switch (type) {
        case LOCAL, CLUSTERED -> putNumeric(values, numericDraws[n]);
        case GLOBAL -> {
          putNumeric(values, numericDraws[n]);
          for (String column : categorical) {
            List<Object> levels = levels(column);
            values.put(column, levels.get(random.nextInt(levels.size())));
          }
        }
        case DEPENDENCY -> {
          for (String column : numeric) {
            values.put(column, reference.get(random.nextInt(reference.size())).getValue(column));
          }
          for (String column : categorical) {
            values.put(column, reference.get(random.nextInt(reference.size())).getValue(column));
          }
        }
        case IMPLAUSIBLE -> makeImplausible(values, n);
      }
      // positional: Beam's by-name builder parses names such as "metformin-pioglitazone" as field paths
      planted.add(Row.withSchema(spec.schema()).addValues(new ArrayList<>(values.values())).build());
    }
    return planted;
  }

  private void makeImplausible(Map<String, Object> values, int n) {
    if (n % 2 == 0) {
      values.put("time_in_hospital", 1.0);
      values.put("num_medications", 80.0);
      values.put("num_procedures", 6.0);
    } else {
      values.put("age", "[0-10)");
      values.put("metformin-pioglitazone", "Steady");
      values.put("glimepiride-pioglitazone", "Steady");
      values.put("metformin-rosiglitazone", "Steady");
      values.put("diabetesMed", "Yes");
    }
  }

  private void putNumeric(Map<String, Object> values, double[] draw) {
    for (int c = 0; c < numeric.size(); c++) {
      values.put(numeric.get(c), (double) Math.max(0L, Math.round(draw[c])));
    }
  }

  /** The distinct non-null values of a column in the reference rows, in first-seen order. */
  private List<Object> levels(String column) {
    List<Object> levels = new ArrayList<>(new java.util.LinkedHashSet<>(reference.stream()
        .map(row -> row.getValue(column)).filter(java.util.Objects::nonNull).toList()));
    if (levels.isEmpty()) {
      levels.add(null);
    }
    return levels;
  }

  private double[][] referenceNumeric() {
    List<double[]> rows = new ArrayList<>();
    for (Row row : reference) {
      double[] values = new double[numeric.size()];
      boolean complete = true;
      for (int c = 0; c < numeric.size() && complete; c++) {
        Double value = row.getDouble(numeric.get(c));
        complete = value != null;
        values[c] = complete ? value : 0;
      }
      if (complete) {
        rows.add(values);
      }
    }
    if (rows.size() < 2) {
      throw new IllegalArgumentException("fewer than two reference rows have every numeric column");
    }
    return rows.toArray(new double[0][]);
  }

  /** A Gaussian sampler over the numeric columns with scaled covariance and mean. */
  private GaussianSampler gaussian(double covarianceScale, double meanScale) {
    double[][] data = referenceNumeric();
    int d = numeric.size();
    double[] mean = new double[d];
    for (double[] row : data) {
      for (int c = 0; c < d; c++) {
        mean[c] += row[c] / data.length;
      }
    }
    double[][] covariance = new Covariance(data).getCovarianceMatrix().getData();
    for (int i = 0; i < d; i++) {
      mean[i] *= meanScale;
      for (int j = 0; j < d; j++) {
        covariance[i][j] *= covarianceScale;
      }
      covariance[i][i] += 1e-9;
    }
    return new GaussianSampler(mean, covariance);
  }

  private record GaussianSampler(double[] mean, double[][] covariance) {
    double[][] sample(int count, long seed) {
      JDKRandomGenerator generator = new JDKRandomGenerator();
      generator.setSeed(seed);
      MultivariateNormalDistribution normal = new MultivariateNormalDistribution(generator, mean, covariance);
      return normal.sample(count);
    }
  }

  private double[][] uniformBeyondRange(int count, Random random) {
    double[][] data = referenceNumeric();
    int d = numeric.size();
    double[][] draws = new double[count][d];
    for (int c = 0; c < d; c++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] row : data) {
        min = Math.min(min, row[c]);
        max = Math.max(max, row[c]);
      }
      double low = min * (1 + GLOBAL_PERCENTAGE);
      double high = max * (1 + GLOBAL_PERCENTAGE);
      for (int n = 0; n < count; n++) {
        draws[n][c] = low + random.nextDouble() * (high - low);
      }
    }
    return draws;
  }
}
