package io.vigil.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The networks, optimisers and random streams of one WGAN-GP training run, and its training step: the notebook's
 * per-batch loop. All randomness (initial weights, noise, interpolation weights, shuffling, the reference set) comes
 * from Java generators split off one seed, so a seed gives the same run on every engine and device.
 */
final class TrainingRun implements AutoCloseable {
    private final WganGpConfig config;
    private final int width;
    private final ai.djl.engine.Engine engine;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final GeneratorBlock generator;
    private final CriticBlock critic;
    private final AdamOptimizer generatorOptimizer;
    private final AdamOptimizer criticOptimizer;
    private final NDResource[] persistentArrays;
    private final SplittableRandom noiseRandom;
    final SplittableRandom shuffleRandom;
    final SplittableRandom referenceRandom;

    /** The losses of one training step: the last critic update's loss and penalty, and the generator loss. */
    record StepLosses(double criticLoss, double gradientPenalty, double generatorLoss) {}

    TrainingRun(WganGpConfig config, int width, DataType dataType) {
        this.config = config;
        this.width = width;
        SplittableRandom root = new SplittableRandom(config.randomSeed());
        SplittableRandom initRandom = root.split();
        this.shuffleRandom = root.split();
        this.noiseRandom = root.split();
        this.referenceRandom = root.split();
        this.engine = Devices.engine(config.engine());
        Device device = Devices.select(engine, config.device());
        this.manager = engine.newBaseManager(device);
        this.parameterStore = new ParameterStore(manager, false);
        this.generator = new GeneratorBlock(width, config, initRandom);
        generator.initialize(manager, dataType, new Shape(config.batchSize(), config.latentDim()));
        this.critic = new CriticBlock(width, config, initRandom);
        critic.initialize(manager, dataType, new Shape(config.batchSize(), width));
        this.generatorOptimizer = new AdamOptimizer(trainableParameters(generator), manager,
                config.learningRate(), config.beta1(), config.beta2());
        this.criticOptimizer = new AdamOptimizer(trainableParameters(critic), manager,
                config.learningRate(), config.beta1(), config.beta2());
        List<NDResource> persistent = new ArrayList<>();
        for (AbstractBlock block : List.of(generator, critic)) {
            for (Parameter p : block.getParameters().values()) {
                persistent.add(p.getArray());
            }
        }
        persistent.addAll(generatorOptimizer.state());
        persistent.addAll(criticOptimizer.state());
        this.persistentArrays = persistent.toArray(NDResource[]::new);
    }

    /** The parameters Adam updates: all but state such as spectral-norm vectors and BatchNorm running statistics. */
    static List<Parameter> trainableParameters(AbstractBlock block) {
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                trainable.add(p);
            }
        }
        return trainable;
    }

    CriticBlock critic() {
        return critic;
    }

    NDManager manager() {
        return manager;
    }

    /**
     * One step on one batch (rows × width, row-major): {@code criticSteps} critic updates, each with fresh noise and
     * interpolation weights, d_loss = −mean D(real) + mean D(fake) + λ·GP; then one generator update with fresh noise,
     * g_loss = −mean D(G(z)). Everything the step allocates lives in scopes closed as soon as it is no longer
     * needed: one per update, and one around each generator pass of a critic update, whose attention matrices
     * (B·heads × D × D, 600 MB at D = 1540) would otherwise pile up until the step ends.
     */
    StepLosses step(float[] batch, int rows) {
        try (NDManager scope = manager.newSubManager()) {
            // Temporaries derived from parameters attach to the parameters' manager; lending the parameters to the
            // step's scope makes those temporaries the scope's, so closing the scope frees them.
            scope.tempAttachAll(persistentArrays);
            DataType dataType = critic.dataType();
            NDArray real = scope.create(batch, new Shape(rows, width)).toType(dataType, false);
            double criticLoss = 0;
            double penalty = 0;
            for (int s = 0; s < config.criticSteps(); s++) {
                try (NDManager update = scope.newSubManager()) {
                    NDArray fake = generateDetached(update, rows, dataType);
                    NDArray alpha = update.create(uniform(rows), new Shape(rows, 1)).toType(dataType, false);
                    NDArray interpolated = alpha.mul(real).add(alpha.neg().add(1).mul(fake));
                    NDArray loss;
                    NDArray gp;
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray realScore = criticForward(real);
                        NDArray fakeScore = criticForward(fake);
                        // the notebook's penalty calls the critic in training mode: one more power iteration
                        critic.powerIterate();
                        gp = critic.gradientPenalty(interpolated);
                        loss = fakeScore.mean().sub(realScore.mean())
                                .add(gp.mul((float) config.gradientPenaltyWeight()));
                        collector.backward(loss);
                    }
                    criticOptimizer.step();
                    zeroGradients(critic);
                    criticLoss = scalar(loss);
                    penalty = scalar(gp);
                }
            }
            try (NDManager update = scope.newSubManager()) {
                NDArray generatorLoss;
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray fake = generate(update, rows, dataType);
                    generatorLoss = criticForward(fake).mean().neg();
                    collector.backward(generatorLoss);
                }
                generatorOptimizer.step();
                zeroGradients(generator);
                zeroGradients(critic);
                return new StepLosses(criticLoss, penalty, scalar(generatorLoss));
            }
        }
    }

    private NDArray criticForward(NDArray x) {
        return critic.forward(parameterStore, new NDList(x), true).singletonOrThrow();
    }

    /** G(z) in training mode from fresh noise; the intermediate arrays belong to {@code scope}. */
    private NDArray generate(NDManager scope, int rows, DataType dataType) {
        NDArray z = scope.create(gaussian(rows * config.latentDim()), new Shape(rows, config.latentDim()))
                .toType(dataType, false);
        return generator.forward(parameterStore, new NDList(z), true).singletonOrThrow();
    }

    /** {@link #generate} outside autograd, keeping only the rows: its intermediate arrays are freed at once. */
    private NDArray generateDetached(NDManager scope, int rows, DataType dataType) {
        try (NDManager pass = scope.newSubManager()) {
            NDArray fake = generate(pass, rows, dataType);
            fake.attach(scope);
            return fake;
        }
    }

    private float[] gaussian(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) SeededInitializer.gaussian(noiseRandom);
        }
        return values;
    }

    private float[] uniform(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) noiseRandom.nextDouble();
        }
        return values;
    }

    private static double scalar(NDArray value) {
        return value.toType(DataType.FLOAT64, false).getDouble();
    }

    /** torch accumulates gradients; the next backward must start from zero (as optimizer.zero_grad()). */
    private static void zeroGradients(AbstractBlock block) {
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().getGradient().muli(0);
            }
        }
    }

    byte[] criticParameters() {
        return parameters(critic);
    }

    byte[] generatorParameters() {
        return parameters(generator);
    }

    private static byte[] parameters(AbstractBlock block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
