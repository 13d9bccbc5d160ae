package io.vigil.pipelines.batch;

import io.vigil.models.WganGpConfig;
import io.vigil.transforms.preprocess.PreprocessingOptions;
import io.vigil.transforms.threshold.ThresholdRule;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * What a training run does.
 *
 * @param input the CSV (plain, .gz, glob, or {@code archive.zip!entry}) in the diabetes layout
 * @param bundleDirectory where the model bundle is written
 * @param model the WGAN-GP configuration (engine, device, epochs and seed included)
 * @param preprocessing how the encoding is fitted
 * @param fitPreprocessingOnAllRows true: fit on every row before the split, as the notebook does; false: on the
 *     training split only, so validation and test rows stay unseen (no leakage of their min/max or vocabulary)
 * @param sample the notebook's {@code df.sample(n, random_state=seed)} before everything else, if present
 * @param seed the seed of the sample and of the 70/15/15 split
 * @param thresholdRule how the threshold is taken from the validation scores
 */
public record TrainingSettings(String input, Path bundleDirectory, WganGpConfig model,
    PreprocessingOptions preprocessing, boolean fitPreprocessingOnAllRows, OptionalInt sample, long seed,
    ThresholdRule thresholdRule) {
  public static final double TRAIN_FRACTION = 0.70;
  public static final double VALIDATION_FRACTION = 0.15;
  public static final double TEST_FRACTION = 0.15;
}
