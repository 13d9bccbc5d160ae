package io.vigil.transforms.preprocess;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Learns the preprocessing from records: {@code PCollection<Row>} of the spec's schema in, one
 * {@link PreprocessingArtifact} out.
 *
 * <pre>{@code
 * PCollection<PreprocessingArtifact> artifact = records.apply(
 *     FitPreprocessing.of(Diabetes130.SPEC).withOptions(PreprocessingOptions.recommended()));
 * }</pre>
 *
 * <p>One pass, with one Beam combiner: each worker folds its records into per-column counts, min, max, exact sums and
 * level counts (and, for quantile scaling, {@code QUANTILE_NORMAL} or {@code AUTO}, the bounded
 * {@link ValueDistribution} of each numeric column), the partial results are merged, and the artifact is derived from
 * the merged statistics. Nothing collects the records themselves on one worker. The merged statistics hold one count
 * per distinct level of each categorical column, so a column of free text (millions of distinct values) should be
 * IGNORED in the spec rather than one-hot encoded. Works in the global window (fitting is a batch step); fails
 * clearly on an empty input.
 */
@AutoValue
public abstract class FitPreprocessing extends PTransform<PCollection<Row>, PCollection<PreprocessingArtifact>> {
  private static final long serialVersionUID = 1L;

  abstract ColumnSpec spec();

  abstract PreprocessingOptions options();

  abstract Builder toBuilder();

  /** Fits records of {@code spec} with {@link PreprocessingOptions#recommended()} unless told otherwise. */
  public static FitPreprocessing of(ColumnSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec must not be null");
    }
    return new AutoValue_FitPreprocessing.Builder().setSpec(spec).setOptions(PreprocessingOptions.recommended())
        .build();
  }

  public FitPreprocessing withOptions(PreprocessingOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    return toBuilder().setOptions(options).build();
  }

  /**
   * The same fit without a pipeline, for records already in memory (tests, small tools): the same combiner, folded
   * in one thread.
   */
  public static PreprocessingArtifact fitInMemory(ColumnSpec spec, PreprocessingOptions options, Iterable<Row> rows) {
    StatisticsFn fn = StatisticsFn.of(spec, options);
    ColumnStatistics statistics = fn.createAccumulator();
    for (Row row : rows) {
      statistics = fn.addInput(statistics, row);
    }
    return PreprocessingArtifact.fit(spec, options, fn.extractOutput(statistics));
  }

  @Override
  public PCollection<PreprocessingArtifact> expand(PCollection<Row> records) {
    if (records.hasSchema()) {
      checkSchema(records.getSchema());
    }
    ColumnSpec spec = spec();
    PreprocessingOptions options = options();
    return records
        .apply("ColumnStatistics", Combine.globally(StatisticsFn.of(spec, options)))
        .apply("DeriveArtifact", MapElements.into(TypeDescriptor.of(PreprocessingArtifact.class))
            .via(statistics -> PreprocessingArtifact.fit(spec, options, statistics)))
        .setCoder(PreprocessingArtifact.Coder.of());
  }

  private void checkSchema(Schema schema) {
    for (ColumnSpec.Column column : spec().columns()) {
      if ((column.kind() == ColumnKind.NUMERIC || column.kind() == ColumnKind.CATEGORICAL)
          && !schema.hasField(column.name())) {
        throw new IllegalArgumentException("records to fit lack column '" + column.name() + "' of the spec; their "
            + "schema has " + schema.getFieldNames());
      }
    }
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSpec(ColumnSpec spec);

    abstract Builder setOptions(PreprocessingOptions options);

    abstract FitPreprocessing build();
  }

  /**
   * The one-pass combiner: records into {@link ColumnStatistics}, merged across workers. The artifact is derived
   * from the merged result in a separate step, so that an empty input fails when the pipeline runs (with a clear
   * message) rather than when Beam computes the combiner's default value at construction.
   */
  static final class StatisticsFn extends Combine.CombineFn<Row, ColumnStatistics, ColumnStatistics> {
    private static final long serialVersionUID = 1L;
    private final ColumnSpec spec;
    private final boolean withDistributions;

    private StatisticsFn(ColumnSpec spec, boolean withDistributions) {
      this.spec = spec;
      this.withDistributions = withDistributions;
    }

    /** Collects what {@code options} need: the value distributions only for quantile scaling. */
    static StatisticsFn of(ColumnSpec spec, PreprocessingOptions options) {
      return new StatisticsFn(spec, options.numericScaling().needsDistributions());
    }

    @Override
    public ColumnStatistics createAccumulator() {
      return ColumnStatistics.empty(spec, withDistributions);
    }

    @Override
    public ColumnStatistics addInput(ColumnStatistics statistics, Row row) {
      statistics.add(row);
      return statistics;
    }

    @Override
    public ColumnStatistics mergeAccumulators(Iterable<ColumnStatistics> accumulators) {
      ColumnStatistics merged = createAccumulator();
      for (ColumnStatistics statistics : accumulators) {
        merged.merge(statistics);
      }
      return merged;
    }

    @Override
    public ColumnStatistics extractOutput(ColumnStatistics statistics) {
      return statistics;
    }

    @Override
    public Coder<ColumnStatistics> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder)
        throws CannotProvideCoderException {
      return new ColumnStatistics.Coder();
    }

    @Override
    public Coder<ColumnStatistics> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return new ColumnStatistics.Coder();
    }
  }
}
