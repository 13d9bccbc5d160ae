package io.vigil.transforms.threshold;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.score.CriticScore;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The anomaly threshold from the validation set's critic scores: one {@code Double} element. Default: the notebook's
 * 1st percentile ({@link ThresholdRule#notebookDefault()}).
 *
 * <p>All validation scores meet in one accumulator (8 bytes each: 15% of a million rows is 1.2 MB), because an exact
 * percentile needs them all; the validation set is a small split by design.
 */
@AutoValue
public abstract class FitThreshold extends PTransform<PCollection<CriticScore>, PCollection<Double>> {
  private static final long serialVersionUID = 1L;

  abstract ThresholdRule rule();

  public static FitThreshold of() {
    return new AutoValue_FitThreshold(ThresholdRule.notebookDefault());
  }

  /** Threshold at this percentile (in [0, 100]) of the validation scores instead of the 1st. */
  public FitThreshold withPercentile(double percentile) {
    return new AutoValue_FitThreshold(ThresholdRule.percentile(percentile));
  }

  public FitThreshold withRule(ThresholdRule rule) {
    if (rule == null) {
      throw new IllegalArgumentException("threshold rule must not be null");
    }
    return new AutoValue_FitThreshold(rule);
  }

  @Override
  public PCollection<Double> expand(PCollection<CriticScore> validationScores) {
    return validationScores
        .apply("Scores", MapElements.into(TypeDescriptors.doubles()).via(CriticScore::score))
        .apply("Threshold", Combine.globally(new ThresholdFn(rule())).withoutDefaults())
        .setCoder(DoubleCoder.of());
  }

  /** Collects every score, then applies the rule; an empty validation set fails with the rule's message. */
  static final class ThresholdFn extends Combine.CombineFn<Double, List<Double>, Double> {
    private static final long serialVersionUID = 1L;
    private final ThresholdRule rule;

    ThresholdFn(ThresholdRule rule) {
      this.rule = rule;
    }

    @Override
    public List<Double> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<Double> addInput(List<Double> accumulator, Double score) {
      accumulator.add(score);
      return accumulator;
    }

    @Override
    public List<Double> mergeAccumulators(Iterable<List<Double>> accumulators) {
      List<Double> merged = new ArrayList<>();
      for (List<Double> accumulator : accumulators) {
        merged.addAll(accumulator);
      }
      return merged;
    }

    @Override
    public Double extractOutput(List<Double> accumulator) {
      double[] scores = new double[accumulator.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = accumulator.get(i);
      }
      return rule.thresholdFor(scores);
    }

    @Override
    public Coder<List<Double>> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder) {
      return ListCoder.of(DoubleCoder.of());
    }
  }
}
