package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    private static FeatureMatrix train;
    private static ModelBundle bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        train = TestData.clinicalLike(40, 3);
        bundle = WganGpTrainer.train(TestData.tiny(Engine.PYTORCH).toBuilder().epochs(1).build(), train,
                TrainingListener.NONE);
    }

    @Test
    void roundTripKeepsEverythingAndTheFingerprint() {
        byte[] threshold = "-1.25".getBytes(StandardCharsets.UTF_8);
        ModelBundle withAttachment = bundle.withAttachment("threshold.txt", threshold);

        withAttachment.save(dir);
        ModelBundle loaded = ModelBundle.load(dir, train.cols());

        assertThat(loaded.fingerprint()).isEqualTo(withAttachment.fingerprint()).isNotEqualTo(bundle.fingerprint());
        assertThat(loaded.config()).isEqualTo(bundle.config());
        assertThat(loaded.metrics()).isEqualTo(bundle.metrics());
        assertThat(loaded.inputWidth()).isEqualTo(train.cols());
        assertThat(loaded.attachmentNames()).containsExactly("threshold.txt");
        assertThat(loaded.attachment("threshold.txt")).hasValueSatisfying(v -> assertThat(v).isEqualTo(threshold));
        assertThat(loaded.attachment("absent")).isEmpty();
        assertThat(bundle.attachmentNames()).isEmpty();
        assertThat(dir.resolve("manifest.json")).exists();
        assertThat(dir.resolve("attachments/threshold.txt")).exists();
    }

    @Test
    void corruptFileIsReported() throws IOException {
        bundle.save(dir);
        byte[] critic = Files.readAllBytes(dir.resolve("critic.params"));
        critic[critic.length / 2] ^= 0x5a;
        Files.write(dir.resolve("critic.params"), critic);

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(ModelBundleException.class)
                .hasMessageContaining("critic.params").hasMessageContaining("corrupt or truncated");
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        bundle.save(dir);
        byte[] reference = Files.readAllBytes(dir.resolve("reference.bin"));
        Files.write(dir.resolve("reference.bin"), Arrays.copyOf(reference, reference.length - 7));

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(ModelBundleException.class)
                .hasMessageContaining("reference.bin").hasMessageContaining("corrupt or truncated");
    }

    @Test
    void missingFileIsReported() throws IOException {
        bundle.save(dir);
        Files.delete(dir.resolve("generator.params"));

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(ModelBundleException.class).hasMessageContaining("lacks generator.params");
    }

    @Test
    void otherFormatVersionIsReported() throws IOException {
        bundle.save(dir);
        Files.writeString(dir.resolve("format"), "2\n");

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(ModelBundleException.class).hasMessageContaining("format version '2'");
    }

    @Test
    void directoryThatIsNoBundleIsReported() {
        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(ModelBundleException.class).hasMessageContaining("not a Vigil model bundle");
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("absent")))
                .isInstanceOf(ModelBundleException.class).hasMessageContaining("not a directory");
    }

    @Test
    void wrongInputWidthIsReported() {
        bundle.save(dir);

        assertThatThrownBy(() -> ModelBundle.load(dir, train.cols() + 1))
                .isInstanceOf(ModelBundleException.class)
                .hasMessageContaining("trained on rows of " + train.cols() + " features")
                .hasMessageContaining("has " + (train.cols() + 1));
    }

    @Test
    void attachmentNamesAreValidated() {
        assertThatThrownBy(() -> bundle.withAttachment("../escape", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bundle.withAttachment("", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
