package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * torch's Adam (no weight decay, no amsgrad): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * p ← p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε). DJL's Adam optimizer folds the bias corrections into the
 * learning rate, which moves ε; this rescales ε to match. The moments live next to the parameters, updated in place.
 */
final class AdamOptimizer {
    private static final double EPSILON = 1e-8;

    private final List<Parameter> parameters;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private int step;

    AdamOptimizer(List<Parameter> parameters, NDManager manager, double learningRate, double beta1, double beta2) {
        this.parameters = List.copyOf(parameters);
        for (Parameter p : this.parameters) {
            NDArray array = p.getArray();
            firstMoments.add(manager.zeros(array.getShape(), array.getDataType()));
            secondMoments.add(manager.zeros(array.getShape(), array.getDataType()));
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    /** Arrays that one iteration's scope must temporarily own so that temporaries derived from them are freed. */
    List<NDResource> state() {
        List<NDResource> state = new ArrayList<>(firstMoments);
        state.addAll(secondMoments);
        return state;
    }

    /**
     * One update from the parameters' current gradients, with the engine's fused Adam operation (one call per tensor
     * instead of about ten). The fused operation computes p ← p − lr' · m / (√v + ε'); with
     * lr' = lr · √(1−β2ᵗ) / (1−β1ᵗ) and ε' = ε · √(1−β2ᵗ) that is exactly torch's p − lr · m̂ / (√v̂ + ε).
     */
    void step() {
        step++;
        // StrictMath: Math.pow may round differently once JIT-compiled, which made the first run in a JVM differ
        double correction1 = 1 - StrictMath.pow(beta1, step);
        double rootCorrection2 = StrictMath.sqrt(1 - StrictMath.pow(beta2, step));
        float fusedLearningRate = (float) (learningRate * rootCorrection2 / correction1);
        float fusedEpsilon = (float) (EPSILON * rootCorrection2);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            NDArray m = firstMoments.get(i);
            NDArray v = secondMoments.get(i);
            // no weight decay, gradient rescale 1, no clipping (negative), plain Adam
            weight.getNDArrayInternal().adamUpdate(
                    new NDList(weight, weight.getGradient(), m, v), new NDList(weight),
                    (float) learningRate, fusedLearningRate, 0f, 1f, -1f, (float) beta1, (float) beta2,
                    fusedEpsilon, false, false);
        }
    }
}
