package io.vigil.models;

/**
 * Initialisation of the minibatch-discrimination tensor T (in × features × kernel).
 *
 * <p>{@code SEED_NORMAL} is the notebook's T ~ N(0, 1): with 128 LayerNorm-ed inputs each projection has a standard
 * deviation near √128 ≈ 11, so the L1 distance over 8 kernel dimensions between two rows is about 8 · 11 · 2/√π ≈ 100
 * and exp(−L1) underflows to 0: the layer adds nothing and gets no gradient. {@code SCALED} draws
 * T ~ N(0, σ²) with σ = 1 / (kernel · √in) so that the projections have standard deviation 1/kernel and the L1
 * distance between two independent rows is about kernel · (√2/kernel) · √(2/π) ≈ 1.1, i.e. exp(−L1) ≈ 0.3: the layer
 * starts in its useful range.
 */
public enum MinibatchInit {
    SEED_NORMAL,
    SCALED
}
