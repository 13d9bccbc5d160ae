package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WganGpConfigTest {
    @Test
    void seedPresetIsTheNotebook() {
        WganGpConfig seed = WganGpConfig.seed();

        assertThat(seed.latentDim()).isEqualTo(16);
        assertThat(seed.attentionDim()).isEqualTo(64);
        assertThat(seed.attentionHeads()).isEqualTo(2);
        assertThat(seed.criticHidden()).isEqualTo(256);
        assertThat(seed.minibatchFeatures()).isEqualTo(16);
        assertThat(seed.minibatchKernel()).isEqualTo(8);
        assertThat(seed.minibatchInit()).isEqualTo(MinibatchInit.SEED_NORMAL);
        assertThat(seed.gradientPenaltyWeight()).isEqualTo(10.0);
        assertThat(seed.criticSteps()).isEqualTo(2);
        assertThat(seed.learningRate()).isEqualTo(1e-4);
        assertThat(seed.beta1()).isEqualTo(0.0);
        assertThat(seed.beta2()).isEqualTo(0.9);
        assertThat(seed.batchSize()).isEqualTo(32);
        assertThat(seed.epochs()).isEqualTo(100);
        assertThat(seed.randomSeed()).isEqualTo(42);
        assertThat(WganGpConfig.recommended().minibatchInit()).isEqualTo(MinibatchInit.SCALED);
        assertThat(WganGpConfig.recommended().scoring()).isEqualTo(CriticScoring.FIRST_LAYER_STANDARDISED);
        assertThat(WganGpConfig.seed().scoring()).isEqualTo(CriticScoring.CRITIC);
        assertThat(WganGpConfig.recommended().toBuilder().minibatchInit(MinibatchInit.SEED_NORMAL)
                .scoring(CriticScoring.CRITIC).build())
                .isEqualTo(seed);
    }

    @Test
    void jsonRoundTrips() {
        WganGpConfig config = WganGpConfig.recommended().toBuilder()
                .attentionDimAndHeads(32, 4).epochs(7).seed(-3).engine(Engine.MXNET).device(DeviceChoice.CPU)
                .learningRate(2.5e-4).scoring(CriticScoring.FEATURE_DISTANCE).build();

        assertThat(WganGpConfig.fromJson(config.toJson())).isEqualTo(config);
    }

    @Test
    void jsonWrittenBeforeScoringExistedMeansTheCriticsOutput() {
        WganGpConfig config = WganGpConfig.seed().toBuilder().scoring(CriticScoring.FEATURE_DISTANCE).build();
        String withoutScoring = config.toJson().replace("\"scoring\":\"FEATURE_DISTANCE\",", "");

        assertThat(withoutScoring).doesNotContain("scoring");
        assertThat(WganGpConfig.fromJson(withoutScoring).scoring()).isEqualTo(CriticScoring.CRITIC);
        assertThat(WganGpConfig.seed().scoring()).isEqualTo(CriticScoring.CRITIC);
    }

    @Test
    void badJsonIsRejectedClearly() {
        String json = WganGpConfig.seed().toJson();

        assertThatThrownBy(() -> WganGpConfig.fromJson(json.replace("\"epochs\":100,", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks \"epochs\"");
        assertThatThrownBy(() -> WganGpConfig.fromJson(json.replace("\"epochs\":100", "\"epochs\":0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epochs must be > 0");
        assertThatThrownBy(() -> WganGpConfig.fromJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void settersValidate() {
        WganGpConfig.Builder b = WganGpConfig.builder();

        assertThatThrownBy(() -> b.attentionHeads(3)).hasMessageContaining("multiple of attentionHeads 3");
        assertThatThrownBy(() -> b.criticHidden(7)).hasMessageContaining("even");
        assertThatThrownBy(() -> b.batchSize(1)).hasMessageContaining("batchSize must be >= 2");
        assertThatThrownBy(() -> b.beta2(1.0)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> b.learningRate(Double.NaN)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> b.gradientPenaltyWeight(-1)).hasMessageContaining("gradientPenaltyWeight");
        assertThatThrownBy(() -> b.engine(null)).isInstanceOf(NullPointerException.class);
        assertThat(b.build()).isEqualTo(WganGpConfig.seed());
    }
}
