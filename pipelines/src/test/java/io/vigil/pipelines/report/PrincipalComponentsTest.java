package io.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;
import org.junit.jupiter.api.Test;

class PrincipalComponentsTest {

  /** Rows in 40 dimensions with variance mostly along three random directions of different strength. */
  private static float[][] stretchedRows(int n, int d, long seed) {
    Random random = new Random(seed);
    double[][] directions = new double[3][d];
    for (double[] direction : directions) {
      for (int j = 0; j < d; j++) {
        direction[j] = random.nextGaussian();
      }
    }
    double[] scale = {9, 4, 2};
    float[][] rows = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        double weight = scale[c] * random.nextGaussian();
        for (int j = 0; j < d; j++) {
          rows[i][j] += (float) (weight * directions[c][j] / Math.sqrt(d));
        }
      }
      for (int j = 0; j < d; j++) {
        rows[i][j] += (float) (0.1 * random.nextGaussian() + 3);
      }
    }
    return rows;
  }

  @Test
  void findsTheSameAxesAndVariancesAsAFullEigendecomposition() {
    float[][] rows = stretchedRows(500, 40, 3);
    PrincipalComponents pca = PrincipalComponents.fit(rows, 3, 11);

    double[][] data = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      data[i] = new double[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        data[i][j] = rows[i][j];
      }
    }
    RealMatrix covariance = new Covariance(data).getCovarianceMatrix();
    EigenDecomposition exact = new EigenDecomposition(covariance);
    for (int c = 0; c < 3; c++) {
      // commons-math returns eigenvalues of a symmetric matrix in descending order.
      assertThat(pca.explainedVariance()[c]).isCloseTo(exact.getRealEigenvalue(c), within(1e-6 * exact.getRealEigenvalue(0)));
      double cosine = Math.abs(exact.getEigenvector(c).dotProduct(new org.apache.commons.math3.linear.ArrayRealVector(pca.component(c))));
      assertThat(cosine).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void projectionIsCentredAndReproducible() {
    float[][] rows = stretchedRows(300, 25, 5);
    PrincipalComponents first = PrincipalComponents.fit(rows, 3, 1);
    PrincipalComponents second = PrincipalComponents.fit(rows, 3, 1);
    double[] sum = new double[3];
    for (float[] row : rows) {
      double[] p = first.project(row);
      assertThat(second.project(row)).containsExactly(p);
      for (int c = 0; c < 3; c++) {
        sum[c] += p[c];
      }
    }
    for (int c = 0; c < 3; c++) {
      assertThat(sum[c] / rows.length).isCloseTo(0, within(1e-4));
    }
  }
}
