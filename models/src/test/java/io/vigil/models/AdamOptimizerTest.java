package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fused engine update reproduces torch's Adam formula, step after step, on both engines. */
class AdamOptimizerTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void followsTorchAdam(Engine engine) {
        double lr = 1e-2;
        double beta1 = 0.5;
        double beta2 = 0.9;
        float[] start = {0.5f, -1.0f, 2.0f, 1e-3f};
        float[][] gradients = {{0.1f, -0.2f, 3.0f, 1e-6f}, {-0.3f, 0.0f, 1.0f, 2e-6f}, {0.2f, 0.4f, -2.0f, 0f}};
        try (NDManager manager = Devices.engine(engine).newBaseManager()) {
            Parameter p = Parameter.builder().setName("p").setType(Parameter.Type.WEIGHT)
                    .optArray(manager.create(start)).build();
            p.getArray().setRequiresGradient(true);
            AdamOptimizer adam = new AdamOptimizer(List.of(p), manager, lr, beta1, beta2);
            double[] expected = new double[start.length];
            double[] m = new double[start.length];
            double[] v = new double[start.length];
            for (int i = 0; i < start.length; i++) {
                expected[i] = start[i];
            }
            for (int t = 1; t <= gradients.length; t++) {
                float[] g = gradients[t - 1];
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    // loss = Σ p·g has gradient g
                    NDArray loss = p.getArray().mul(manager.create(g, new Shape(g.length))).sum();
                    collector.backward(loss);
                }
                adam.step();
                p.getArray().getGradient().muli(0);
                for (int i = 0; i < start.length; i++) {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(beta1, t));
                    double vHat = v[i] / (1 - Math.pow(beta2, t));
                    expected[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
                float[] actual = p.getArray().toFloatArray();
                for (int i = 0; i < start.length; i++) {
                    assertThat((double) actual[i]).as("step %d, element %d", t, i)
                            .isCloseTo(expected[i], within(1e-6 * Math.max(1, Math.abs(expected[i]))));
                }
            }
        }
    }
}
