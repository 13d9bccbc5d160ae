package io.vigil.models;

/**
 * What {@link CriticScorer} reads from the critic. In every mode a higher score means more like the training data.
 *
 * <p>{@code CRITIC} is the critic's output (the notebook's rule: low = anomalous). The WGAN's critic only has to
 * separate real rows from the generator's current ones, so its output swings between training seeds and can even
 * rank anomalies as normal when the generator happens to produce them (ADBench mammography: AUCROC 58 on one seed,
 * 9 on the next). {@code FEATURE_DISTANCE} keeps the critic's trunk, the features it learnt to tell real rows by,
 * and scores a row by minus its Mahalanobis distance, in the LayerNorm-ed second hidden layer (the input of the
 * minibatch and output layers), to a Gaussian fitted on the bundle's reference rows. The covariance is shrunk
 * towards its mean variance, Σ + (tr Σ / H)·I, because 256 reference rows do not fix a 128-dimensional covariance;
 * with less shrinkage (1e-3, 1e-2, 0.1 · tr Σ / H) the ranking was worse on the ADBench sets.
 *
 * <p>{@code FEATURE_STANDARDISED} reads the same features but scores by minus the root of the sum of their squared
 * standardised deviations from the reference rows' means (a Gaussian with a diagonal covariance). The full
 * covariance discounts directions along which the features vary together, and a record that is extreme in many
 * correlated features at once (large cells in every breast-cancer measurement, a set of thyroid hormones all off)
 * moves along exactly such a direction; the diagonal keeps that movement. On the ADBench medical sets it ranked
 * anomalies better than the Mahalanobis form (the evaluation's table says by how much).
 *
 * <p>{@code FIRST_LAYER_STANDARDISED} is the same diagonal distance one layer down, in the first hidden layer's
 * pre-activations W₁x / σ₁ + b₁ (256 wide, before LeakyReLU and LayerNorm), again fitted on the reference rows. That
 * layer is a linear view of the row, wider than the row, whose standardised coordinates weigh each direction the
 * critic looks along by how much the data vary along it. LayerNorm rescales each row by its own spread, which likely
 * hides part of how far out an extreme row is (the LayerNorm-ed first layer ranked below its pre-activations). It
 * ranked the ADBench medical sets best of the four modes. The evaluation's controls say why, and the limit of it: a
 * random linear map of the same width, in place of the learnt W₁, ranks them as well, so the gain comes from the
 * geometry of the view, not from what the critic learnt.
 */
public enum CriticScoring {
    CRITIC,
    FEATURE_DISTANCE,
    FEATURE_STANDARDISED,
    FIRST_LAYER_STANDARDISED;

    /** Whether the score is a distance in the critic's hidden features (not the critic's output). */
    public boolean readsFeatures() {
        return this != CRITIC;
    }

    /** Whether that distance reads the first hidden layer's pre-activations (else the second layer's features). */
    public boolean readsFirstLayer() {
        return this == FIRST_LAYER_STANDARDISED;
    }

    /** Whether that distance uses a diagonal covariance (else the full, shrunk one). */
    public boolean diagonal() {
        return this == FEATURE_STANDARDISED || this == FIRST_LAYER_STANDARDISED;
    }
}
