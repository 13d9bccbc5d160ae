package io.vigil.transforms.score;

import com.google.auto.value.AutoValue;
import io.vigil.models.Attribution;
import io.vigil.models.DeviceChoice;
import io.vigil.models.FeatureMatrix;
import io.vigil.transforms.records.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Scores feature vectors with a bundle's critic: {@code PCollection<FeatureVector>} → {@code PCollection<CriticScore>}.
 *
 * <p>One critic per JVM and bundle, shared by every DoFn instance (loaded at the first {@code @Setup}, freed at the
 * last {@code @Teardown}). Records are scored in batches of up to {@link #withBatchSize(int)} within a bundle; a batch
 * is scored as soon as it is full, and every result is emitted at {@code @FinishBundle} with its record's window and
 * timestamp. Scores do not depend on the batching: the critic compares each record with the bundle's fixed reference
 * rows, never with the other records of its batch.
 *
 * <p>By default each score is explained: the critic's input gradient × input, summed over the features each source
 * column expanded to (via the bundle's preprocessing artifact), and the {@link #withExplanationColumns(int) few}
 * columns that lowered the score most are kept. Explaining needs a backward pass; {@code withExplanationColumns(0)}
 * turns it off.
 *
 * <p>A vector whose width is not the bundle's fails the pipeline with a message naming the record and both widths: it
 * was preprocessed with another artifact, which no record-level recovery can repair.
 */
@AutoValue
public abstract class ScoreWithCritic extends PTransform<PCollection<FeatureVector>, PCollection<CriticScore>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final int DEFAULT_EXPLANATION_COLUMNS = 3;

  abstract String bundleDirectory();

  abstract int batchSize();

  abstract DeviceChoice device();

  abstract int explanationColumns();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBundleDirectory(String directory);

    abstract Builder setBatchSize(int size);

    abstract Builder setDevice(DeviceChoice device);

    abstract Builder setExplanationColumns(int count);

    abstract ScoreWithCritic build();
  }

  /** Scores with the bundle saved by {@code TrainWganGp} in {@code directory}. */
  public static ScoreWithCritic fromBundle(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("bundle directory must not be blank");
    }
    return new AutoValue_ScoreWithCritic.Builder().setBundleDirectory(directory).setBatchSize(DEFAULT_BATCH_SIZE)
        .setDevice(DeviceChoice.AUTO).setExplanationColumns(DEFAULT_EXPLANATION_COLUMNS).build();
  }

  /** Records scored together at most; bounds the memory held per DoFn instance. */
  public ScoreWithCritic withBatchSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + size);
    }
    return toBuilder().setBatchSize(size).build();
  }

  public ScoreWithCritic withDevice(DeviceChoice device) {
    if (device == null) {
      throw new IllegalArgumentException("device must not be null");
    }
    return toBuilder().setDevice(device).build();
  }

  /** How many source columns each explanation names (0: no explanations, scoring only). */
  public ScoreWithCritic withExplanationColumns(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("explanation column count must not be negative, got " + count);
    }
    return toBuilder().setExplanationColumns(count).build();
  }

  @Override
  public PCollection<CriticScore> expand(PCollection<FeatureVector> vectors) {
    return vectors.apply("Score", ParDo.of(
        new ScoreFn(bundleDirectory(), device(), batchSize(), explanationColumns())));
  }

  static final class ScoreFn extends DoFn<FeatureVector, CriticScore> {
    private static final long serialVersionUID = 1L;
    private final Counter scored = Metrics.counter(ScoreWithCritic.class, "recordsScored");
    private final Counter batches = Metrics.counter(ScoreWithCritic.class, "batches");
    private final String bundleDirectory;
    private final DeviceChoice device;
    private final int batchSize;
    private final int explanationColumns;
    private transient SharedCritic critic;
    private transient List<InWindow<FeatureVector>> pending;
    private transient List<InWindow<CriticScore>> done;

    ScoreFn(String bundleDirectory, DeviceChoice device, int batchSize, int explanationColumns) {
      this.bundleDirectory = bundleDirectory;
      this.device = device;
      this.batchSize = batchSize;
      this.explanationColumns = explanationColumns;
    }

    @Setup
    public void setup() {
      critic = SharedCritic.acquire(bundleDirectory, device);
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>(batchSize);
      done = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element FeatureVector vector, @Timestamp Instant timestamp, BoundedWindow window) {
      if (vector.width() != critic.width()) {
        throw new IllegalArgumentException("record " + vector.id() + " has " + vector.width()
            + " features but the model bundle " + critic.fingerprint() + " reads " + critic.width()
            + ": it was preprocessed with another artifact than the bundle's");
      }
      pending.add(new InWindow<>(vector, timestamp, window));
      if (pending.size() >= batchSize) {
        scorePending();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      scorePending();
      for (InWindow<CriticScore> result : done) {
        context.output(result.value, result.timestamp, result.window);
      }
      done.clear();
    }

    @Teardown
    public void teardown() {
      if (critic != null) {
        critic.release();
        critic = null;
      }
    }

    private void scorePending() {
      if (pending.isEmpty()) {
        return;
      }
      int rows = pending.size();
      int width = critic.width();
      float[] data = new float[rows * width];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(pending.get(i).value.values(), 0, data, i * width, width);
      }
      FeatureMatrix matrix = new FeatureMatrix(rows, width, data);
      float[] scores;
      float[] gradientTimesInput = null;
      if (explanationColumns > 0) {
        Attribution attribution = critic.scorer().explain(matrix);
        scores = attribution.scores();
        gradientTimesInput = attribution.gradientTimesInput();
      } else {
        scores = critic.scorer().score(matrix);
      }
      for (int i = 0; i < rows; i++) {
        InWindow<FeatureVector> record = pending.get(i);
        CriticScore.Builder score = CriticScore.builder()
            .setRecordId(record.value.id())
            .setScore(scores[i])
            .setModelVersion(critic.fingerprint())
            .setUnseenCategories(record.value.unseenCategories())
            .setOutOfRangeColumns(record.value.outOfRangeColumns());
        if (gradientTimesInput != null) {
          List<String> columns = new ArrayList<>(explanationColumns);
          List<Double> contributions = new ArrayList<>(explanationColumns);
          for (Map.Entry<String, Double> column : critic.mostNegativeColumns(gradientTimesInput, i,
              explanationColumns)) {
            columns.add(column.getKey());
            contributions.add(column.getValue());
          }
          score.setExplanationColumns(columns).setExplanationContributions(contributions);
        }
        done.add(new InWindow<>(score.build(), record.timestamp, record.window));
      }
      scored.inc(rows);
      batches.inc();
      pending.clear();
    }

    /** A record waiting for its batch, or its score waiting for the end of the bundle, with where it lives. */
    private static final class InWindow<T> {
      final T value;
      final Instant timestamp;
      final BoundedWindow window;

      InWindow(T value, Instant timestamp, BoundedWindow window) {
        this.value = value;
        this.timestamp = timestamp;
        this.window = window;
      }
    }
  }
}
