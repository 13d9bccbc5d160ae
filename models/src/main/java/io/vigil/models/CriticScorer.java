package io.vigil.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Scores rows with a bundle's critic, deterministically and independently of which rows are scored together.
 *
 * <p>The notebook's minibatch discrimination compares each row with the rest of its batch, so a score depended on
 * the batch. Here each row's minibatch features compare it with the bundle's fixed reference rows instead:
 * o_f = (batchSize − 1) / R · Σ_r exp(−‖M_f(x) − M_f(ref_r)‖₁), the same magnitude as training's sum over the
 * batchSize − 1 other rows. The spectral norms use the stored u and v (evaluation mode). Rows are processed in
 * zero-padded blocks of a fixed size, so every row goes through arithmetic of the same shapes however many rows a
 * call has: scores are bit-identical alone, in any batch, and after a reload.
 *
 * <p>With a feature scoring ({@link CriticScoring#readsFeatures()}; the bundle's configuration says which) the score
 * is instead minus the distance of the row's hidden features (second layer, or the first layer's pre-activations) to
 * a Gaussian fitted, when the scorer opens, on the reference rows' features (full shrunk covariance, or diagonal); the
 * reference rows are the same fixed set, so the same guarantees hold.
 *
 * <p>Thread-safe: calls are serialised (each uses the engine's intra-op threads).
 */
public final class CriticScorer implements AutoCloseable {
    /** Rows per block; a multiple of the usual GEMM row tiles (4, 6, 8, 16). */
    static final int BLOCK_ROWS = 48;

    private final NDManager manager;
    private final CriticBlock critic;
    private final CriticBlock.Weights weights;
    private final CriticBlock.Comparison comparison;
    /** The reference features' Gaussian when the score is a feature distance, null for the critic's output. */
    private final FeatureGaussian gaussian;
    private final CriticScoring scoring;
    private final NDResource[] sharedArrays;
    private final int width;
    private final ReentrantLock lock = new ReentrantLock();

    private CriticScorer(ModelBundle bundle, DeviceChoice device) {
        WganGpConfig config = bundle.config();
        ai.djl.engine.Engine engine = Devices.engine(config.engine());
        this.width = bundle.inputWidth();
        this.manager = engine.newBaseManager(Devices.select(engine, device));
        try {
            // The initialisers are never run: the parameters come from the bundle.
            this.critic = new CriticBlock(width, config, new SplittableRandom(0));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bundle.criticParameters()))) {
                critic.loadParameters(manager, in);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new ModelBundleException("the bundle's critic parameters do not fit a critic of width " + width
                        + " and this configuration: " + e.getMessage(), e);
            }
            this.weights = critic.weights();
            FeatureMatrix reference = bundle.reference();
            NDArray referenceRows = manager.create(reference.data(), new Shape(reference.rows(), width));
            CriticBlock.Trunk referenceTrunk = critic.trunk(weights, referenceRows);
            NDArray referenceProjection = referenceTrunk.projection();
            float scale = (config.batchSize() - 1) / (float) reference.rows();
            this.comparison = CriticBlock.Comparison.reference(referenceProjection, scale);
            this.scoring = config.scoring();
            this.gaussian = scoring.readsFeatures()
                    ? FeatureGaussian.fit(manager, scoredFeatures(referenceTrunk), scoring.diagonal())
                    : null;
            List<NDResource> shared = new ArrayList<>(List.of(
                    weights.w1(), weights.b1(), weights.sigma1(), weights.gamma1(), weights.beta1(),
                    weights.w2(), weights.b2(), weights.sigma2(), weights.gamma2(), weights.beta2(),
                    weights.tFlat(), weights.w3(), weights.b3(), weights.sigma3(), referenceProjection));
            if (gaussian != null) {
                shared.add(gaussian.mean());
                shared.add(gaussian.precision());
            }
            this.sharedArrays = shared.toArray(NDResource[]::new);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Opens the bundle's critic on the chosen device (with the bundle's engine). */
    public static CriticScorer open(ModelBundle bundle, DeviceChoice device) {
        return new CriticScorer(Objects.requireNonNull(bundle, "bundle"), Objects.requireNonNull(device, "device"));
    }

    /** One score per row; higher means more like the training data. */
    public float[] score(FeatureMatrix x) {
        return run(x, null);
    }

    /** Scores and, per row and feature, ∂score/∂x · x. */
    public Attribution explain(FeatureMatrix x) {
        float[] attribution = new float[x.rows() * x.cols()];
        return new Attribution(x.rows(), x.cols(), run(x, attribution), attribution);
    }

    /** Scores the rows; fills {@code attribution} (rows × width) with gradient × input unless it is null. */
    private float[] run(FeatureMatrix x, float[] attribution) {
        if (x.cols() != width) {
            throw new IllegalArgumentException("rows have " + x.cols() + " features, the model takes " + width);
        }
        float[] scores = new float[x.rows()];
        float[] block = new float[BLOCK_ROWS * width];
        lock.lock();
        try {
            for (int first = 0; first < x.rows(); first += BLOCK_ROWS) {
                int count = Math.min(BLOCK_ROWS, x.rows() - first);
                java.util.Arrays.fill(block, count * width, block.length, 0f);
                x.copyRows(first, count, block);
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(sharedArrays);
                    NDArray rows = scope.create(block, new Shape(BLOCK_ROWS, width));
                    CriticBlock.Trunk trunk = critic.trunk(weights, rows);
                    NDArray features = gaussian == null ? null : scoredFeatures(trunk);
                    float[] blockScores = gaussian == null
                            ? critic.scores(weights, trunk, comparison).toFloatArray()
                            : gaussian.distance(features).neg().toFloatArray();
                    System.arraycopy(blockScores, 0, scores, first, count);
                    if (attribution != null) {
                        NDArray gradient = gaussian == null
                                ? critic.inputGradient(weights, trunk, comparison)
                                : inputGradientFromScoredFeatures(trunk,
                                        gaussian.distanceGradient(features).neg());
                        float[] product = gradient.mul(rows).toFloatArray();
                        System.arraycopy(product, 0, attribution, first * width, count * width);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return scores;
    }

    /** The hidden features a feature distance reads: the first layer's pre-activations or the second layer's. */
    private NDArray scoredFeatures(CriticBlock.Trunk trunk) {
        return scoring.readsFirstLayer() ? trunk.a1() : trunk.n2();
    }

    private NDArray inputGradientFromScoredFeatures(CriticBlock.Trunk trunk, NDArray featureGradient) {
        return scoring.readsFirstLayer()
                ? critic.inputGradientFromFirstLayer(weights, featureGradient)
                : critic.inputGradientFromFeatures(weights, trunk, featureGradient);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            manager.close();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The reference rows' features' Gaussian, fitted in double precision: N(mean, Σ + (tr Σ / H)·I) (see
     * {@link CriticScoring#FEATURE_DISTANCE}) or, {@code diagonal}, N(mean, diag(Σ) + 1e-6 · (tr Σ / H)·I) (see
     * {@link CriticScoring#FEATURE_STANDARDISED}, {@link CriticScoring#FIRST_LAYER_STANDARDISED}; the small floor
     * keeps a feature that is constant on the reference rows from dividing by zero). {@code precision} is the inverse
     * covariance; one distance code serves every form.
     */
    private record FeatureGaussian(NDArray mean, NDArray precision) {
        /** Keeps the distance's gradient finite for a row exactly at the mean. */
        private static final float MIN_DISTANCE = 1e-6f;
        /** The diagonal form's variance floor, relative to the mean variance. */
        private static final double DIAGONAL_FLOOR = 1e-6;

        static FeatureGaussian fit(NDManager manager, NDArray features, boolean diagonal) {
            int rows = (int) features.getShape().get(0);
            int dims = (int) features.getShape().get(1);
            float[] x = features.toFloatArray();
            double[] mean = new double[dims];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < dims; j++) {
                    mean[j] += x[r * dims + j] / (double) rows;
                }
            }
            RealMatrix covariance = new Array2DRowRealMatrix(dims, dims);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < dims; i++) {
                    double di = x[r * dims + i] - mean[i];
                    // the diagonal form needs the variances only
                    for (int j = diagonal ? i : 0; j <= i; j++) {
                        covariance.addToEntry(i, j, di * (x[r * dims + j] - mean[j]) / Math.max(1, rows - 1));
                    }
                }
            }
            double meanVariance = covariance.getTrace() / dims + Double.MIN_NORMAL;
            double shrinkage = diagonal ? DIAGONAL_FLOOR * meanVariance : meanVariance;
            for (int i = 0; i < dims; i++) {
                covariance.addToEntry(i, i, shrinkage);
                for (int j = 0; j < i; j++) {
                    covariance.setEntry(j, i, covariance.getEntry(i, j));
                }
            }
            double[][] inverse = new CholeskyDecomposition(covariance).getSolver().getInverse().getData();
            float[] precision = new float[dims * dims];
            float[] meanRow = new float[dims];
            for (int i = 0; i < dims; i++) {
                meanRow[i] = (float) mean[i];
                for (int j = 0; j < dims; j++) {
                    precision[i * dims + j] = (float) inverse[i][j];
                }
            }
            return new FeatureGaussian(manager.create(meanRow, new Shape(1, dims)),
                    manager.create(precision, new Shape(dims, dims)));
        }

        /** (B): √((f − μ)ᵀ P (f − μ)). */
        NDArray distance(NDArray features) {
            NDArray centred = features.sub(mean);
            return centred.matMul(precision).mul(centred).sum(new int[] {1}).sqrt();
        }

        /** (B, H): ∂distance/∂f = P (f − μ) / distance (P is symmetric). */
        NDArray distanceGradient(NDArray features) {
            NDArray centred = features.sub(mean);
            NDArray distance = centred.matMul(precision).mul(centred).sum(new int[] {1}, true).sqrt()
                    .maximum(MIN_DISTANCE);
            return centred.matMul(precision).div(distance);
        }
    }
}
