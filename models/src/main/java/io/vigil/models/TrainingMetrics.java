package io.vigil.models;

import java.util.List;

/** Loss curves of a training run, one value per epoch (see {@link EpochProgress} for what each value is). */
public record TrainingMetrics(List<Double> criticLoss, List<Double> generatorLoss, List<Double> gradientPenalty) {
    public TrainingMetrics {
        criticLoss = List.copyOf(criticLoss);
        generatorLoss = List.copyOf(generatorLoss);
        gradientPenalty = List.copyOf(gradientPenalty);
        if (criticLoss.size() != generatorLoss.size() || criticLoss.size() != gradientPenalty.size()) {
            throw new IllegalArgumentException("loss curves must have one value per epoch each");
        }
    }
}
