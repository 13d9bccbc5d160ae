package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Training and scoring on both engines, on small generated data. */
class TrainingAndScoringTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void trainsReproduciblyAndScoresIndependentlyOfBatch(Engine engine) {
        // 50 rows in batches of 16: three full batches and a partial one of 2 rows per epoch
        FeatureMatrix train = TestData.clinicalLike(50, 1);
        WganGpConfig config = TestData.tiny(engine).toBuilder().epochs(2).build();
        List<EpochProgress> progress = new ArrayList<>();

        ModelBundle bundle = WganGpTrainer.train(config, train, progress::add);
        ModelBundle again = WganGpTrainer.train(config, train, TrainingListener.NONE);
        ModelBundle otherSeed = WganGpTrainer.train(config.toBuilder().seed(43).build(), train, TrainingListener.NONE);

        assertThat(progress).extracting(EpochProgress::epoch).containsExactly(1, 2);
        assertThat(bundle.metrics().criticLoss()).hasSize(2).allMatch(Double::isFinite);
        assertThat(bundle.metrics().gradientPenalty()).allMatch(v -> v >= 0);
        assertThat(otherSeed.fingerprint()).isNotEqualTo(bundle.fingerprint());

        FeatureMatrix test = TestData.clinicalLike(60, 2);
        // The same seed gives the same model. Not compared bit for bit: now and then (seen on PyTorch, source not
        // found) the first training in a JVM differs from later ones in the last bits of a float.
        try (CriticScorer first = CriticScorer.open(bundle, DeviceChoice.CPU);
                CriticScorer second = CriticScorer.open(again, DeviceChoice.CPU);
                CriticScorer other = CriticScorer.open(otherSeed, DeviceChoice.CPU)) {
            float[] expected = first.score(test);
            float[] repeated = second.score(test);
            for (int i = 0; i < expected.length; i++) {
                assertThat(repeated[i]).isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
            }
            assertThat(other.score(test)).isNotEqualTo(expected);
        }
        float[] record = test.row(5);
        bundle.save(dir);
        ModelBundle reloaded = ModelBundle.load(dir, train.cols());
        try (CriticScorer scorer = CriticScorer.open(bundle, DeviceChoice.CPU);
                CriticScorer reloadedScorer = CriticScorer.open(reloaded, DeviceChoice.AUTO)) {
            float alone = scorer.score(new FeatureMatrix(1, train.cols(), record))[0];
            float[] all = scorer.score(test);
            float[] firstTen = scorer.score(rows(test, 0, 10));
            float afterReload = reloadedScorer.score(new FeatureMatrix(1, train.cols(), record))[0];

            assertThat(all[5]).isEqualTo(alone);
            assertThat(firstTen[5]).isEqualTo(alone);
            assertThat(afterReload).isEqualTo(alone);
            assertThat(all).doesNotHaveDuplicates();

            Attribution attribution = scorer.explain(test);
            assertThat(attribution.scores()).containsExactly(all);
            assertThat(attribution.gradientTimesInput()).hasSize(test.rows() * test.cols());
            assertThatThrownBy(() -> scorer.score(new FeatureMatrix(1, 3, new float[3])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features");
        }
    }

    private static FeatureMatrix rows(FeatureMatrix m, int from, int to) {
        float[][] rows = new float[to - from][];
        for (int i = from; i < to; i++) {
            rows[i - from] = m.row(i);
        }
        return FeatureMatrix.of(rows);
    }
}
