package io.vigil.pipelines.batch;

import io.vigil.models.WganGpConfig;
import io.vigil.transforms.preprocess.PreprocessingOptions;

/** Named settings of the model and the preprocessing together. */
public enum Preset {
  /**
   * The seed notebook exactly: its network and training, its preprocessing (drop &gt; 90% missing, no vocabulary caps)
   * fitted on all rows before the split as the notebook does.
   */
  SEED(WganGpConfig.seed(), PreprocessingOptions.seed(), true),
  /**
   * The notebook with its defects fixed, sized to train on the full data on 2 CPU cores: the model's recommended
   * configuration (non-saturating minibatch discrimination, records scored by their standardised distance in the
   * critic's first hidden layer), numeric columns scaled by min/max or, where extreme values squeeze their bulk,
   * by their quantiles ({@code NumericScaling.AUTO}), each categorical column capped at its
   * {@value #RECOMMENDED_TOP_K} most frequent levels (seen at least 10 times) plus an OOV feature,
   * {@value #RECOMMENDED_EPOCHS} epochs, and the preprocessing fitted on the training split only, so validation
   * and test rows do not leak into min/max and vocabularies. The cap takes the full data's width from about 1,390
   * to 238 (the three ICD-9 diagnosis columns made most of it), which makes a training step about 35 times cheaper
   * because the generator's self-attention over the feature tokens is quadratic in the width. The notebook's batch
   * of 32 is kept: a larger one is not cheaper per row (minibatch discrimination compares every pair in a batch)
   * and gives fewer updates per epoch.
   */
  RECOMMENDED(WganGpConfig.recommended().toBuilder().epochs(Preset.RECOMMENDED_EPOCHS).build(),
      PreprocessingOptions.recommended().withTopK(Preset.RECOMMENDED_TOP_K)
          .withNumericScaling(PreprocessingOptions.NumericScaling.AUTO), false);

  /** Levels kept per categorical column by {@link #RECOMMENDED}. */
  public static final int RECOMMENDED_TOP_K = 20;
  /** Training epochs of {@link #RECOMMENDED}: on the full data's 71,256 training rows, about 6,700 steps of batch 32. */
  public static final int RECOMMENDED_EPOCHS = 3;

  private final WganGpConfig model;
  private final PreprocessingOptions preprocessing;
  private final boolean fitPreprocessingOnAllRows;

  Preset(WganGpConfig model, PreprocessingOptions preprocessing, boolean fitPreprocessingOnAllRows) {
    this.model = model;
    this.preprocessing = preprocessing;
    this.fitPreprocessingOnAllRows = fitPreprocessingOnAllRows;
  }

  public WganGpConfig model() {
    return model;
  }

  public PreprocessingOptions preprocessing() {
    return preprocessing;
  }

  public boolean fitPreprocessingOnAllRows() {
    return fitPreprocessingOnAllRows;
  }
}
