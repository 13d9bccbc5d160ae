package io.vigil.transforms.preprocess;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * How {@link FitPreprocessing} learns the encoding: which columns to drop for missingness, how numeric columns are
 * scaled and how large each categorical vocabulary may grow. {@link #seed()} is the seed notebook's recipe;
 * {@link #recommended()} is what Vigil uses by default (see the transforms README for why).
 */
@AutoValue
public abstract class PreprocessingOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which categorical columns get an out-of-vocabulary (OOV) feature. */
  public enum OovBuckets {
    /** None: a value outside the vocabulary sets no feature of its column and is reported. */
    NONE,
    /** Only the columns whose vocabulary was capped (levels below minFrequency or beyond topK were left out). */
    WHERE_CAPPED,
    /** Every categorical column, so that a category first seen at scoring time always has a feature to go to. */
    EVERY_COLUMN
  }

  /** How a present numeric value becomes its feature. */
  public enum NumericScaling {
    /**
     * {@code (x - min) / (max - min)} with the fitted min and max, in [0, 1]: the seed notebook's recipe. A few
     * extreme values squeeze all the others into a sliver of the range.
     */
    MIN_MAX,
    /**
     * Through the column's fitted empirical cumulative distribution, then the standard normal quantile function
     * (a Gaussian-copula transform, as scikit-learn's {@code QuantileTransformer(output_distribution='normal')}):
     * {@code Φ⁻¹(F(x)) / 4}, where F interpolates up to {@link PreprocessingArtifact#QUANTILE_KNOTS} fitted knots
     * (the divisor, {@link PreprocessingArtifact#NORMAL_SCORE_DIVISOR}, keeps the spread of min/max features). Every
     * column then looks normal to the critic whatever its scale and tails; only ranks matter, so a heavy tail no
     * longer hides differences among ordinary values, and a value in a thin tail stands out.
     */
    QUANTILE_NORMAL,
    /**
     * Per column: {@code QUANTILE_NORMAL} where a few extreme values squeeze the bulk of the values, i.e. where the
     * fitted interquartile range is under {@link PreprocessingArtifact#HEAVY_TAIL_IQR_FRACTION} of the fitted range,
     * {@code MIN_MAX} elsewhere. Quantile scaling helps the heavy-tailed lab columns but costs where min/max already
     * spreads the values and their distances matter (bounded scores, small samples with many ties).
     */
    AUTO;

    /** Whether fitting must collect each numeric column's value distribution. */
    public boolean needsDistributions() {
      return this != MIN_MAX;
    }
  }

  /** The most levels kept per categorical column (the most frequent); 0 means no cap. */
  public abstract int topK();

  /** The fewest rows a level must have in the fitted data to get its own feature; 1 keeps every level. */
  public abstract long minFrequency();

  public abstract OovBuckets oovBuckets();

  /**
   * A column is dropped when its share of missing values exceeds this, with pandas'
   * {@code dropna(thresh=int((1 - f) * n), axis=1)} rounding: it is kept iff it has at least
   * {@code floor((1 - f) * n)} present values.
   */
  public abstract double maxMissingFraction();

  public abstract NumericScaling numericScaling();

  abstract Builder toBuilder();

  /**
   * The notebook's recipe: drop columns more than 90% missing, numeric columns scaled by min/max, every level of every
   * categorical column one-hot encoded, no OOV feature (a category unseen at fit time is reported, its column's
   * features all zero).
   */
  public static PreprocessingOptions seed() {
    return new AutoValue_PreprocessingOptions.Builder()
        .setTopK(0)
        .setMinFrequency(1)
        .setOovBuckets(OovBuckets.NONE)
        .setMaxMissingFraction(0.9)
        .setNumericScaling(NumericScaling.MIN_MAX)
        .build();
  }

  /**
   * Vigil's default: the notebook's recipe with levels seen fewer than 10 times merged into an OOV feature on every
   * categorical column.
   */
  public static PreprocessingOptions recommended() {
    return seed().withMinFrequency(10).withOovBuckets(OovBuckets.EVERY_COLUMN);
  }

  /** Keep at most {@code k} levels per categorical column, the most frequent (ties: the smaller level); 0: no cap. */
  public PreprocessingOptions withTopK(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("topK must be 0 (no cap) or positive, got " + k);
    }
    return toBuilder().setTopK(k).build();
  }

  /** Give a level its own feature only if it occurs in at least {@code count} fitted rows. */
  public PreprocessingOptions withMinFrequency(long count) {
    if (count < 1) {
      throw new IllegalArgumentException("minFrequency must be at least 1, got " + count);
    }
    return toBuilder().setMinFrequency(count).build();
  }

  /** {@code true}: an OOV feature on every categorical column ({@link OovBuckets#EVERY_COLUMN}); {@code false}: none. */
  public PreprocessingOptions withOovBucket(boolean oovBucket) {
    return withOovBuckets(oovBucket ? OovBuckets.EVERY_COLUMN : OovBuckets.NONE);
  }

  public PreprocessingOptions withOovBuckets(OovBuckets buckets) {
    if (buckets == null) {
      throw new IllegalArgumentException("OOV bucket choice must not be null");
    }
    return toBuilder().setOovBuckets(buckets).build();
  }

  /** Drop columns with a larger share of missing values than {@code fraction}, in [0, 1]. */
  public PreprocessingOptions withMaxMissingFraction(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("maxMissingFraction must be in [0, 1], got " + fraction);
    }
    return toBuilder().setMaxMissingFraction(fraction).build();
  }

  /** Scale numeric columns by {@code scaling}; see {@link NumericScaling}. */
  public PreprocessingOptions withNumericScaling(NumericScaling scaling) {
    if (scaling == null) {
      throw new IllegalArgumentException("numeric scaling must not be null");
    }
    return toBuilder().setNumericScaling(scaling).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTopK(int k);

    abstract Builder setMinFrequency(long count);

    abstract Builder setOovBuckets(OovBuckets buckets);

    abstract Builder setMaxMissingFraction(double fraction);

    abstract Builder setNumericScaling(NumericScaling scaling);

    abstract PreprocessingOptions build();
  }
}
