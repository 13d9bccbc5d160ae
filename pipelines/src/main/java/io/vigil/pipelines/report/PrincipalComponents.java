package io.vigil.pipelines.report;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The leading principal components of a set of rows, for the report's projections.
 *
 * <p>One-hot widths reach thousands of columns, where a full covariance eigendecomposition would cost d³. This uses
 * randomized subspace iteration instead (Halko, Martinsson and Tropp 2011): a few products with the centred data, an
 * orthonormalisation per step, and an eigendecomposition of a small k × k matrix, all with commons-math3 matrices. Signs are fixed so the largest
 * loading of each component is positive, which makes the projection reproducible.
 */
public final class PrincipalComponents {
  private static final int OVERSAMPLING = 6;
  private static final int POWER_ITERATIONS = 8;

  private final double[] mean;
  /** d × k, orthonormal columns, most variance first. */
  private final RealMatrix components;
  private final double[] explainedVariance;

  private PrincipalComponents(double[] mean, RealMatrix components, double[] explainedVariance) {
    this.mean = mean;
    this.components = components;
    this.explainedVariance = explainedVariance;
  }

  /** Fits {@code count} components to {@code rows} (n × d, n ≥ 2); seeded, so the same rows give the same axes. */
  public static PrincipalComponents fit(float[][] rows, int count, long seed) {
    int n = rows.length;
    if (n < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
    }
    int d = rows[0].length;
    if (count < 1 || count > d) {
      throw new IllegalArgumentException("component count must be in [1, " + d + "], got " + count);
    }
    double[] mean = new double[d];
    for (float[] row : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[][] centred = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        centred[i][j] = rows[i][j] - mean[j];
      }
    }
    RealMatrix x = new Array2DRowRealMatrix(centred, false);
    int k = Math.min(d, count + OVERSAMPLING);
    Random random = new Random(seed);
    double[][] start = new double[d][k];
    for (int j = 0; j < d; j++) {
      for (int c = 0; c < k; c++) {
        start[j][c] = random.nextGaussian();
      }
    }
    RealMatrix basis = orthonormal(new Array2DRowRealMatrix(start, false));
    for (int step = 0; step < POWER_ITERATIONS; step++) {
      basis = orthonormal(x.transpose().multiply(x.multiply(basis)));
    }
    RealMatrix projected = x.multiply(basis);
    RealMatrix small = projected.transpose().multiply(projected).scalarMultiply(1.0 / (n - 1));
    EigenDecomposition eigen = new EigenDecomposition(small);
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    RealMatrix components = new Array2DRowRealMatrix(d, count);
    double[] variance = new double[count];
    for (int c = 0; c < count; c++) {
      double[] axis = basis.operate(eigen.getEigenvector(order[c]).toArray());
      int largest = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(axis[j]) > Math.abs(axis[largest])) {
          largest = j;
        }
      }
      double sign = axis[largest] < 0 ? -1 : 1;
      for (int j = 0; j < d; j++) {
        components.setEntry(j, c, sign * axis[j]);
      }
      variance[c] = Math.max(0, values[order[c]]);
    }
    return new PrincipalComponents(mean, components, variance);
  }

  /**
   * Orthonormal columns spanning the columns of {@code matrix} (modified Gram-Schmidt; k is tiny, and commons-math's
   * QR would build the full d × d Q).
   */
  private static RealMatrix orthonormal(RealMatrix matrix) {
    double[][] columns = matrix.transpose().getData();
    for (int c = 0; c < columns.length; c++) {
      for (int previous = 0; previous < c; previous++) {
        double dot = dot(columns[c], columns[previous]);
        for (int j = 0; j < columns[c].length; j++) {
          columns[c][j] -= dot * columns[previous][j];
        }
      }
      double norm = Math.sqrt(dot(columns[c], columns[c]));
      for (int j = 0; j < columns[c].length; j++) {
        columns[c][j] = norm > 1e-300 ? columns[c][j] / norm : 0;
      }
    }
    return new Array2DRowRealMatrix(columns, false).transpose();
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }

  /** The coordinates of {@code row} on the components. */
  public double[] project(float[] row) {
    if (row.length != mean.length) {
      throw new IllegalArgumentException("row has " + row.length + " features, the PCA was fitted on " + mean.length);
    }
    double[] coordinates = new double[components.getColumnDimension()];
    for (int c = 0; c < coordinates.length; c++) {
      double sum = 0;
      for (int j = 0; j < mean.length; j++) {
        sum += (row[j] - mean[j]) * components.getEntry(j, c);
      }
      coordinates[c] = sum;
    }
    return coordinates;
  }

  /** The variance of the data along each component, most first. */
  public double[] explainedVariance() {
    return explainedVariance.clone();
  }

  public double[] component(int index) {
    return components.getColumn(index);
  }
}
