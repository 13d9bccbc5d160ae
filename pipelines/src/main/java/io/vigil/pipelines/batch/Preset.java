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
   * The notebook with its defects fixed: the model's recommended configuration (non-saturating minibatch
   * discrimination), vocabulary caps that shrink the one-hot width (faster), and the preprocessing fitted on the
   * training split only, so validation and test rows do not leak into min/max and vocabularies.
   */
  RECOMMENDED(WganGpConfig.recommended(), PreprocessingOptions.recommended(), false);

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
