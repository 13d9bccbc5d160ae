package io.vigil.transforms.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.transforms.preprocess.PreprocessingArtifact.QuantileKnot;
import io.vigil.transforms.preprocess.PreprocessingOptions.NumericScaling;
import io.vigil.transforms.records.FeatureVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NumericScaling#QUANTILE_NORMAL} on small generated tables. The expected features are Φ⁻¹ of probabilities
 * worked out by hand in the comments, divided by 4 as the scaling defines; the Φ⁻¹ values come from Python's
 * {@code statistics.NormalDist().inv_cdf} (another implementation than commons-math3's, Wichura's AS 241).
 */
class QuantileNormalScalingTest {
  private static final PreprocessingOptions QUANTILE = PreprocessingOptions.seed()
      .withNumericScaling(NumericScaling.QUANTILE_NORMAL);

  /** Φ⁻¹(1/14), Φ⁻¹(4/14), Φ⁻¹(9/14), Φ⁻¹(13/14), Φ⁻¹(13/28), Φ⁻¹(11/14), each divided by 4. */
  private static final double Z_1_14 = -1.4652337926855223 / 4;
  private static final double Z_4_14 = -0.5659488219328631 / 4;
  private static final double Z_9_14 = 0.3661063568005697 / 4;
  private static final double Z_13_14 = 1.4652337926855223 / 4;
  private static final double Z_13_28 = -0.08964235107576252 / 4;
  private static final double Z_11_14 = 0.7916386077433746 / 4;
  /** Φ⁻¹(18.5 / 19) / 4 = Φ⁻¹(37 / 38) / 4. */
  private static final double Z_37_38 = 1.9379315108528292 / 4;

  @TempDir
  Path dir;

  private static Row row(String id, Double dose, Double stay) {
    return PreprocessingArtifactTest.row(id, "b", dose, null, stay, "NO");
  }

