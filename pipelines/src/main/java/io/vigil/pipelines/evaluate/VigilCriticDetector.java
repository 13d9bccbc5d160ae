package io.vigil.pipelines.evaluate;

import io.vigil.models.ModelBundle;
import io.vigil.models.WganGpConfig;
import io.vigil.transforms.preprocess.ApplyPreprocessing;
import io.vigil.transforms.preprocess.FitPreprocessing;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.preprocess.PreprocessingOptions;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.score.CriticScore;
import io.vigil.transforms.score.ScoreWithCritic;
import io.vigil.transforms.train.BundleAttachments;
import io.vigil.transforms.train.TrainWganGp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * Vigil itself under evaluation, through the product's transforms on a Beam runner: {@link FitPreprocessing} and
 * {@link ApplyPreprocessing} on the training rows, {@link TrainWganGp} (the training rows double as its validation
 * set: the threshold is not used, only the ranking), then, in a second pipeline once the bundle exists,
 * {@link ApplyPreprocessing} with the bundle's artifact and {@link ScoreWithCritic} on the test rows.
 *
 * <p>The critic gives higher scores to records like the training data. One fit is read two ways, reported as two
 * methods: {@code <name>} ranks by the negated critic score (the notebook's rule: low = anomalous) and
 * {@code <name>-unusual} by the distance from the median critic score of the training rows (unusually low or high:
 * a WGAN's critic also rates high the real regions its generator fails to cover, where rare records live). With
 * several critics per fit (an ensemble over training seeds, same training rows), each critic's scores are divided by
 * the standard deviation of its training rows' scores and averaged: a GAN's critic varies a lot from seed to seed.
 */
public final class VigilCriticDetector implements AnomalyDetector {
  /** Seeds of the critics of one ensemble: the fit's seed, then steps of this (far from the next split's seed). */
  static final long ENSEMBLE_SEED_STRIDE = 1_000_003L;

  /**
   * The learning rate of {@link #untrained}: Adam moves each weight by about this much per step, far below the
   * resolution of a float32 weight of the size these networks are initialised with (about 1e-9 at 0.01), so no
   * trained weight changes.
   */
  static final double UNTRAINED_LEARNING_RATE = 1e-12;

  private final String name;
  private final EvaluationRunner runner;
  private final WganGpConfig model;
  private final PreprocessingOptions preprocessing;
  private final int maxTrainRows;
  private final int critics;
  private final Path workDirectory;

  private VigilCriticDetector(String name, EvaluationRunner runner, WganGpConfig model,
      PreprocessingOptions preprocessing, int maxTrainRows, int critics, Path workDirectory) {
    this.name = name;
    this.runner = runner;
    this.model = model;
    this.preprocessing = preprocessing;
    this.maxTrainRows = maxTrainRows;
    this.critics = critics;
    this.workDirectory = workDirectory;
  }

  /**
   * @param name the name in reports
   * @param maxTrainRows at most this many training rows (a seeded random subsample) train the model, to bound the
   *     training time on CPUs; 0 for all
   * @param critics how many critics (seeds) to train per fit; their standardised scores are averaged
   * @param workDirectory where the model bundles are written (one per fit, deleted once it has scored)
   */
  public static VigilCriticDetector of(String name, EvaluationRunner runner, WganGpConfig model,
      PreprocessingOptions preprocessing, int maxTrainRows, int critics, Path workDirectory) {
    if (maxTrainRows < 0) {
      throw new IllegalArgumentException("maxTrainRows must be 0 (all) or positive, got " + maxTrainRows);
    }
    if (critics < 1) {
      throw new IllegalArgumentException("need at least one critic, got " + critics);
    }
    return new VigilCriticDetector(name, runner, model, preprocessing, maxTrainRows, critics, workDirectory);
  }

  /**
   * The control for what the critic's training adds: {@code model} with a learning rate that leaves every trained
   * weight at its random initial value. Everything else runs as for {@code model} (the same pipeline, the same
   * number of steps, the spectral-norm power iterations, which only rescale each layer, the same reference rows), so
   * a scoring that ranks as well with this configuration as with {@code model} owes nothing to the training.
   */
  public static WganGpConfig untrained(WganGpConfig model) {
    return model.toBuilder().learningRate(UNTRAINED_LEARNING_RATE).build();
  }

  @Override
  public Map<String, double[]> fitAndScore(ColumnSpec spec, List<Row> train, List<Row> test, long seed) {
    double[] low = new double[test.size()];
    double[] unusual = new double[test.size()];
    for (int k = 0; k < critics; k++) {
      long modelSeed = seed + ENSEMBLE_SEED_STRIDE * k;
      Path bundleDirectory = newBundleDirectory();
      train(spec, trainingSample(train, seed), modelSeed, bundleDirectory);
      ModelBundle bundle = ModelBundle.load(bundleDirectory);
      Map<String, Double> critic = score(spec, test, bundle, bundleDirectory);
      deleteRecursively(bundleDirectory);
      // each critic's scale is arbitrary: standardise by its training rows' scores before averaging
      double[] reference = BundleAttachments.validationScores(bundle);
      double median = median(reference);
      double spread = standardDeviation(reference);
      for (int i = 0; i < low.length; i++) {
        String id = String.valueOf((Object) test.get(i).getValue(spec.idColumn()));
        Double value = critic.get(id);
        if (value == null) {
          throw new IllegalStateException("record " + id + " got no critic score");
        }
        low[i] -= value / spread / critics;
        unusual[i] += Math.abs(value - median) / spread / critics;
      }
    }
    Map<String, double[]> scores = new LinkedHashMap<>();
    scores.put(name, low);
    scores.put(name + "-unusual", unusual);
    return scores;
  }

  private void train(ColumnSpec spec, List<Row> train, long seed, Path bundleDirectory) {
    Pipeline pipeline = runner.newPipeline();
    PCollection<Row> rows = pipeline.apply("TrainingRows", Create.of(train).withRowSchema(spec.schema()));
    PCollectionView<PreprocessingArtifact> artifact = rows
        .apply("FitPreprocessing", FitPreprocessing.of(spec).withOptions(preprocessing))
        .apply("ArtifactView", View.asSingleton());
    ApplyPreprocessing.Result encoded = rows.apply("Encode", ApplyPreprocessing.withArtifact(artifact));
    LocalCollector<DeadLetter> rejected = LocalCollector.create();
    encoded.deadLetters().apply("CollectDeadLetters", rejected.sink());
    encoded.features().apply("TrainWganGp", TrainWganGp.withConfig(model.toBuilder().seed(seed).build())
        .toBundleDirectory(bundleDirectory.toString())
        .withValidation(encoded.features())
        .withArtifact(artifact)
        .withRunProperties(Map.of("seed", Long.toString(seed), "purpose", "evaluation")));
    runner.run(pipeline);
    requireNone(rejected.drain(), "training");
  }

  private Map<String, Double> score(ColumnSpec spec, List<Row> test, ModelBundle bundle, Path bundleDirectory) {
    Pipeline pipeline = runner.newPipeline();
    PCollectionView<PreprocessingArtifact> artifact = pipeline
        .apply("Artifact", Create.of(BundleAttachments.artifact(bundle)).withCoder(PreprocessingArtifact.Coder.of()))
        .apply("ArtifactView", View.asSingleton());
    ApplyPreprocessing.Result encoded = pipeline.apply("TestRows", Create.of(test).withRowSchema(spec.schema()))
        .apply("Encode", ApplyPreprocessing.withArtifact(artifact));
    LocalCollector<CriticScore> scores = LocalCollector.create();
    LocalCollector<DeadLetter> rejected = LocalCollector.create();
    encoded.features()
        .apply("Score", ScoreWithCritic.fromBundle(bundleDirectory.toString()).withExplanationColumns(0)
            .withDevice(bundle.config().device()))
        .apply("CollectScores", scores.sink());
    encoded.deadLetters().apply("CollectDeadLetters", rejected.sink());
    runner.run(pipeline);
    requireNone(rejected.drain(), "test");
    Map<String, Double> byId = new HashMap<>();
    for (CriticScore score : scores.drain()) {
      byId.put(score.recordId(), score.score());
    }
    return byId;
  }

  private static void requireNone(List<DeadLetter> deadLetters, String part) {
    if (!deadLetters.isEmpty()) {
      throw new IllegalStateException(deadLetters.size() + " " + part + " records could not be encoded, e.g. "
          + deadLetters.get(0));
    }
  }

  private List<Row> trainingSample(List<Row> train, long seed) {
    if (maxTrainRows == 0 || train.size() <= maxTrainRows) {
      return train;
    }
    List<Row> shuffled = new ArrayList<>(train);
    Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
    return shuffled.subList(0, maxTrainRows);
  }

  private Path newBundleDirectory() {
    try {
      Files.createDirectories(workDirectory);
      return Files.createTempDirectory(workDirectory, name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a bundle directory under " + workDirectory, e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the evaluation bundle " + directory, e);
    }
  }

  private static double standardDeviation(double[] values) {
    double mean = Arrays.stream(values).average().orElseThrow();
    double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
    double std = Math.sqrt(squares / values.length);
    return std > 0 ? std : 1.0;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
