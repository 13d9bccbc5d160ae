package io.vigil.models;

/** The DJL engine that trains and runs the networks. */
public enum Engine {
    PYTORCH("PyTorch"),
    MXNET("MXNet");

    private final String djlName;

    Engine(String djlName) {
        this.djlName = djlName;
    }

    /** The engine name DJL registers, as passed to {@code ai.djl.engine.Engine.getEngine}. */
    public String djlName() {
        return djlName;
    }
}
