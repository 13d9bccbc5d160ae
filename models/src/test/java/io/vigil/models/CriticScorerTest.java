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
    private static CriticScorer featureScorer;
    private static FeatureMatrix train;
    private static ModelBundle featureBundle;
    private static ModelBundle standardisedBundle;
    private static CriticScorer standardisedScorer;
    private static ModelBundle firstLayerBundle;
    private static CriticScorer firstLayerScorer;

    @BeforeAll
    static void open() {
        train = TestData.clinicalLike(40, 3);
        test = TestData.clinicalLike(100, 4);
        ModelBundle bundle = WganGpTrainer.train(TestData.tiny(Engine.PYTORCH).toBuilder().epochs(1)
                .scoring(CriticScoring.CRITIC).build(), train, TrainingListener.NONE);
        scorer = CriticScorer.open(bundle, DeviceChoice.CPU);
        featureBundle = WganGpTrainer.train(TestData.tiny(Engine.PYTORCH).toBuilder().epochs(1)
                .scoring(CriticScoring.FEATURE_DISTANCE).build(), train, TrainingListener.NONE);
        featureScorer = CriticScorer.open(featureBundle, DeviceChoice.CPU);
        standardisedBundle = WganGpTrainer.train(TestData.tiny(Engine.PYTORCH).toBuilder().epochs(1)
                .scoring(CriticScoring.FEATURE_STANDARDISED).build(), train, TrainingListener.NONE);
        standardisedScorer = CriticScorer.open(standardisedBundle, DeviceChoice.CPU);
        firstLayerBundle = WganGpTrainer.train(TestData.tiny(Engine.PYTORCH).toBuilder().epochs(1)
                .scoring(CriticScoring.FIRST_LAYER_STANDARDISED).build(), train, TrainingListener.NONE);
        firstLayerScorer = CriticScorer.open(firstLayerBundle, DeviceChoice.CPU);
    }

    @AfterAll
    static void close() {
        scorer.close();
        featureScorer.close();
        standardisedScorer.close();
        firstLayerScorer.close();
    }

    @Test
    void explanationIsTheScoreGradientTimesTheInput() {
        assertExplanationIsTheScoreGradientTimesTheInput(scorer);
    }

    @Test
    void featureDistanceExplanationIsTheScoreGradientTimesTheInput() {
        assertExplanationIsTheScoreGradientTimesTheInput(featureScorer);
    }

    @Test
    void featureDistanceScoresAreMinusAShrunkMahalanobisDistanceIndependentOfTheBatch() {
        float[] all = featureScorer.score(test);
        float[] reference = featureScorer.score(featureBundle.reference());
        // Over the rows the Gaussian was fitted on, mean d² = tr((S + cI)⁻¹ S) = Σ λ/(λ + c), between 0 and H/2.
        double meanSquared = meanSquare(reference);

        for (float score : all) {
            assertThat(score).isNotNaN().isLessThanOrEqualTo(0f);
        }
        assertThat(meanSquared).isPositive().isLessThan(featureBundle.config().criticHidden() / 2.0);
        assertThat(score(featureScorer, test.row(11))).isEqualTo(all[11]);
        assertThat(all).isNotEqualTo(scorer.score(test));
    }

    @Test
    void standardisedExplanationIsTheScoreGradientTimesTheInput() {
        assertExplanationIsTheScoreGradientTimesTheInput(standardisedScorer);
    }

    @Test
    void standardisedScoresAreMinusADiagonalGaussianDistanceIndependentOfTheBatch() {
        assertDiagonalGaussianDistance(standardisedScorer, standardisedBundle,
                standardisedBundle.config().criticHidden() / 2);
    }

    @Test
    void firstLayerExplanationIsTheScoreGradientTimesTheInput() {
        assertExplanationIsTheScoreGradientTimesTheInput(firstLayerScorer);
    }

    @Test
    void firstLayerScoresAreMinusADiagonalGaussianDistanceInTheWiderLayer() {
        assertDiagonalGaussianDistance(firstLayerScorer, firstLayerBundle, firstLayerBundle.config().criticHidden());
        assertThat(firstLayerScorer.score(test)).isNotEqualTo(standardisedScorer.score(test));
    }

    /**
     * Over the rows the diagonal Gaussian was fitted on (sample variances, n − 1), each of the layer's {@code width}
     * features contributes (n − 1)/n to the mean d², less a hair for the variance floor: mean d² ≈ width (n − 1)/n.
     * The shrunk full covariance gives less than width/2 (test above), and the two layers differ in width, so this
     * tells the forms and the layers apart.
     */
    private static void assertDiagonalGaussianDistance(CriticScorer scorer, ModelBundle bundle, int width) {
        float[] all = scorer.score(test);
        float[] reference = scorer.score(bundle.reference());
        int rows = reference.length;
        double meanSquared = meanSquare(reference);

        for (float score : all) {
            assertThat(score).isNotNaN().isLessThanOrEqualTo(0f);
        }
        assertThat(meanSquared)
                .isCloseTo(width * (rows - 1.0) / rows, org.assertj.core.data.Offset.offset(0.01 * width));
        assertThat(score(scorer, test.row(11))).isEqualTo(all[11]);
    }

    private static double meanSquare(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += (double) value * value;
        }
        return sum / values.length;
    }

    private static void assertExplanationIsTheScoreGradientTimesTheInput(CriticScorer scorer) {
        float[] row = test.row(7);
        Attribution attribution = scorer.explain(new FeatureMatrix(1, row.length, row));
        float step = 1e-2f;
        for (int feature = 0; feature < row.length; feature++) {
            float[] plus = row.clone();
            plus[feature] += step;
            float[] minus = row.clone();
            minus[feature] -= step;
            double slope = (score(scorer, plus) - score(scorer, minus)) / (2.0 * step);

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

    private static float score(CriticScorer scorer, float[] row) {
        return scorer.score(new FeatureMatrix(1, row.length, row))[0];
    }
}
