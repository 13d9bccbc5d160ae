package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The closed-form critic input gradient against autograd, and the gradient penalty's parameter gradient against
 * central finite differences, in float64 on PyTorch, on a small critic whose minibatch discrimination is not
 * saturated (so its cross terms matter).
 */
class CriticGradientTest {
    private static final int WIDTH = 5;
    private static final int ROWS = 4;

    private NDManager manager;
    private CriticBlock critic;

    @BeforeEach
    void setUp() {
        manager = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager();
        WganGpConfig config = WganGpConfig.recommended().toBuilder()
                .criticHidden(8).minibatchFeatures(3).minibatchKernel(2).build();
        critic = new CriticBlock(WIDTH, config, new SplittableRandom(7));
        critic.initialize(manager, DataType.FLOAT64, new Shape(ROWS, WIDTH));
        // a few power iterations so σ is the real spectral norm, and non-trivial LayerNorm affine parameters
        for (int i = 0; i < 5; i++) {
            critic.powerIterate();
        }
        SplittableRandom random = new SplittableRandom(11);
        for (Parameter p : TrainingRun.trainableParameters(critic)) {
            if (p.getName().startsWith("ln")) {
                p.getArray().addi(manager.create(gaussian(random, p.getArray().size(), 0.3), p.getShape()));
            }
        }
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void closedFormInputGradientWithinBatchEqualsAutograd() {
        NDArray x = rows(13);
        CriticBlock.Weights w = critic.weights();
        CriticBlock.Trunk trunk = critic.trunk(w, x);
        double[] closedForm = critic.inputGradient(w, trunk, CriticBlock.Comparison.withinBatch(trunk))
                .toDoubleArray();

        double[] autograd = autogradInputGradient(x, null);

        assertThat(relativeError(closedForm, autograd)).isLessThan(1e-12);
        // the minibatch cross terms are part of it: without them the gradient is clearly different
        assertThat(minibatchContribution(x)).isGreaterThan(1e-3);
    }

    @Test
    void closedFormInputGradientAgainstReferenceRowsEqualsAutograd() {
        NDArray x = rows(17);
        CriticBlock.Weights w = critic.weights();
        NDArray referenceProjection = critic.trunk(w, rows(19)).projection();
        CriticBlock.Comparison comparison = CriticBlock.Comparison.reference(referenceProjection, 0.75f);
        double[] closedForm = critic.inputGradient(w, critic.trunk(w, x), comparison).toDoubleArray();

        double[] autograd = autogradInputGradient(x, comparison);

        assertThat(relativeError(closedForm, autograd)).isLessThan(1e-12);
    }

    @Test
    void gradientPenaltyParameterGradientMatchesCentralDifferences() {
        NDArray x = rows(23);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(critic.gradientPenalty(x));
        }
        double step = 1e-6;
        java.util.Map<String, double[][]> gradients = new java.util.LinkedHashMap<>();
        double allSquares = 0;
        for (Parameter p : TrainingRun.trainableParameters(critic)) {
            NDArray array = p.getArray();
            // fc3_bias does not enter the penalty at all; PyTorch then has no gradient and DJL gives float32 zeros
            double[] autograd = array.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            double[] values = array.toDoubleArray();
            double[] numeric = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                double original = values[i];
                values[i] = original + step;
                array.set(values);
                double plus = critic.gradientPenalty(x).getDouble();
                values[i] = original - step;
                array.set(values);
                double minus = critic.gradientPenalty(x).getDouble();
                values[i] = original;
                array.set(values);
                numeric[i] = (plus - minus) / (2 * step);
                allSquares += numeric[i] * numeric[i];
            }
            gradients.put(p.getName(), new double[][] {autograd, numeric});
        }
        // Relative to the tensor's own gradient, or to the whole gradient where a tensor's is (nearly) zero: a shift
        // of ln2_beta moves every row's minibatch projection alike, so within a batch it cannot change the penalty.
        double allNorm = Math.sqrt(allSquares);
        assertThat(allNorm).isGreaterThan(1e-3);
        for (java.util.Map.Entry<String, double[][]> g : gradients.entrySet()) {
            double[] autograd = g.getValue()[0];
            double[] numeric = g.getValue()[1];
            double ownNorm = Math.sqrt(java.util.Arrays.stream(numeric).map(v -> v * v).sum());
            double error = relativeError(autograd, numeric) * ownNorm / Math.max(ownNorm, 1e-3 * allNorm);
            assertThat(error).as(g.getKey()).isLessThan(1e-6);
        }
    }

    private double[] autogradInputGradient(NDArray x, CriticBlock.Comparison reference) {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            CriticBlock.Weights w = critic.weights();
            CriticBlock.Trunk trunk = critic.trunk(w, input);
            CriticBlock.Comparison comparison =
                    reference == null ? CriticBlock.Comparison.withinBatch(trunk) : reference;
            collector.backward(critic.scores(w, trunk, comparison).sum());
        }
        return input.getGradient().toDoubleArray();
    }

    /** ‖gradient − gradient with the minibatch term counted once, as if rows did not affect each other‖. */
    private double minibatchContribution(NDArray x) {
        CriticBlock.Weights w = critic.weights();
        CriticBlock.Trunk trunk = critic.trunk(w, x);
        double[] full = critic.inputGradient(w, trunk, CriticBlock.Comparison.withinBatch(trunk)).toDoubleArray();
        double[] oneSided = critic.inputGradient(w, trunk,
                CriticBlock.Comparison.reference(trunk.projection(), 1f)).toDoubleArray();
        return relativeError(oneSided, full);
    }

    private NDArray rows(long seed) {
        return manager.create(gaussian(new SplittableRandom(seed), ROWS * WIDTH, 1.0), new Shape(ROWS, WIDTH));
    }

    private static double[] gaussian(SplittableRandom random, long n, double std) {
        double[] values = new double[(int) n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian() * std;
        }
        return values;
    }

    static double relativeError(double[] actual, double[] expected) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-300);
    }
}
