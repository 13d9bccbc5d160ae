package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.random.RandomGenerator;

/**
 * The notebook's generator: noise (B, L) → Linear(L → D·E) → ReLU → reshape (B, D, E) → multi-head self-attention
 * (E dims, H heads, no dropout; torch's packed q/k/v in-projection and out-projection) → Linear(E → 1) →
 * BatchNorm1d over the D features (batch statistics in training, running statistics otherwise).
 */
final class GeneratorBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float BATCH_NORM_EPS = 1e-5f;
    private static final float BATCH_NORM_MOMENTUM = 0.1f;

    private final int width;
    private final int embed;
    private final int heads;
    private final Parameter initialWeight;
    private final Parameter initialBias;
    private final Parameter inProjWeight;
    private final Parameter inProjBias;
    private final Parameter outProjWeight;
    private final Parameter outProjBias;
    private final Parameter finalWeight;
    private final Parameter finalBias;
    private final Parameter bnGamma;
    private final Parameter bnBeta;
    private final Parameter bnRunningMean;
    private final Parameter bnRunningVar;

    GeneratorBlock(int width, WganGpConfig config, RandomGenerator random) {
        super(VERSION);
        this.width = width;
        this.embed = config.attentionDim();
        this.heads = config.attentionHeads();
        int latent = config.latentDim();
        Initializer initial = SeededInitializer.linearDefault(random, latent);
        initialWeight = addParameter(weight("initial_weight", new Shape((long) width * embed, latent), initial));
        initialBias = addParameter(weight("initial_bias", new Shape((long) width * embed), initial));
        inProjWeight = addParameter(weight("in_proj_weight", new Shape(3L * embed, embed),
                SeededInitializer.xavierUniform(random, embed, 3L * embed)));
        inProjBias = addParameter(weight("in_proj_bias", new Shape(3L * embed), Initializer.ZEROS));
        outProjWeight = addParameter(weight("out_proj_weight", new Shape(embed, embed),
                SeededInitializer.linearDefault(random, embed)));
        outProjBias = addParameter(weight("out_proj_bias", new Shape(embed), Initializer.ZEROS));
        Initializer fin = SeededInitializer.linearDefault(random, embed);
        finalWeight = addParameter(weight("final_weight", new Shape(1, embed), fin));
        finalBias = addParameter(weight("final_bias", new Shape(1), fin));
        bnGamma = addParameter(weight("bn_gamma", new Shape(width), Initializer.ONES));
        bnBeta = addParameter(weight("bn_beta", new Shape(width), Initializer.ZEROS));
        bnRunningMean = addParameter(Parameter.builder().setName("bn_running_mean")
                .setType(Parameter.Type.RUNNING_MEAN).optShape(new Shape(width)).optRequiresGrad(false).build());
        bnRunningVar = addParameter(Parameter.builder().setName("bn_running_var")
                .setType(Parameter.Type.RUNNING_VAR).optShape(new Shape(width)).optRequiresGrad(false).build());
    }

    private static Parameter weight(String name, Shape shape, Initializer initializer) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(initializer).build();
    }

    /** Generated rows (B, D) from noise (B, L). In training, BatchNorm uses and records batch statistics. */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        long batch = z.getShape().get(0);
        long headDim = embed / heads;
        NDArray hidden = z.matMul(initialWeight.getArray().transpose()).add(initialBias.getArray())
                .maximum(0)
                .reshape(batch * width, embed);
        // (B·D, 3E) → (3, B·H, D, E/H): torch's packing, q then k then v, each split into heads head-major.
        NDArray qkv = hidden.matMul(inProjWeight.getArray().transpose()).add(inProjBias.getArray())
                .reshape(batch, width, 3, heads, headDim)
                .transpose(2, 0, 3, 1, 4)
                .reshape(3, batch * heads, width, headDim);
        NDArray q = qkv.get(0).mul(1.0 / Math.sqrt(headDim));
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        // The (B·H, D, D) scores and weights are the largest arrays of a step (300 MB each at D = 1540, B = 32).
        // Closing a handle once its value is consumed frees it early; autograd keeps its own reference where the
        // backward pass needs one (the softmax output), so this is safe in training too.
        NDArray scores = q.matMul(k.transpose(0, 2, 1));
        NDArray attention = scores.softmax(2);
        scores.close();
        NDArray weighted = attention.matMul(v);
        attention.close();
        NDArray attended = weighted
                .reshape(batch, heads, width, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(batch * width, embed)
                .matMul(outProjWeight.getArray().transpose()).add(outProjBias.getArray());
        NDArray perFeature = attended.matMul(finalWeight.getArray().transpose()).add(finalBias.getArray())
                .reshape(batch, width);
        return new NDList(batchNorm(perFeature, training));
    }

    private NDArray batchNorm(NDArray x, boolean training) {
        NDArray mean;
        NDArray variance;
        if (training) {
            mean = x.mean(new int[] {0});
            variance = x.sub(mean).square().mean(new int[] {0});
            long n = x.getShape().get(0);
            NDArray runningMean = bnRunningMean.getArray();
            NDArray runningVar = bnRunningVar.getArray();
            runningMean.muli(1 - BATCH_NORM_MOMENTUM).addi(mean.stopGradient().mul(BATCH_NORM_MOMENTUM));
            runningVar.muli(1 - BATCH_NORM_MOMENTUM)
                    .addi(variance.stopGradient().mul(BATCH_NORM_MOMENTUM * n / (double) (n - 1)));
        } else {
            mean = bnRunningMean.getArray();
            variance = bnRunningVar.getArray();
        }
        return x.sub(mean).div(variance.add(BATCH_NORM_EPS).sqrt()).mul(bnGamma.getArray()).add(bnBeta.getArray());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }
}
