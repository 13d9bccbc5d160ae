package io.vigil.transforms.train;

import io.vigil.models.ModelBundle;
import io.vigil.models.ModelBundleException;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.threshold.ThresholdRule;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The files {@link TrainWganGp} attaches to a model bundle (covered by its checksum manifest, so by its fingerprint),
 * and how to read them back: the preprocessing artifact the model was trained behind, the validation scores, and the
 * threshold with the rule that chose it. Keeping the validation scores lets a user pick another percentile later
 * without retraining ({@link #thresholdFor(ModelBundle, ThresholdRule)}).
 */
public final class BundleAttachments {
  public static final String PREPROCESSING_ARTIFACT = "preprocessing-artifact.json";
  /** One validation score per line, in {@link Double#toString(double)} form (exact round trip). */
  public static final String VALIDATION_SCORES = "validation-scores.txt";
  /** {@code rule} and {@code threshold}, as Java properties. */
  public static final String THRESHOLD = "threshold.properties";
  /** How the data was split and sampled, as Java properties, so scoring can select the same test split. */
  public static final String TRAINING_RUN = "training-run.properties";

  private BundleAttachments() {}

  public static PreprocessingArtifact artifact(ModelBundle bundle) {
    return PreprocessingArtifact.fromJson(text(bundle, PREPROCESSING_ARTIFACT));
  }

  public static byte[] encodeScores(double[] scores) {
    StringBuilder text = new StringBuilder(scores.length * 12);
    for (double score : scores) {
      text.append(score).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static double[] validationScores(ModelBundle bundle) {
    String text = text(bundle, VALIDATION_SCORES).strip();
    if (text.isEmpty()) {
      return new double[0];
    }
    String[] lines = text.split("\n");
    double[] scores = new double[lines.length];
    for (int i = 0; i < lines.length; i++) {
      try {
        scores[i] = Double.parseDouble(lines[i]);
      } catch (NumberFormatException e) {
        throw new ModelBundleException("line " + (i + 1) + " of " + VALIDATION_SCORES + " is not a number: "
            + lines[i], e);
      }
    }
    return scores;
  }

  public static byte[] encodeProperties(Properties properties) {
    StringWriter writer = new StringWriter();
    try {
      properties.store(writer, null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write properties to memory", e);
    }
    return writer.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static Properties properties(ModelBundle bundle, String name) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text(bundle, name)));
    } catch (IOException e) {
      throw new ModelBundleException("cannot read " + name + " of the bundle: " + e.getMessage(), e);
    }
    return properties;
  }

  /** The threshold chosen at training time. */
  public static double threshold(ModelBundle bundle) {
    String value = properties(bundle, THRESHOLD).getProperty("threshold");
    if (value == null) {
      throw new ModelBundleException(THRESHOLD + " of the bundle has no 'threshold' entry");
    }
    return Double.parseDouble(value);
  }

  /** The threshold {@code rule} gives on the bundle's saved validation scores: a new percentile, no retraining. */
  public static double thresholdFor(ModelBundle bundle, ThresholdRule rule) {
    return rule.thresholdFor(rule.isFixed() ? new double[0] : validationScores(bundle));
  }

  private static String text(ModelBundle bundle, String name) {
    return new String(bundle.attachment(name).orElseThrow(() -> new ModelBundleException(
        "the bundle has no " + name + "; was it written by TrainWganGp? Attachments: " + bundle.attachmentNames())),
        StandardCharsets.UTF_8);
  }
}
