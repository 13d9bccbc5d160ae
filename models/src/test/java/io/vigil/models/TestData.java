package io.vigil.models;

import java.util.SplittableRandom;

/** Small generated data and configurations for fast tests. */
final class TestData {
    private TestData() {}

    /** Rows of a few one-hot blocks plus numeric columns in [0, 1], like the preprocessed clinical data. */
    static FeatureMatrix clinicalLike(int rows, long seed) {
        int numeric = 4;
        int[] categories = {3, 4, 5};
        int cols = numeric + 3 + 4 + 5;
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int offset = r * cols;
            for (int c = 0; c < numeric; c++) {
                values[offset + c] = (float) Math.min(1, Math.abs(0.3 + 0.15 * random.nextGaussian()));
            }
            int start = numeric;
            for (int size : categories) {
                values[offset + start + random.nextInt(size)] = 1f;
                start += size;
            }
        }
        return new FeatureMatrix(rows, cols, values);
    }

    /** The recommended configuration shrunk so that a few epochs take a second or two. */
    static WganGpConfig tiny(Engine engine) {
        return WganGpConfig.recommended().toBuilder()
                .attentionDimAndHeads(8, 2)
                .criticHidden(16)
                .minibatchFeatures(4)
                .minibatchKernel(3)
                .batchSize(16)
                .epochs(3)
                .referenceRows(40)
                .engine(engine)
                .device(DeviceChoice.CPU)
                .build();
    }
}
