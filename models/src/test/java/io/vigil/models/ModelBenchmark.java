package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the figures the seed notebook's reference script prints, for the same shapes: seconds per training step
 * (criticSteps critic updates + 1 generator update), critic scoring rows per second, peak resident memory; and,
 * on request, resident memory along a long run (to show it flat) and the minibatch-discrimination statistics that
 * tell the seed's saturated initialisation from the scaled one. Data: generated rows shaped like the preprocessed
 * clinical data (16 numeric columns, the rest one-hot blocks), 6999 training rows and 3001 rows to score, as the
 * notebook's split. Usage in models/README.md.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {}

    public static void main(String[] args) throws IOException {
        int width = 1540;
        int steps = 10;
        int rssEvery = 0;
        boolean minibatchStats = false;
        WganGpConfig.Builder config = WganGpConfig.seed().toBuilder().device(DeviceChoice.AUTO);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--width" -> width = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--batch" -> config.batchSize(Integer.parseInt(args[++i]));
                case "--rss-every" -> rssEvery = Integer.parseInt(args[++i]);
                case "--engine" -> config.engine(Engine.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                case "--device" -> config.device(DeviceChoice.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                case "--init" -> config.minibatchInit(MinibatchInit.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                case "--minibatch-stats" -> minibatchStats = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --width N "
                        + "--steps N --batch N --rss-every N --engine pytorch|mxnet --device auto|cpu|gpu "
                        + "--init seed_normal|scaled --minibatch-stats");
            }
        }
        WganGpConfig cfg = config.build();
        FeatureMatrix train = clinicalShaped(6999, width, 1);
        FeatureMatrix toScore = clinicalShaped(3001, width, 2);
        System.out.printf(Locale.ROOT, "engine=%s width=%d init=%s steps=%d%n",
                cfg.engine(), width, cfg.minibatchInit(), steps);

        List<Double> stepSeconds = new ArrayList<>();
        ModelBundle bundle;
        try (TrainingRun run = new TrainingRun(cfg, width, DataType.FLOAT32)) {
            int batch = cfg.batchSize();
            int[] order = new int[train.rows()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            float[] values = new float[batch * width];
            int from = 0;
            for (int s = 1; s <= steps; s++) {
                if (from + batch > train.rows()) {
                    from = 0;
                }
                long start = System.nanoTime();
                train.gatherRows(order, from, batch, values);
                run.step(values, batch);
                stepSeconds.add((System.nanoTime() - start) / 1e9);
                from += batch;
                if (rssEvery > 0 && s % rssEvery == 0) {
                    System.out.printf(Locale.ROOT, "step %d rss_mb=%.1f java_heap_committed_mb=%.1f%n", s,
                            status("VmRSS") / 1024.0, Runtime.getRuntime().totalMemory() / 1048576.0);
                }
            }
            if (minibatchStats) {
                printMinibatchStats(run, train, batch);
            }
            bundle = ModelBundle.create(cfg, width, new TrainingMetrics(List.of(), List.of(), List.of()),
                    run.criticParameters(), run.generatorParameters(), clinicalShaped(cfg.referenceRows(), width, 3));
        }
        double total = stepSeconds.stream().mapToDouble(Double::doubleValue).sum();
        double steady = steps > 1 ? (total - stepSeconds.get(0)) / (steps - 1) : total;
        System.out.printf(Locale.ROOT, "s_per_step=%.4f (first %.3f, then %.4f)%n",
                total / steps, stepSeconds.get(0), steady);

        try (CriticScorer scorer = CriticScorer.open(bundle, cfg.device())) {
            scorer.score(clinicalShaped(CriticScorer.BLOCK_ROWS, width, 4));
            long start = System.nanoTime();
            scorer.score(toScore);
            double scoreSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            scorer.explain(toScore);
            double explainSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "score_rows_per_s=%.0f explain_rows_per_s=%.0f%n",
                    toScore.rows() / scoreSeconds, toScore.rows() / explainSeconds);
        }
        System.out.printf(Locale.ROOT, "peak_rss_mb=%.1f%n", status("VmHWM") / 1024.0);
    }

    /**
     * On one batch of training rows: the mean minibatch feature o (Σ over the other rows of exp(−L1)), the mean
     * exp(−L1) between two different rows, and the norm of the gradient of the mean critic score with respect to T.
     */
    private static void printMinibatchStats(TrainingRun run, FeatureMatrix train, int batch) {
        CriticBlock critic = run.critic();
        NDManager manager = run.manager();
        float[] values = new float[batch * train.cols()];
        train.copyRows(0, batch, values);
        NDArray x = manager.create(values, new Shape(batch, train.cols()));
        Parameter t = critic.getParameters().get("minibatch_T");
        double meanFeature;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            CriticBlock.Weights w = critic.weights();
            CriticBlock.Trunk trunk = critic.trunk(w, x);
            meanFeature = critic.minibatchFeatures(trunk, CriticBlock.Comparison.withinBatch(trunk))
                    .mean().getFloat();
            collector.backward(critic.scores(w, trunk, CriticBlock.Comparison.withinBatch(trunk)).mean());
        }
        double gradNorm = t.getArray().getGradient().norm().getFloat();
        System.out.printf(Locale.ROOT,
                "minibatch: mean_feature=%.6g mean_exp_neg_l1=%.6g T_grad_norm=%.6g%n",
                meanFeature, meanFeature / (batch - 1), gradNorm);
    }

    /** 16 numeric columns in [0, 1], then one-hot blocks of sizes cycling 2..12 up to {@code width}. */
    static FeatureMatrix clinicalShaped(int rows, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int numeric = Math.min(16, width);
        List<int[]> blocks = new ArrayList<>();
        int start = numeric;
        int size = 2;
        while (start < width) {
            int take = Math.min(size, width - start);
            blocks.add(new int[] {start, take});
            start += take;
            size = size % 12 + 2;
        }
        float[] values = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            int offset = r * width;
            for (int c = 0; c < numeric; c++) {
                values[offset + c] = (float) random.nextDouble();
            }
            for (int[] block : blocks) {
                values[offset + block[0] + random.nextInt(block[1])] = 1f;
            }
        }
        return new FeatureMatrix(rows, width, values);
    }

    /** A kB figure from /proc/self/status (VmRSS: resident now, VmHWM: peak resident). */
    static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
