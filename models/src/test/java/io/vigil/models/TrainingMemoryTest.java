package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every array a training step allocates is freed with the step's scope: nothing piles up in the run's manager. */
class TrainingMemoryTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void trainingStepsLeaveNoArraysBehind(Engine engine) {
        FeatureMatrix data = TestData.clinicalLike(16, 5);
        WganGpConfig config = TestData.tiny(engine);
        try (TrainingRun run = new TrainingRun(config, data.cols(), DataType.FLOAT32)) {
            float[] batch = data.data();
            run.step(batch, 16);
            int afterFirstStep = run.manager().getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                run.step(batch, 16);
            }

            assertThat(run.manager().getManagedArrays()).hasSize(afterFirstStep);
        }
    }
}
