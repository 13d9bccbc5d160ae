package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DevicesTest {
    private final ai.djl.engine.Engine pytorch = Devices.engine(Engine.PYTORCH);

    @Test
    void autoTakesTheGpuWhenPresentElseTheCpu() {
        Device expected = pytorch.getGpuCount() > 0 ? Device.gpu() : Device.cpu();

        assertThat(Devices.select(pytorch, DeviceChoice.AUTO)).isEqualTo(expected);
        assertThat(Devices.select(pytorch, DeviceChoice.CPU)).isEqualTo(Device.cpu());
    }

    @Test
    void gpuWithoutGpuFailsClearly() {
        assumeTrue(pytorch.getGpuCount() == 0, "this machine has a GPU");

        assertThatThrownBy(() -> Devices.select(pytorch, DeviceChoice.GPU))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sees no GPU");
    }
}
