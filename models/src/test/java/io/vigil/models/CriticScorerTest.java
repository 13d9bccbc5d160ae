package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CriticScorerTest {
    private static FeatureMatrix test;
    private static CriticScorer scorer;

    @BeforeAll
    static void open() {
        FeatureMatrix train = TestData.clinicalLike(40, 3);
        test = TestData.clinicalLike(100, 4);
        ModelBundle bundle = WganGpTrainer.train(TestData.tiny(Engine.PYTORCH).toBuilder().epochs(1).build(), train,
                TrainingListener.NONE);
        scorer = CriticScorer.open(bundle, DeviceChoice.CPU);
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    @Test
    void explanationIsTheScoreGradientTimesTheInput() {
        float[] row = test.row(7);
        Attribution attribution = scorer.explain(new FeatureMatrix(1, row.length, row));
        float step = 1e-2f;
        for (int feature = 0; feature < row.length; feature++) {
            float[] plus = row.clone();
            plus[feature] += step;
            float[] minus = row.clone();
            minus[feature] -= step;
            double slope = (score(plus) - score(minus)) / (2.0 * step);

            assertThat(attribution.gradientTimesInput()[feature])
                    .as("feature %d", feature)
                    .isCloseTo((float) (slope * row[feature]), org.assertj.core.data.Offset.offset(
                            (float) (2e-2 * Math.abs(slope) + 1e-3)));
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialScores() throws Exception {
        float[] expected = scorer.score(test);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> scorer.score(test)));
            }
            for (Future<float[]> result : results) {
                assertThat(result.get()).containsExactly(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void noRowsGiveNoScores() {
        assertThat(scorer.score(new FeatureMatrix(0, test.cols(), new float[0]))).isEmpty();
    }

    private static float score(float[] row) {
        return scorer.score(new FeatureMatrix(1, row.length, row))[0];
    }
}
