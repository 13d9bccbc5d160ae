package io.vigil.models;

/**
 * Progress after one epoch. Losses are means over the epoch's batches of the last critic update's loss, the
 * generator loss and the gradient penalty (unweighted).
 */
public record EpochProgress(
        int epoch,
        int epochs,
        double criticLoss,
        double generatorLoss,
        double gradientPenalty,
        long elapsedMillis,
        long estimatedRemainingMillis) {}
