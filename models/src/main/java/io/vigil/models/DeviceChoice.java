package io.vigil.models;

/** Where the networks run: {@code AUTO} takes a GPU when the engine sees one, else the CPU (and logs so). */
public enum DeviceChoice {
    AUTO,
    CPU,
    GPU
}
