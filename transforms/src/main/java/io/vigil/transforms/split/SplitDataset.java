package io.vigil.transforms.split;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.Diabetes130;
import io.vigil.transforms.records.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Splits records into train, validation and test sets, the notebook's 70/15/15 by default, deterministically: a
 * record's set depends only on the seed and its identifier, never on the runner, the parallelism or the order of the
 * input. The first 8 bytes of SHA-256(seed as 8 big-endian bytes ‖ id as UTF-8) give a uniform number u in [0, 1);
 * the record goes to train if u &lt; train, to validation if u &lt; train + validation, to test otherwise.
 *
 * <pre>{@code
 * SplitDataset.Result<FeatureVector> sets = features.apply(SplitDataset.<FeatureVector>of(0.7, 0.15, 0.15).withSeed(42));
 * PCollection<FeatureVector> train = sets.train();
 * }</pre>
 *
 * <p>Works on {@link FeatureVector}s (by {@link FeatureVector#id()}) and on schema'd records such as {@link Row}s (by
 * the field {@link #withIdField}, {@code encounter_id} by default). The sets differ from the notebook's
 * {@code train_test_split} (a shuffled permutation): reproducing that would need the whole data set on one worker.
 * A record without an identifier fails the pipeline; Vigil's sources never emit one.
 *
 * @param <T> the element type
 */
@AutoValue
public abstract class SplitDataset<T> extends PTransform<PCollection<T>, SplitDataset.Result<T>> {
  private static final long serialVersionUID = 1L;

  abstract double trainFraction();

  abstract double validationFraction();

  abstract double testFraction();

  abstract long seed();

  abstract String idField();

  abstract Builder<T> toBuilder();

  /**
   * Fractions of the three sets, each in [0, 1] and summing to 1 (within 1e-9); seed 42.
   */
  public static <T> SplitDataset<T> of(double train, double validation, double test) {
    for (double fraction : new double[] {train, validation, test}) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("split fractions must be in [0, 1], got " + train + "/" + validation + "/"
            + test);
      }
    }
    if (Math.abs(train + validation + test - 1) > 1e-9) {
      throw new IllegalArgumentException("split fractions must sum to 1, got " + (train + validation + test));
    }
    return new AutoValue_SplitDataset.Builder<T>()
        .setTrainFraction(train)
        .setValidationFraction(validation)
        .setTestFraction(test)
        .setSeed(42)
        .setIdField(Diabetes130.ID_COLUMN)
        .build();
  }

  public SplitDataset<T> withSeed(long seed) {
    return toBuilder().setSeed(seed).build();
  }

  /** For schema'd records: the field holding the record id (the spec's {@code idColumn()}). */
  public SplitDataset<T> withIdField(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("id field must not be blank");
    }
    return toBuilder().setIdField(field).build();
  }

  /** The set a record with this id goes to: the same rule the transform applies. */
  public Subset assign(String id) {
    return assign(seed(), trainFraction(), validationFraction(), id);
  }

  /** The three sets. */
  public enum Subset {
    TRAIN,
    VALIDATION,
    TEST
  }

  @Override
  public Result<T> expand(PCollection<T> input) {
    SerializableFunction<T, String> id = idFunction(input);
    TupleTag<T> train = new TupleTag<>("train");
    TupleTag<T> validation = new TupleTag<>("validation");
    TupleTag<T> test = new TupleTag<>("test");
    PCollectionTuple sets = input.apply("Assign", ParDo.of(
            new AssignFn<>(id, seed(), trainFraction(), validationFraction(), train, validation, test))
        .withOutputTags(train, TupleTagList.of(validation).and(test)));
    return new Result<>(input.getPipeline(), Map.of(
        train, sets.get(train).setCoder(input.getCoder()),
        validation, sets.get(validation).setCoder(input.getCoder()),
        test, sets.get(test).setCoder(input.getCoder())), train, validation, test);
  }

  @SuppressWarnings("unchecked")
  private SerializableFunction<T, String> idFunction(PCollection<T> input) {
    if (FeatureVector.class.equals(input.getTypeDescriptor() == null ? null : input.getTypeDescriptor().getRawType())
        || input.getCoder() instanceof FeatureVector.Coder) {
      return element -> ((FeatureVector) element).id();
    }
    if (input.hasSchema()) {
      String field = idField();
      if (!input.getSchema().hasField(field)) {
        throw new IllegalArgumentException("records to split have no id field '" + field + "'; fields: "
            + input.getSchema().getFieldNames());
      }
      SerializableFunction<T, Row> toRow = input.getToRowFunction();
      return element -> {
        Object value = toRow.apply(element).getValue(field);
        if (value == null) {
          throw new IllegalArgumentException("a record to split has no id (field '" + field + "' is null)");
        }
        return value.toString();
      };
    }
    throw new IllegalArgumentException("SplitDataset splits FeatureVectors or schema'd records (Rows); "
        + input.getCoder() + " is neither");
  }

  static Subset assign(long seed, double train, double validation, String id) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
    byte[] digest = sha256.digest(id.getBytes(StandardCharsets.UTF_8));
    double u = (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
    if (u < train) {
      return Subset.TRAIN;
    }
    return u < train + validation ? Subset.VALIDATION : Subset.TEST;
  }

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setTrainFraction(double fraction);

    abstract Builder<T> setValidationFraction(double fraction);

    abstract Builder<T> setTestFraction(double fraction);

    abstract Builder<T> setSeed(long seed);

    abstract Builder<T> setIdField(String field);

    abstract SplitDataset<T> build();
  }

  /** The three sets, with the input's coder. */
  public static final class Result<T> implements POutput {
    private final Pipeline pipeline;
    private final Map<TupleTag<?>, PValue> sets;
    private final TupleTag<T> train;
    private final TupleTag<T> validation;
    private final TupleTag<T> test;

    Result(Pipeline pipeline, Map<TupleTag<?>, PValue> sets, TupleTag<T> train, TupleTag<T> validation,
        TupleTag<T> test) {
      this.pipeline = pipeline;
      this.sets = sets;
      this.train = train;
      this.validation = validation;
      this.test = test;
    }

    public PCollection<T> train() {
      return get(train);
    }

    public PCollection<T> validation() {
      return get(validation);
    }

    public PCollection<T> test() {
      return get(test);
    }

    @SuppressWarnings("unchecked")
    private PCollection<T> get(TupleTag<T> tag) {
      return (PCollection<T>) sets.get(tag);
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return sets;
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  static final class AssignFn<T> extends DoFn<T, T> {
    private final SerializableFunction<T, String> id;
    private final long seed;
    private final double train;
    private final double validation;
    private final TupleTag<T> trainTag;
    private final TupleTag<T> validationTag;
    private final TupleTag<T> testTag;

    AssignFn(SerializableFunction<T, String> id, long seed, double train, double validation, TupleTag<T> trainTag,
        TupleTag<T> validationTag, TupleTag<T> testTag) {
      this.id = id;
      this.seed = seed;
      this.train = train;
      this.validation = validation;
      this.trainTag = trainTag;
      this.validationTag = validationTag;
      this.testTag = testTag;
    }

    @ProcessElement
    public void process(@Element T element, MultiOutputReceiver out) {
      TupleTag<T> tag = switch (assign(seed, train, validation, id.apply(element))) {
        case TRAIN -> trainTag;
        case VALIDATION -> validationTag;
        case TEST -> testTag;
      };
      out.get(tag).output(element);
    }
  }
}
