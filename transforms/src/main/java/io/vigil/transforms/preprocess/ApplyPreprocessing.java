package io.vigil.transforms.preprocess;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.FeatureVector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Encodes records with a fitted {@link PreprocessingArtifact}: {@code PCollection<Row>} in,
 * {@link FeatureVector}s out, through {@link PreprocessingArtifact#encode(Row)} (the one encoding code path), in batch
 * and streaming alike (it is a stateless ParDo).
 *
 * <pre>{@code
 * PCollectionView<PreprocessingArtifact> view = artifact.apply(View.asSingleton());
 * ApplyPreprocessing.Result encoded = records.apply(ApplyPreprocessing.withArtifact(view));
 * // or, where the artifact was saved with the model:
 * records.apply(ApplyPreprocessing.withArtifactPath("/models/m1/preprocessing.json"));
 * }</pre>
 *
 * <p>A record that cannot be encoded (no identifier, a non-number in a numeric column) becomes a dead letter with the
 * reason. Records whose schema lacks a column the artifact needs fail the pipeline with a
 * {@link PreprocessingArtifactException}: that is a wiring mistake, not bad data. Counters {@code encoded},
 * {@code deadLetters}, {@code recordsWithUnseenCategories}, {@code recordsOutOfRange} in this class's namespace.
 */
@AutoValue
public abstract class ApplyPreprocessing extends PTransform<PCollection<Row>, ApplyPreprocessing.Result> {
  private static final long serialVersionUID = 1L;

  private static final TupleTag<FeatureVector> FEATURES = new TupleTag<>("features") {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  abstract @Nullable PCollectionView<PreprocessingArtifact> artifactView();

  abstract @Nullable String artifactPath();

  /** Reads the artifact as a side input, e.g. {@code FitPreprocessing}'s output through {@code View.asSingleton()}. */
  public static ApplyPreprocessing withArtifact(PCollectionView<PreprocessingArtifact> artifact) {
    if (artifact == null) {
      throw new IllegalArgumentException("artifact view must not be null");
    }
    return new AutoValue_ApplyPreprocessing(artifact, null);
  }

  /** Reads the artifact file (any Beam file system path) once per worker, checking its fingerprint. */
  public static ApplyPreprocessing withArtifactPath(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("artifact path must not be blank");
    }
    return new AutoValue_ApplyPreprocessing(null, path);
  }

  @Override
  public Result expand(PCollection<Row> records) {
    EncodeFn fn = new EncodeFn(artifactView(), artifactPath());
    ParDo.SingleOutput<Row, FeatureVector> parDo = ParDo.of(fn);
    if (artifactView() != null) {
      parDo = parDo.withSideInputs(artifactView());
    }
    PCollectionTuple encoded = records.apply("Encode", parDo.withOutputTags(FEATURES, TupleTagList.of(DEAD_LETTERS)));
    // DeadLetter's coder comes from its @DefaultSchema, inferred through the tag's type.
    return new Result(records.getPipeline(),
        encoded.get(FEATURES).setCoder(FeatureVector.Coder.of()),
        encoded.get(DEAD_LETTERS));
  }

  /** The encoded records and the ones that could not be encoded. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<FeatureVector> features;
    private final PCollection<DeadLetter> deadLetters;

    Result(Pipeline pipeline, PCollection<FeatureVector> features, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.features = features;
      this.deadLetters = deadLetters;
    }

    public PCollection<FeatureVector> features() {
      return features;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(FEATURES, features, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  static final class EncodeFn extends DoFn<Row, FeatureVector> {
    private final Counter encoded = Metrics.counter(ApplyPreprocessing.class, "encoded");
    private final Counter deadLetters = Metrics.counter(ApplyPreprocessing.class, "deadLetters");
    private final Counter withUnseen = Metrics.counter(ApplyPreprocessing.class, "recordsWithUnseenCategories");
    private final Counter outOfRange = Metrics.counter(ApplyPreprocessing.class, "recordsOutOfRange");
    private final @Nullable PCollectionView<PreprocessingArtifact> view;
    private final @Nullable String path;
    private transient @Nullable PreprocessingArtifact fromFile;
    private transient @Nullable PreprocessingArtifact checkedArtifact;
    private transient @Nullable Schema checkedSchema;

    EncodeFn(@Nullable PCollectionView<PreprocessingArtifact> view, @Nullable String path) {
      this.view = view;
      this.path = path;
    }

    @Setup
    public void setup() throws IOException {
      if (path != null) {
        try (InputStream in = Channels.newInputStream(
            FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
          String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          try {
            fromFile = PreprocessingArtifact.fromJson(json);
          } catch (PreprocessingArtifactException e) {
            throw new PreprocessingArtifactException(path + ": " + e.getMessage(), e);
          }
        }
      }
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext context, MultiOutputReceiver out) {
      PreprocessingArtifact artifact = view != null ? context.sideInput(view) : fromFile;
      Schema schema = row.getSchema();
      if (artifact != checkedArtifact || (schema != checkedSchema && !schema.equals(checkedSchema))) {
        artifact.checkCompatible(schema);
        checkedArtifact = artifact;
        checkedSchema = schema;
      }
      FeatureVector features;
      try {
        features = artifact.encode(row);
      } catch (IllegalArgumentException e) {
        deadLetters.inc();
        Object id = row.getSchema().hasField(artifact.columnSpec().idColumn())
            ? row.getValue(artifact.columnSpec().idColumn()) : null;
        out.get(DEAD_LETTERS).output(DeadLetter.of("ApplyPreprocessing",
            id == null ? "" : "record " + id, e.getMessage(), row.toString()));
        return;
      }
      encoded.inc();
      if (!features.unseenCategories().isEmpty()) {
        withUnseen.inc();
      }
      if (!features.outOfRangeColumns().isEmpty()) {
        outOfRange.inc();
      }
      out.get(FEATURES).output(features);
    }
  }
}
