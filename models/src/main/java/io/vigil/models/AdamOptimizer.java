package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * torch's Adam (no weight decay, no amsgrad): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * p ← p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε). DJL's Adam folds the bias corrections into the learning rate,
 * which moves ε; this keeps torch's arithmetic. The moments live next to the parameters and are updated in place.
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

    /** One update from the parameters' current gradients. */
    void step() {
        step++;
        // StrictMath: Math.pow may round differently once JIT-compiled, which made the first run in a JVM differ
        double correction1 = 1 - StrictMath.pow(beta1, step);
        double correction2 = 1 - StrictMath.pow(beta2, step);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            NDArray grad = weight.getGradient();
            NDArray m = firstMoments.get(i).muli(beta1).addi(grad.mul(1 - beta1));
            NDArray v = secondMoments.get(i).muli(beta2).addi(grad.square().muli(1 - beta2));
            NDArray denominator = v.div(correction2).sqrt().addi(EPSILON);
            weight.subi(m.mul(learningRate / correction1).divi(denominator));
        }
    }
}
