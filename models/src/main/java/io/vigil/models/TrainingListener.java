package io.vigil.models;

/** Told after every training epoch; called on the training thread, so keep it quick. */
public interface TrainingListener {
    void onEpoch(EpochProgress progress);

    /** A listener that ignores progress. */
    TrainingListener NONE = progress -> { };
}
