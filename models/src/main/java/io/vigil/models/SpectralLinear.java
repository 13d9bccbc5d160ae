package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The parameters of a spectral-normalised linear layer as torch's {@code nn.utils.spectral_norm} keeps them: the
 * raw weight (out × in), the bias, and the persistent power-iteration vectors u (out) and v (in), which are state,
 * not trained. The effective weight is W / σ with σ = uᵀWv, differentiable through W only.
 */
final class SpectralLinear {
    private static final double NORMALIZE_EPS = 1e-12;

    final Parameter weight;
    final Parameter bias;
    final Parameter u;
    final Parameter v;

    SpectralLinear(String name, int in, int out, RandomGenerator random) {
        Initializer linear = SeededInitializer.linearDefault(random, in);
        weight = Parameter.builder().setName(name + "_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optInitializer(linear).build();
        bias = Parameter.builder().setName(name + "_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(linear).build();
        u = Parameter.builder().setName(name + "_u").setType(Parameter.Type.OTHER)
                .optShape(new Shape(out)).optInitializer(SeededInitializer.unitNormal(random))
                .optRequiresGrad(false).build();
        v = Parameter.builder().setName(name + "_v").setType(Parameter.Type.OTHER)
                .optShape(new Shape(in)).optInitializer(SeededInitializer.unitNormal(random))
                .optRequiresGrad(false).build();
    }

    List<Parameter> parameters() {
        return List.of(weight, bias, u, v);
    }

    /**
     * One power iteration, as torch runs before every training forward: v ← normalize(Wᵀu), u ← normalize(Wv),
     * on a detached W so no gradient flows through the update; u and v are overwritten in place.
     */
    void powerIterate() {
        NDArray w = weight.getArray().stopGradient();
        NDArray uArray = u.getArray();
        NDArray vArray = v.getArray();
        NDArray newV = normalize(w.transpose().matMul(uArray.expandDims(1)).squeeze(1));
        NDArray newU = normalize(w.matMul(newV.expandDims(1)).squeeze(1));
        vArray.muli(0).addi(newV);
        uArray.muli(0).addi(newU);
    }

    /**
     * σ = uᵀWv as a (1, 1) array, differentiable through W. u and v are copied (as torch clones them) because the
     * backward pass needs their values of this forward, and later power iterations overwrite them in place.
     */
    NDArray sigma() {
        NDArray w = weight.getArray();
        return u.getArray().duplicate().expandDims(0).matMul(w.matMul(v.getArray().duplicate().expandDims(1)));
    }

    private static NDArray normalize(NDArray x) {
        return x.div(x.norm().maximum(NORMALIZE_EPS));
    }
}
