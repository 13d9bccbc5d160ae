package io.vigil.models;

/**
 * Critic scores of some rows and, per row and feature (row-major), the score's input gradient times the input:
 * a first-order attribution of each feature's share in the score.
 */
public record Attribution(int rows, int cols, float[] scores, float[] gradientTimesInput) {
    public Attribution {
        if (scores.length != rows || gradientTimesInput.length != (long) rows * cols) {
            throw new IllegalArgumentException("attribution arrays do not match " + rows + " x " + cols);
        }
    }
}
