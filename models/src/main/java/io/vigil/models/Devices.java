package io.vigil.models;

import ai.djl.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the configured {@link Engine} and {@link DeviceChoice} into DJL's engine and device. */
final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    private Devices() {}

    static ai.djl.engine.Engine engine(Engine engine) {
        try {
            return ai.djl.engine.Engine.getEngine(engine.djlName());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "DJL engine " + engine.djlName() + " could not be loaded (is its native library on the class "
                            + "path, and ai.djl.offline=true with the native jar bundled?): " + e.getMessage(), e);
        }
    }

    static Device select(ai.djl.engine.Engine engine, DeviceChoice choice) {
        int gpus = engine.getGpuCount();
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("device GPU was requested but the " + engine.getEngineName()
                            + " engine sees no GPU (build with -Pcuda on a machine with CUDA, or use auto/cpu)");
                }
                yield Device.gpu();
            }
            case AUTO -> {
                if (gpus > 0) {
                    LOG.info("device auto: using GPU 0 of {} seen by {}", gpus, engine.getEngineName());
                    yield Device.gpu();
                }
                LOG.info("device auto: no GPU seen by {}, using the CPU", engine.getEngineName());
                yield Device.cpu();
            }
        };
    }
}
