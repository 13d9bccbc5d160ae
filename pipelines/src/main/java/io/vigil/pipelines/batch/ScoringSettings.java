package io.vigil.pipelines.batch;

import io.vigil.models.DeviceChoice;
import io.vigil.transforms.threshold.ThresholdRule;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a scoring run does.
 *
 * @param input the CSV to score, in the layout the model was trained on
 * @param bundleDirectory the model bundle written by a training run
 * @param outputDirectory where results, summary and report go
 * @param testSplitOnly score only the rows the training run's split put in the test set (same seed and sample)
 * @param sample the notebook sample to apply first; empty: the training run's sample when scoring its test split,
 *     none otherwise
 * @param thresholdRule another rule than the bundle's, applied to the bundle's saved validation scores
 * @param batchSize records scored together
 * @param device where the critic runs
 * @param projectionPoints records, at most, in the report's PCA projections
 */
public record ScoringSettings(String input, Path bundleDirectory, Path outputDirectory, boolean testSplitOnly,
    OptionalInt sample, Optional<ThresholdRule> thresholdRule, int batchSize, DeviceChoice device,
    int projectionPoints) {}
