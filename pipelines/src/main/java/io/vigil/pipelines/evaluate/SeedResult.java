package io.vigil.pipelines.evaluate;

/**
 * One method's figures on one data set (or one planted-anomaly type) for one seed, in percent.
 *
 * @param dataset the data set, e.g. {@code annthyroid}, or {@code diabetes/local} for a planted type
 * @param method the detector's name
 * @param seed the split (and training) seed
 * @param aucRoc area under the ROC curve × 100
 * @param aucPr average precision × 100
 * @param seconds wall time to fit and score
 */
public record SeedResult(String dataset, String method, long seed, double aucRoc, double aucPr, double seconds) {}
