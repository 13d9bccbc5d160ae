package io.vigil.models;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trains the WGAN-GP on a feature matrix and packs the result as a {@link ModelBundle}. */
public final class WganGpTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(WganGpTrainer.class);

    private WganGpTrainer() {}

    /**
     * The notebook's training loop: every epoch the rows are shuffled and cut into batches of {@code batchSize}, the
     * last partial batch kept (as torch's DataLoader); a last batch of a single row is skipped with a warning, because
     * the generator's BatchNorm cannot take a variance of one row (torch fails there).
     */
    public static ModelBundle train(WganGpConfig config, FeatureMatrix train, TrainingListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(listener, "listener");
        if (train.rows() < 2) {
            throw new IllegalArgumentException("training needs at least 2 rows, got " + train.rows());
        }
        int rows = train.rows();
        int width = train.cols();
        int batchSize = config.batchSize();
        if (rows % batchSize == 1) {
            LOG.warn("{} rows in batches of {} leave one row per epoch that BatchNorm cannot use; it is skipped "
                    + "(a different row each epoch, as the rows are reshuffled)", rows, batchSize);
        }
        List<Double> criticLosses = new ArrayList<>();
        List<Double> generatorLosses = new ArrayList<>();
        List<Double> penalties = new ArrayList<>();
        long start = System.nanoTime();
        try (TrainingRun run = new TrainingRun(config, width, DataType.FLOAT32)) {
            if (config.engine() == Engine.PYTORCH) {
                // PyTorch's grad mode is per thread and on by default; DJL turns it off only in the thread that loaded
                // the engine. The optimiser updates parameters in place, which PyTorch refuses with grad mode on, so a
                // second training in another thread (the next Flink task, the next evaluation fit) failed.
                ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            }
            int[] order = identity(rows);
            float[] fullBatch = new float[batchSize * width];
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                shuffle(order, run);
                double criticSum = 0;
                double generatorSum = 0;
                double penaltySum = 0;
                int batches = 0;
                for (int from = 0; from + 1 < rows; from += batchSize) {
                    int count = Math.min(batchSize, rows - from);
                    float[] batch = count == batchSize ? fullBatch : new float[count * width];
                    train.gatherRows(order, from, count, batch);
                    TrainingRun.StepLosses losses = run.step(batch, count);
                    criticSum += losses.criticLoss();
                    generatorSum += losses.generatorLoss();
                    penaltySum += losses.gradientPenalty();
                    batches++;
                }
                criticLosses.add(criticSum / batches);
                generatorLosses.add(generatorSum / batches);
                penalties.add(penaltySum / batches);
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                long remaining = elapsed * (config.epochs() - epoch) / epoch;
                listener.onEpoch(new EpochProgress(epoch, config.epochs(), criticSum / batches,
                        generatorSum / batches, penaltySum / batches, elapsed, remaining));
            }
            FeatureMatrix reference = referenceRows(train, config.referenceRows(), run);
            return ModelBundle.create(config, width,
                    new TrainingMetrics(criticLosses, generatorLosses, penalties),
                    run.criticParameters(), run.generatorParameters(), reference);
        }
    }

    /** A seeded sample without replacement of min(count, rows) training rows, in sample order. */
    private static FeatureMatrix referenceRows(FeatureMatrix train, int count, TrainingRun run) {
        int take = Math.min(count, train.rows());
        int[] order = identity(train.rows());
        for (int i = 0; i < take; i++) {
            int j = i + run.referenceRandom.nextInt(train.rows() - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] values = new float[take * train.cols()];
        train.gatherRows(order, 0, take, values);
        return new FeatureMatrix(take, train.cols(), values);
    }

    private static void shuffle(int[] order, TrainingRun run) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = run.shuffleRandom.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
