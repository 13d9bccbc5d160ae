package io.vigil.transforms.threshold;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.score.CriticScore;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Critic scores to verdicts: a record scoring strictly below the threshold is an anomaly (the notebook's
 * {@code test_scores < threshold}). The threshold is fixed, or a singleton side input such as the output of
 * {@link FitThreshold} viewed with {@code View.asSingleton()}. Counts anomalies and normal records as Beam metrics.
 */
@AutoValue
public abstract class ApplyThreshold extends PTransform<PCollection<CriticScore>, PCollection<AnomalyResult>> {
  private static final long serialVersionUID = 1L;

  abstract @Nullable Double fixedThreshold();

  abstract @Nullable PCollectionView<Double> thresholdView();

  public static ApplyThreshold withFixedThreshold(double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite, got " + threshold);
    }
    return new AutoValue_ApplyThreshold(threshold, null);
  }

  public static ApplyThreshold withThreshold(PCollectionView<Double> threshold) {
    if (threshold == null) {
      throw new IllegalArgumentException("threshold view must not be null");
    }
    return new AutoValue_ApplyThreshold(null, threshold);
  }

  @Override
  public PCollection<AnomalyResult> expand(PCollection<CriticScore> scores) {
    PCollectionView<Double> view = thresholdView();
    ParDo.SingleOutput<CriticScore, AnomalyResult> verdicts = ParDo.of(new VerdictFn(fixedThreshold(), view));
    return scores.apply("Verdicts", view == null ? verdicts : verdicts.withSideInputs(view));
  }

  private static final class VerdictFn extends DoFn<CriticScore, AnomalyResult> {
    private static final long serialVersionUID = 1L;
    private final Counter anomalies = Metrics.counter(ApplyThreshold.class, "anomalies");
    private final Counter normal = Metrics.counter(ApplyThreshold.class, "normal");
    private final @Nullable Double fixedThreshold;
    private final @Nullable PCollectionView<Double> thresholdView;

    VerdictFn(@Nullable Double fixedThreshold, @Nullable PCollectionView<Double> thresholdView) {
      this.fixedThreshold = fixedThreshold;
      this.thresholdView = thresholdView;
    }

    @ProcessElement
    public void process(@Element CriticScore score, ProcessContext context) {
      double threshold = thresholdView == null ? fixedThreshold : context.sideInput(thresholdView);
      boolean anomaly = score.score() < threshold;
      (anomaly ? anomalies : normal).inc();
      context.output(AnomalyResult.builder()
          .setRecordId(score.recordId())
          .setScore(score.score())
          .setThreshold(threshold)
          .setAnomaly(anomaly)
          .setModelVersion(score.modelVersion())
          .setExplanationColumns(score.explanationColumns())
          .setExplanationContributions(score.explanationContributions())
          .setUnseenCategories(score.unseenCategories())
          .setOutOfRangeColumns(score.outOfRangeColumns())
          .build());
    }
  }
}
