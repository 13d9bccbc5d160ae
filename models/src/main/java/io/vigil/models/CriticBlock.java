package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.random.RandomGenerator;

/**
 * The notebook's critic: SN-Linear(D → H) → LeakyReLU(0.2) → LayerNorm → SN-Linear(H → H/2) → LeakyReLU(0.2) →
 * LayerNorm → minibatch discrimination (T: H/2 × F × K) concatenated → SN-Linear(H/2 + F → 1).
 *
 * <p>{@link #forward} is the notebook's batch critic (minibatch discrimination over the batch itself, a power
 * iteration before every training forward). Besides scores, the block gives the input gradient of the summed score
 * in closed form ({@link #inputGradient}): the gradient penalty is built from it with ordinary differentiable array
 * operations, so only first-order autograd is needed (no create-graph, which DJL does not offer and MXNet cannot do).
 * For scoring, the minibatch features of a row are taken against a fixed reference set ({@link Comparison}).
 */
final class CriticBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float LEAKY_SLOPE = 0.2f;
    private static final float LAYER_NORM_EPS = 1e-5f;

    private final int hidden;
    private final int features;
    private final int kernel;
    private final SpectralLinear fc1;
    private final Parameter ln1Gamma;
    private final Parameter ln1Beta;
    private final SpectralLinear fc2;
    private final Parameter ln2Gamma;
    private final Parameter ln2Beta;
    private final Parameter minibatchT;
    private final SpectralLinear fc3;

    CriticBlock(int inputWidth, WganGpConfig config, RandomGenerator random) {
        super(VERSION);
        this.hidden = config.criticHidden();
        this.features = config.minibatchFeatures();
        this.kernel = config.minibatchKernel();
        int half = hidden / 2;
        fc1 = new SpectralLinear("fc1", inputWidth, hidden, random);
        fc1.parameters().forEach(this::addParameter);
        ln1Gamma = addParameter(layerNorm("ln1_gamma", Parameter.Type.GAMMA, hidden));
        ln1Beta = addParameter(layerNorm("ln1_beta", Parameter.Type.BETA, hidden));
        fc2 = new SpectralLinear("fc2", hidden, half, random);
        fc2.parameters().forEach(this::addParameter);
        ln2Gamma = addParameter(layerNorm("ln2_gamma", Parameter.Type.GAMMA, half));
        ln2Beta = addParameter(layerNorm("ln2_beta", Parameter.Type.BETA, half));
        double tStd = config.minibatchInit() == MinibatchInit.SEED_NORMAL
                ? 1.0
                : 1.0 / (kernel * Math.sqrt(half));
        minibatchT = addParameter(Parameter.builder().setName("minibatch_T").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(half, features, kernel))
                .optInitializer(SeededInitializer.normal(random, tStd)).build());
        fc3 = new SpectralLinear("fc3", half + features, 1, random);
        fc3.parameters().forEach(this::addParameter);
    }

    private static Parameter layerNorm(String name, Parameter.Type type, int width) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(width)).build();
    }

    /** One power iteration of every spectral-normalised layer: what torch does before each training forward. */
    void powerIterate() {
        fc1.powerIterate();
        fc2.powerIterate();
        fc3.powerIterate();
    }

    /** The current parameters as arrays, with σ of each spectral layer from the current u and v. */
    Weights weights() {
        return new Weights(
                fc1.weight.getArray(), fc1.bias.getArray(), fc1.sigma(),
                ln1Gamma.getArray(), ln1Beta.getArray(),
                fc2.weight.getArray(), fc2.bias.getArray(), fc2.sigma(),
                ln2Gamma.getArray(), ln2Beta.getArray(),
                minibatchT.getArray().reshape(hidden / 2, (long) features * kernel),
                fc3.weight.getArray(), fc3.bias.getArray(), fc3.sigma());
    }

    /** Scores of a batch as in the notebook: (B, 1). In training, a power iteration runs first. */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training) {
            powerIterate();
        }
        Weights w = weights();
        Trunk trunk = trunk(w, inputs.singletonOrThrow());
        return new NDList(scores(w, trunk, Comparison.withinBatch(trunk)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    /**
     * The effective parameters of one forward pass. {@code w1 w2 w3} are the raw weights and {@code sigma1..3} their
     * spectral norms; the layers use W / σ.
     */
    record Weights(
            NDArray w1, NDArray b1, NDArray sigma1, NDArray gamma1, NDArray beta1,
            NDArray w2, NDArray b2, NDArray sigma2, NDArray gamma2, NDArray beta2,
            NDArray tFlat, NDArray w3, NDArray b3, NDArray sigma3) {}

    /**
     * What the layers before minibatch discrimination produce, kept for the closed-form backward pass; {@code a1} is
     * the first layer's pre-activations W₁x / σ₁ + b₁ (a feature distance may read them).
     */
    record Trunk(
            NDArray x, NDArray a1, NDArray mask1, NDArray xhat1, NDArray std1,
            NDArray mask2, NDArray xhat2, NDArray std2, NDArray n2, NDArray projection) {}

    /**
     * What each row's minibatch features compare against. Within a batch (the notebook, training): every other row
     * of the batch, o = Σ_j exp(−L1) − 1, and a row's input also moves the other rows' features, which doubles the
     * gradient term. Against a reference set (scoring): o = scale · Σ_r exp(−L1) over fixed rows, so a row's score
     * depends on that row alone.
     */
    record Comparison(NDArray others, boolean withinBatch, float scale) {
        static Comparison withinBatch(Trunk trunk) {
            return new Comparison(trunk.projection(), true, 1f);
        }

        static Comparison reference(NDArray referenceProjection, float scale) {
            return new Comparison(referenceProjection, false, scale);
        }
    }

    Trunk trunk(Weights w, NDArray x) {
        NDArray a1 = x.matMul(w.w1().transpose()).div(w.sigma1()).add(w.b1());
        NDArray mask1 = leakyMask(a1);
        NDArray[] ln1 = layerNorm(a1.mul(mask1));
        NDArray n1 = ln1[0].mul(w.gamma1()).add(w.beta1());
        NDArray a2 = n1.matMul(w.w2().transpose()).div(w.sigma2()).add(w.b2());
        NDArray mask2 = leakyMask(a2);
        NDArray[] ln2 = layerNorm(a2.mul(mask2));
        NDArray n2 = ln2[0].mul(w.gamma2()).add(w.beta2());
        NDArray projection = n2.matMul(w.tFlat()).reshape(x.getShape().get(0), features, kernel);
        return new Trunk(x, a1, mask1, ln1[0], ln1[1], mask2, ln2[0], ln2[1], n2, projection);
    }

    /** (B, 1) critic scores. */
    NDArray scores(Weights w, Trunk trunk, Comparison comparison) {
        NDArray minibatch = minibatchFeatures(trunk, comparison);
        return trunk.n2().concat(minibatch, 1).matMul(w.w3().transpose()).div(w.sigma3()).add(w.b3());
    }

    /** (B, F) minibatch-discrimination features. */
    NDArray minibatchFeatures(Trunk trunk, Comparison comparison) {
        NDArray closeness = closeness(pairDifferences(trunk, comparison)).sum(new int[] {1});
        return comparison.withinBatch() ? closeness.sub(1) : closeness.mul(comparison.scale());
    }

    /**
     * The gradient of Σ_i score_i with respect to the input rows, (B, D), written out layer by layer, exactly what
     * autograd would give (LeakyReLU slope 0.2 at 0, as torch).
     */
    NDArray inputGradient(Weights w, Trunk trunk, Comparison comparison) {
        long rows = trunk.x().getShape().get(0);
        int half = hidden / 2;
        NDArray w3 = w.w3().div(w.sigma3());
        NDArray w3Direct = w3.get(":, :" + half);
        NDArray w3Minibatch = w3.get(":, " + half + ":").reshape(1, features, 1);

        // d o_{p,f} / d M_{p,f,k}: −Σ_j c_pjf sign(M_p − M_j)_fk, twice within a batch (M_p also sits in o_j).
        NDArray differences = pairDifferences(trunk, comparison);
        NDArray closeness = closeness(differences);
        float factor = comparison.withinBatch() ? -2f : -comparison.scale();
        NDArray gradProjection = closeness.expandDims(3).mul(differences.sign()).sum(new int[] {1})
                .mul(w3Minibatch).mul(factor);

        NDArray gradN2 = gradProjection.reshape(rows, (long) features * kernel).matMul(w.tFlat().transpose())
                .add(w3Direct);
        return inputGradientFromFeatures(w, trunk, gradN2);
    }

    /**
     * The input gradient, (B, D), of a function of the rows' second-layer features n2 (LayerNorm-ed, after γ and β)
     * given its gradient with respect to them, (B, H/2).
     */
    NDArray inputGradientFromFeatures(Weights w, Trunk trunk, NDArray gradN2) {
        NDArray gradA2 = layerNormBackward(gradN2, w.gamma2(), trunk.xhat2(), trunk.std2()).mul(trunk.mask2());
        NDArray gradN1 = gradA2.matMul(w.w2()).div(w.sigma2());
        NDArray gradA1 = layerNormBackward(gradN1, w.gamma1(), trunk.xhat1(), trunk.std1()).mul(trunk.mask1());
        return inputGradientFromFirstLayer(w, gradA1);
    }

    /** The input gradient, (B, D), of a function of the rows' first-layer pre-activations given its gradient. */
    NDArray inputGradientFromFirstLayer(Weights w, NDArray gradA1) {
        return gradA1.matMul(w.w1()).div(w.sigma1());
    }

    /**
     * GP = mean_i (‖∂(Σ_j D(x̂_j))/∂x̂_i‖ − 1)² with the current u and v (the caller runs the power iteration), built
     * from the closed-form input gradient so that it is differentiable in the parameters with first-order autograd.
     */
    NDArray gradientPenalty(NDArray interpolated) {
        Weights w = weights();
        Trunk trunk = trunk(w, interpolated);
        NDArray gradient = inputGradient(w, trunk, Comparison.withinBatch(trunk));
        return gradient.square().sum(new int[] {1}).sqrt().sub(1).square().mean();
    }

    /** (B, J, F, K): M_p − other_j. */
    private static NDArray pairDifferences(Trunk trunk, Comparison comparison) {
        return trunk.projection().expandDims(1).sub(comparison.others().expandDims(0));
    }

    /** (B, J, F): exp(−Σ_k |M_p − other_j|). */
    private static NDArray closeness(NDArray differences) {
        return differences.abs().sum(new int[] {3}).neg().exp();
    }

    /** 1 where a > 0, else the leaky slope: LeakyReLU(a) = a · mask, and its derivative is the mask. */
    private static NDArray leakyMask(NDArray a) {
        return a.gt(0).toType(a.getDataType(), false).mul(1 - LEAKY_SLOPE).add(LEAKY_SLOPE);
    }

    /** {normalised, std} over the last axis, biased variance as torch's LayerNorm. */
    private static NDArray[] layerNorm(NDArray h) {
        NDArray centred = h.sub(h.mean(new int[] {1}, true));
        NDArray std = centred.square().mean(new int[] {1}, true).add(LAYER_NORM_EPS).sqrt();
        return new NDArray[] {centred.div(std), std};
    }

    /** Input gradient of y = γ·x̂ + β given the output gradient g: (γg − mean(γg) − x̂·mean(γg·x̂)) / std. */
    private static NDArray layerNormBackward(NDArray grad, NDArray gamma, NDArray xhat, NDArray std) {
        NDArray scaled = grad.mul(gamma);
        return scaled.sub(scaled.mean(new int[] {1}, true))
                .sub(xhat.mul(scaled.mul(xhat).mean(new int[] {1}, true)))
                .div(std);
    }

    /** The data type the parameters were initialised with. */
    DataType dataType() {
        return fc1.weight.getArray().getDataType();
    }
}
