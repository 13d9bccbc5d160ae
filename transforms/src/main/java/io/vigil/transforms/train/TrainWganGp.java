package io.vigil.transforms.train;

import com.google.auto.value.AutoValue;
import io.vigil.models.CriticScorer;
import io.vigil.models.EpochProgress;
import io.vigil.models.FeatureMatrix;
import io.vigil.models.ModelBundle;
import io.vigil.models.WganGpConfig;
import io.vigil.models.WganGpTrainer;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.threshold.ThresholdRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the WGAN-GP on the training vectors, on one worker, and writes the model bundle: training vectors in (the
 * input), validation vectors and the preprocessing artifact alongside, one {@link TrainedModel} out.
 *
 * <p>The bundle carries, as attachments ({@link BundleAttachments}), the preprocessing artifact, the critic's scores
 * of the validation vectors and the threshold the {@link ThresholdRule} (default: the notebook's 1st percentile)
 * takes from them, plus the given run properties (how the data was split). The bundle's fingerprint covers them.
 *
 * <p>Gathering: training and validation vectors, each tagged with its split, meet at one key through one
 * {@code GroupByKey}, and the worker reads the group exactly once, copying each vector into a growing row-major float
 * matrix for the model. A single pass matters: runners need not make a large group re-iterable (Flink's batch
 * group-by result is not, beyond Beam's 10,000-element cache, unless {@code --reIterableGroupByKeyResult}). The peak
 * is the matrix while it grows, at most about 12 × width bytes per row (doubling, then trimming): at width 238 (the
 * CLI's recommended preset) about 2.9 GB per million rows, at the notebook's 1,540 about 18.5 GB. The bundle
 * directory must be on a filesystem the training worker can write and the scoring workers can read (any local path
 * on embedded Flink).
 *
 * <p>Progress is logged after every epoch and exported as Beam gauges in namespace {@code TrainWganGp}: {@code epoch},
 * {@code epochs}, {@code elapsedMillis}, {@code estimatedRemainingMillis}, and the epoch's mean losses in millionths
 * ({@code criticLossMicros}, {@code generatorLossMicros}, {@code gradientPenaltyMicros}), gauges being integers.
 * Training runs on the device the configuration names ({@code auto}: the GPU when present).
 */
@AutoValue
public abstract class TrainWganGp extends PTransform<PCollection<FeatureVector>, PCollection<TrainedModel>> {
  private static final long serialVersionUID = 1L;

  abstract WganGpConfig config();

  abstract @Nullable String bundleDirectory();

  abstract @Nullable PCollection<FeatureVector> validation();

  abstract @Nullable PCollectionView<PreprocessingArtifact> artifact();

  abstract ThresholdRule thresholdRule();

  abstract Map<String, String> runProperties();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConfig(WganGpConfig config);

    abstract Builder setBundleDirectory(String directory);

    abstract Builder setValidation(PCollection<FeatureVector> validation);

    abstract Builder setArtifact(PCollectionView<PreprocessingArtifact> artifact);

    abstract Builder setThresholdRule(ThresholdRule rule);

    abstract Builder setRunProperties(Map<String, String> properties);

    abstract TrainWganGp build();
  }

  public static TrainWganGp withConfig(WganGpConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("WGAN-GP configuration must not be null");
    }
    return new AutoValue_TrainWganGp.Builder().setConfig(config).setThresholdRule(ThresholdRule.notebookDefault())
        .setRunProperties(Map.of()).build();
  }

  /** Where the bundle is written (a directory; created, and replaced if it holds an older bundle). */
  public TrainWganGp toBundleDirectory(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("bundle directory must not be blank");
    }
    return toBuilder().setBundleDirectory(directory).build();
  }

  /** The validation vectors, scored by the trained critic to set the threshold. */
  public TrainWganGp withValidation(PCollection<FeatureVector> validation) {
    if (validation == null) {
      throw new IllegalArgumentException("validation vectors must not be null");
    }
    return toBuilder().setValidation(validation).build();
  }

  /** The fitted preprocessing the vectors came through; saved in the bundle so scoring encodes the same way. */
  public TrainWganGp withArtifact(PCollectionView<PreprocessingArtifact> artifact) {
    if (artifact == null) {
      throw new IllegalArgumentException("preprocessing artifact view must not be null");
    }
    return toBuilder().setArtifact(artifact).build();
  }

  public TrainWganGp withThresholdRule(ThresholdRule rule) {
    if (rule == null) {
      throw new IllegalArgumentException("threshold rule must not be null");
    }
    return toBuilder().setThresholdRule(rule).build();
  }

  /** Facts about the run to keep in the bundle ({@link BundleAttachments#TRAINING_RUN}), e.g. the split seed. */
  public TrainWganGp withRunProperties(Map<String, String> properties) {
    return toBuilder().setRunProperties(Map.copyOf(properties)).build();
  }

  @Override
  public PCollection<TrainedModel> expand(PCollection<FeatureVector> training) {
    if (bundleDirectory() == null) {
      throw new IllegalStateException("TrainWganGp needs toBundleDirectory(dir)");
    }
    if (validation() == null) {
      throw new IllegalStateException("TrainWganGp needs withValidation(vectors) to set the threshold");
    }
    if (artifact() == null) {
      throw new IllegalStateException("TrainWganGp needs withArtifact(view) to save the preprocessing with the model");
    }
    Coder<KV<Integer, KV<Boolean, FeatureVector>>> tagged =
        KvCoder.of(VarIntCoder.of(), KvCoder.of(BooleanCoder.of(), FeatureVector.Coder.of()));
    PCollection<KV<Integer, Iterable<KV<Boolean, FeatureVector>>>> gathered = PCollectionList
        .of(training.apply("TagTraining", tagSplit(false)).setCoder(tagged))
        .and(validation().apply("TagValidation", tagSplit(true)).setCoder(tagged))
        .apply("BothSplits", Flatten.pCollections())
        .apply("GatherOnOneWorker", GroupByKey.create());
    return gathered.apply("Train", ParDo.of(new TrainFn(config(), bundleDirectory(), artifact(), thresholdRule(),
        runProperties())).withSideInputs(artifact()));
  }

  /** Keys every vector to the one training worker, with whether it is a validation vector. */
  private static MapElements<FeatureVector, KV<Integer, KV<Boolean, FeatureVector>>> tagSplit(boolean isValidation) {
    return MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
            TypeDescriptors.kvs(TypeDescriptors.booleans(), TypeDescriptor.of(FeatureVector.class))))
        .via(vector -> KV.of(0, KV.of(isValidation, vector)));
  }

  static final class TrainFn extends DoFn<KV<Integer, Iterable<KV<Boolean, FeatureVector>>>, TrainedModel> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainWganGp.class);
    private final Gauge epoch = Metrics.gauge(TrainWganGp.class, "epoch");
    private final Gauge epochs = Metrics.gauge(TrainWganGp.class, "epochs");
    private final Gauge elapsed = Metrics.gauge(TrainWganGp.class, "elapsedMillis");
    private final Gauge remaining = Metrics.gauge(TrainWganGp.class, "estimatedRemainingMillis");
    private final Gauge criticLoss = Metrics.gauge(TrainWganGp.class, "criticLossMicros");
    private final Gauge generatorLoss = Metrics.gauge(TrainWganGp.class, "generatorLossMicros");
    private final Gauge gradientPenalty = Metrics.gauge(TrainWganGp.class, "gradientPenaltyMicros");
    private final WganGpConfig config;
    private final String bundleDirectory;
    private final PCollectionView<PreprocessingArtifact> artifactView;
    private final ThresholdRule rule;
    private final Map<String, String> runProperties;

    TrainFn(WganGpConfig config, String bundleDirectory, PCollectionView<PreprocessingArtifact> artifactView,
        ThresholdRule rule, Map<String, String> runProperties) {
      this.config = config;
      this.bundleDirectory = bundleDirectory;
      this.artifactView = artifactView;
      this.rule = rule;
      this.runProperties = runProperties;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<Boolean, FeatureVector>>> gathered, ProcessContext context) {
      PreprocessingArtifact artifact = context.sideInput(artifactView);
      MatrixBuilder trainingRows = new MatrixBuilder(artifact.width(), "training");
      MatrixBuilder validationRows = new MatrixBuilder(artifact.width(), "validation");
      for (KV<Boolean, FeatureVector> vector : gathered.getValue()) {
        (vector.getKey() ? validationRows : trainingRows).add(vector.getValue());
      }
      FeatureMatrix training = trainingRows.build();
      FeatureMatrix validation = validationRows.build();
      if (training.rows() < config.batchSize()) {
        throw new IllegalArgumentException("only " + training.rows() + " training rows, fewer than one batch of "
            + config.batchSize());
      }
      LOG.info("Training the WGAN-GP on {} rows x {} features ({} validation rows), {} epochs, engine {}, device {}",
          training.rows(), training.cols(), validation.rows(), config.epochs(), config.engine(), config.device());
      ModelBundle bundle = WganGpTrainer.train(config, training, this::report);

      double[] validationScores = new double[validation.rows()];
      if (validation.rows() > 0) {
        try (CriticScorer scorer = CriticScorer.open(bundle, config.device())) {
          float[] scores = scorer.score(validation);
          for (int i = 0; i < scores.length; i++) {
            validationScores[i] = scores[i];
          }
        }
      }
      double threshold = rule.thresholdFor(validationScores);
      Properties thresholdProperties = new Properties();
      thresholdProperties.setProperty("rule", rule.toString());
      thresholdProperties.setProperty("threshold", Double.toString(threshold));
      Properties run = new Properties();
      run.putAll(runProperties);
      run.setProperty("trainingRows", Integer.toString(training.rows()));
      run.setProperty("validationRows", Integer.toString(validation.rows()));
      bundle = bundle
          .withAttachment(BundleAttachments.PREPROCESSING_ARTIFACT, artifact.toJson().getBytes(StandardCharsets.UTF_8))
          .withAttachment(BundleAttachments.VALIDATION_SCORES, BundleAttachments.encodeScores(validationScores))
          .withAttachment(BundleAttachments.THRESHOLD, BundleAttachments.encodeProperties(thresholdProperties))
          .withAttachment(BundleAttachments.TRAINING_RUN, BundleAttachments.encodeProperties(run));
      Path directory = Paths.get(bundleDirectory);
      bundle.save(directory);
      LOG.info("Model bundle {} written to {}; threshold {} ({})", bundle.fingerprint(), directory, threshold, rule);
      context.output(TrainedModel.of(bundleDirectory, bundle.fingerprint(), threshold, training.rows(),
          validation.rows()));
    }

    private void report(EpochProgress progress) {
      epoch.set(progress.epoch());
      epochs.set(progress.epochs());
      elapsed.set(progress.elapsedMillis());
      remaining.set(progress.estimatedRemainingMillis());
      criticLoss.set(Math.round(progress.criticLoss() * 1e6));
      generatorLoss.set(Math.round(progress.generatorLoss() * 1e6));
      gradientPenalty.set(Math.round(progress.gradientPenalty() * 1e6));
      LOG.info("epoch {}/{}: critic loss {}, generator loss {}, gradient penalty {}; {} s elapsed, about {} s to go",
          progress.epoch(), progress.epochs(), String.format(Locale.ROOT, "%.4f", progress.criticLoss()),
          String.format(Locale.ROOT, "%.4f", progress.generatorLoss()),
          String.format(Locale.ROOT, "%.4f", progress.gradientPenalty()),
          progress.elapsedMillis() / 1000, progress.estimatedRemainingMillis() / 1000);
    }

    /** Copies vectors, read once, into a row-major matrix that doubles as it fills and is trimmed at the end. */
    private static final class MatrixBuilder {
      private final int width;
      private final String split;
      private float[] data;
      private int rows;

      MatrixBuilder(int width, String split) {
        this.width = width;
        this.split = split;
        this.data = new float[Math.multiplyExact(1024, width)];
      }

      void add(FeatureVector vector) {
        if (vector.width() != width) {
          throw new IllegalArgumentException(split + " record " + vector.id() + " has " + vector.width()
              + " features, the preprocessing artifact gives " + width);
        }
        if ((long) (rows + 1) * width > data.length) {
          data = Arrays.copyOf(data, Math.multiplyExact(Math.multiplyExact(rows, 2), width));
        }
        System.arraycopy(vector.values(), 0, data, rows++ * width, width);
      }

      FeatureMatrix build() {
        return new FeatureMatrix(rows, width, Arrays.copyOf(data, rows * width));
      }
    }
  }
}