  /**
   * dose 1, 2, 2, 3, 3, 3, 10 and one missing (n = 7 present); stay constant 3. Mid-rank probabilities of dose:
   * 1 → (0 + 1/2) / 7 = 1/14, 2 → (1 + 2/2) / 7 = 4/14, 3 → (3 + 3/2) / 7 = 9/14, 10 → (6 + 1/2) / 7 = 13/14.
   */
  private static PreprocessingArtifact tiesTable() {
    List<Row> rows = new ArrayList<>();
    Double[] doses = {1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 10.0, null};
    for (int i = 0; i < doses.length; i++) {
      rows.add(row("r" + i, doses[i], 3.0));
    }
    return FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, QUANTILE, rows);
  }

  private static float dose(PreprocessingArtifact artifact, Double value) {
    return artifact.encode(row("x", value, 3.0)).values()[0];
  }

  @Test
  void tiedValuesShareTheirMidRankKnot() {
    PreprocessingArtifact artifact = tiesTable();
    PreprocessingArtifact.NumericColumn dose = artifact.numericColumns().get(0);
    PreprocessingArtifact.NumericColumn stay = artifact.numericColumns().get(1);

    assertThat(dose.knots()).containsExactly(new QuantileKnot(1, 1.0 / 14), new QuantileKnot(2, 4.0 / 14),
        new QuantileKnot(3, 9.0 / 14), new QuantileKnot(10, 13.0 / 14));
    assertThat(stay.knots()).containsExactly(new QuantileKnot(3, 0.5));
    assertThat(artifact.featureNames()).startsWith("dose", "stay", "dose_missing", "stay_missing");
  }

  @Test
  void encodesThroughTheKnotsAndTheNormalQuantileFunction() {
    PreprocessingArtifact artifact = tiesTable();

    assertThat(dose(artifact, 1.0)).isCloseTo((float) Z_1_14, within(1e-6f));
    assertThat(dose(artifact, 2.0)).isCloseTo((float) Z_4_14, within(1e-6f));
    assertThat(dose(artifact, 3.0)).isCloseTo((float) Z_9_14, within(1e-6f));
    assertThat(dose(artifact, 10.0)).isCloseTo((float) Z_13_14, within(1e-6f));
    // 2.5 is halfway from 2 to 3: u = 4/14 + (9/14 - 4/14) / 2 = 13/28. 6.5 is halfway from 3 to 10: u = 11/14.
    assertThat(dose(artifact, 2.5)).isCloseTo((float) Z_13_28, within(1e-6f));
    assertThat(dose(artifact, 6.5)).isCloseTo((float) Z_11_14, within(1e-6f));
  }

  @Test
  void missingValuesBecomeTheMeanOfTheEncodedFittedValues() {
    PreprocessingArtifact artifact = tiesTable();
    // (Φ⁻¹(1/14) + 2 Φ⁻¹(4/14) + 3 Φ⁻¹(9/14) + Φ⁻¹(13/14)) / 7
    double mean = (Z_1_14 + 2 * Z_4_14 + 3 * Z_9_14 + Z_13_14) / 7;
    FeatureVector missing = artifact.encode(row("m", null, null));

    assertThat(artifact.numericColumns().get(0).scaledMean()).isCloseTo(mean, within(1e-12));
    assertThat(missing.values()[0]).isCloseTo((float) mean, within(1e-6f));
    assertThat(missing.values()[1]).as("constant stay, missing").isZero();
    assertThat(missing.values()[2]).as("dose_missing").isEqualTo(1f);
    assertThat(missing.values()[3]).as("stay_missing").isEqualTo(1f);
    assertThat(missing.outOfRangeColumns()).isEmpty();
  }

  @Test
  void valuesOutsideTheFittedRangeAreClippedToTheExtremeKnotsAndReported() {
    PreprocessingArtifact artifact = tiesTable();
    FeatureVector below = artifact.encode(row("lo", 0.0, 3.0));
    FeatureVector above = artifact.encode(row("hi", 11.0, 4.0));
    FeatureVector atMax = artifact.encode(row("max", 10.0, 3.0));

    assertThat(below.values()[0]).isCloseTo((float) Z_1_14, within(1e-6f));
    assertThat(below.outOfRangeColumns()).containsExactly("dose");
    assertThat(above.values()[0]).isCloseTo((float) Z_13_14, within(1e-6f));
    assertThat(above.values()[1]).as("constant stay").isZero();
    assertThat(above.outOfRangeColumns()).containsExactly("dose", "stay");
    assertThat(atMax.outOfRangeColumns()).isEmpty();
    assertThat(atMax.values()[1]).isZero();
  }

  /** 3,000 rows of a heavy-tailed column rounded to 3 decimals: ties, and more distinct values than knots. */
  private static List<Row> heavyTailed(int rows, long seed) {
    Random random = new Random(seed);
    List<Row> table = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double value = Math.round(Math.exp(1.5 * random.nextGaussian()) * 1000) / 1000.0;
      table.add(row("h" + i, value, 3.0));
    }
    return table;
  }

  @Test
  void encodingIsMonotonicWithUpToAThousandKnotsFromMoreDistinctValues() {
    List<Row> table = heavyTailed(3_000, 11);
    PreprocessingArtifact artifact = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, QUANTILE, table);
    PreprocessingArtifact.NumericColumn dose = artifact.numericColumns().get(0);
    double[] distinct = table.stream().mapToDouble(row -> row.getDouble("dose")).sorted().distinct().toArray();

    assertThat(distinct.length).isGreaterThan(PreprocessingArtifact.QUANTILE_KNOTS);
    assertThat(dose.knots()).hasSizeBetween(900, PreprocessingArtifact.QUANTILE_KNOTS);
    assertThat(dose.knots().get(0).value()).isEqualTo(distinct[0]);
    assertThat(dose.knots().get(dose.knots().size() - 1).value()).isEqualTo(distinct[distinct.length - 1]);
    float previous = Float.NEGATIVE_INFINITY;
    for (double value : distinct) {
      float feature = dose(artifact, value);
      assertThat(feature).as("feature of %s", value).isGreaterThan(previous);
      previous = feature;
    }
    float swept = Float.NEGATIVE_INFINITY;
    double span = dose.max() - dose.min();
    for (int step = -10; step <= 10_010; step++) {
      float feature = dose(artifact, dose.min() + span * step / 10_000);
      assertThat(feature).isGreaterThanOrEqualTo(swept);
      swept = feature;
    }
  }

  @Test
  void theEncodedFittedColumnIsCloseToNormalWithAQuarterSpreadAndTheStoredMean() {
    List<Row> table = heavyTailed(3_000, 12);
    PreprocessingArtifact artifact = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, QUANTILE, table);
    double[] features = table.stream().mapToDouble(row -> artifact.encode(row).values()[0]).toArray();
    double mean = Arrays.stream(features).average().orElseThrow();
    double variance = Arrays.stream(features).map(f -> (f - mean) * (f - mean)).average().orElseThrow();

    assertThat(artifact.numericColumns().get(0).scaledMean()).isCloseTo(mean, within(1e-6));
    assertThat(mean).isCloseTo(0, within(0.01));
    // Mid-ranks of 3,000 values through Φ⁻¹ / 4, with ties sharing one value: slightly less spread than N(0, 1/16).
    assertThat(Math.sqrt(variance)).isBetween(0.95 / 4, 1.0 / 4);
  }

  @Test
  void fittingMinMaxCollectsNoDistributionAndKeepsItsEncoding() {
    List<Row> table = PreprocessingArtifactTest.table();
    PreprocessingArtifact minMax = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC,
        PreprocessingOptions.seed(), table);
    PreprocessingArtifact quantile = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, QUANTILE, table);

    assertThat(FitPreprocessing.StatisticsFn.of(PreprocessingArtifactTest.SPEC, PreprocessingOptions.seed())
        .createAccumulator().distributions).containsOnlyNulls();
    assertThat(minMax.numericColumns()).allSatisfy(column -> assertThat(column.knots()).isEmpty());
    assertThat(minMax.options().numericScaling()).isEqualTo(NumericScaling.MIN_MAX);
    assertThat(quantile.featureNames()).isEqualTo(minMax.featureNames());
    assertThat(quantile.fingerprint()).isNotEqualTo(minMax.fingerprint());
    // dose 2..40 without 12, no ties: 40 is the top of 19 values, u = 18.5 / 19 = 37 / 38.
    assertThat(quantile.encode(table.get(19)).values()[0]).isCloseTo((float) Z_37_38, within(1e-6f));
    assertThat(minMax.encode(table.get(19)).values()[0]).isEqualTo(1f);
  }

  @Test
  void roundTripsKnotsThroughJsonAndRefusesBadOnes() throws Exception {
    PreprocessingArtifact artifact = tiesTable();
    Path file = dir.resolve("quantile.json");
    artifact.save(file);
    String json = Files.readString(file);

    PreprocessingArtifact loaded = PreprocessingArtifact.load(file);
    assertThat(loaded.fingerprint()).isEqualTo(artifact.fingerprint());
    assertThat(loaded.options()).isEqualTo(QUANTILE);
    assertThat(loaded.numericColumns()).isEqualTo(artifact.numericColumns());
    for (double value : new double[] {0, 1, 2.5, 3, 6.5, 11}) {
      assertThat(loaded.encode(row("v", value, 3.0))).isEqualTo(artifact.encode(row("v", value, 3.0)));
    }
    assertThat(json).contains("\"formatVersion\" : 2", "\"numericScaling\" : \"QUANTILE_NORMAL\"",
        "\"knotValues\" : [ 1.0, 2.0, 3.0, 10.0 ]", "\"knotValues\" : [ 3.0 ]", "\"knotProbabilities\" : [ 0.5 ]");

    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("[ 1.0, 2.0, 3.0, 10.0 ]",
        "[ 1.0, 2.0, 2.0, 10.0 ]")))
        .isInstanceOf(PreprocessingArtifactException.class)
        .hasMessageContaining("column 'dose': quantile knots must increase in value and in probability, but knot 2 "
            + "(2.0, 0.6428571428571429) follows knot 1 (2.0, 0.2857142857142857)");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("[ 1.0, 2.0, 3.0, 10.0 ]",
        "[ 0.5, 2.0, 3.0, 10.0 ]")))
        .hasMessageContaining("quantile knot 0 (0.5, 0.07142857142857142) must lie within the fitted range "
            + "[1.0, 10.0]");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("[ 1.0, 2.0, 3.0, 10.0 ]",
        "[ 1.0, 2.0, 3.0 ]")))
        .hasMessageContaining("column 'dose' has 3 knot values but 4 knot probabilities");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"knotValues\" : [ 3.0 ],", "")))
        .hasMessageContaining("lacks field 'knotValues'");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"QUANTILE_NORMAL\"", "\"MIN_MAX\"")))
        .hasMessageContaining("column 'dose' has 4 quantile knots, but numeric scaling MIN_MAX uses none");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"QUANTILE_NORMAL\"", "\"RANK\"")))
        .hasMessageContaining("field 'numericScaling' of the preprocessing artifact must be one of "
            + "[MIN_MAX, QUANTILE_NORMAL, AUTO], got 'RANK'");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("0.5 ]", "0.5000001 ]")))
        .hasMessageContaining("does not match its fingerprint");
  }

  @Test
  void aMinMaxArtifactWithoutKnotsIsRefusedWhenItClaimsQuantileScaling() {
    String json = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, PreprocessingOptions.seed(),
        PreprocessingArtifactTest.table()).toJson();

    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"MIN_MAX\"", "\"QUANTILE_NORMAL\"")))
        .isInstanceOf(PreprocessingArtifactException.class)
        .hasMessageContaining("column 'dose' has 0 quantile knots, but numeric scaling QUANTILE_NORMAL needs them");
  }

  @Test
  void optionsCarryTheScaling() {
    assertThat(PreprocessingOptions.seed().numericScaling()).isEqualTo(NumericScaling.MIN_MAX);
    assertThat(PreprocessingOptions.recommended().numericScaling()).isEqualTo(NumericScaling.MIN_MAX);
    assertThat(QUANTILE.withTopK(3).numericScaling()).isEqualTo(NumericScaling.QUANTILE_NORMAL);
    assertThatThrownBy(() -> PreprocessingOptions.seed().withNumericScaling(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numeric scaling must not be null");
  }

  @Test
  void autoScalesOnlyTheColumnWhoseExtremesSqueezeItsBulkByQuantiles(@TempDir Path dir) {
    // dose: lognormal, a few extreme values (IQR far under a tenth of the range); stay: 1..10 evenly (IQR 4.5 of 9)
    Random random = new Random(5);
    List<Row> table = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      table.add(row("a" + i, Math.round(Math.exp(1.5 * random.nextGaussian()) * 1000) / 1000.0, 1.0 + i % 10));
    }
    PreprocessingOptions auto = PreprocessingOptions.seed().withNumericScaling(NumericScaling.AUTO);
    PreprocessingArtifact artifact = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, auto, table);
    PreprocessingArtifact quantile = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC, QUANTILE, table);
    PreprocessingArtifact minMax = FitPreprocessing.fitInMemory(PreprocessingArtifactTest.SPEC,
        PreprocessingOptions.seed(), table);
    Row probe = row("p", 2.5, 7.0);

    assertThat(artifact.numericColumns().get(0).knots()).isNotEmpty();
    assertThat(artifact.numericColumns().get(1).knots()).isEmpty();
    assertThat(artifact.encode(probe).values()[0]).isEqualTo(quantile.encode(probe).values()[0]);
    assertThat(artifact.encode(probe).values()[1]).isEqualTo(minMax.encode(probe).values()[1]).isEqualTo(6f / 9f);
    Path file = dir.resolve("auto.json");
    artifact.save(file);
    PreprocessingArtifact reloaded = PreprocessingArtifact.load(file);
    assertThat(reloaded.fingerprint()).isEqualTo(artifact.fingerprint());
    assertThat(reloaded.encode(probe).values()).containsExactly(artifact.encode(probe).values());
  }
}
