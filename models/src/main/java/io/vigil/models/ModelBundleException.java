package io.vigil.models;

/** A model bundle could not be saved or loaded; the message says which file and why. */
public final class ModelBundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelBundleException(String message) {
        super(message);
    }

    public ModelBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
