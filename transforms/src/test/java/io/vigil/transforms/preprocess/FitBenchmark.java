package io.vigil.transforms.preprocess;

import io.vigil.transforms.EmbeddedFlink;
import io.vigil.transforms.csv.ReadClinicalCsv;
import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.Diabetes130;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.Row;

/**
 * Times fitting the preprocessing on the full diabetes file (101,766 rows); prints figures, asserts nothing. Run as a
 * main class (see the transforms README for the command):
 *
 * <ol>
 *   <li>on embedded Flink (parallelism as given, default 2), after one untimed warm-up run: reading the zip and
 *       counting the records, then reading and fitting, twice; the difference is what fitting adds to a pipeline
 *       that reads anyway;</li>
 *   <li>in one thread, on rows already in memory: the combiner alone ({@link FitPreprocessing#fitInMemory}), and the
 *       encoding of every row with the fitted artifact, for the seed recipe, the recommended one, and the recommended
 *       one with {@code QUANTILE_NORMAL} scaling;</li>
 *   <li>in one thread, the value distribution that quantile scaling collects, beyond its exact regime: adding
 *       1,000,000 distinct lognormal values.</li>
 * </ol>
 */
public final class FitBenchmark {
  private FitBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path shared = Path.of(System.getProperty("vigil.shared.dir", "../shared"));
    int parallelism = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Path zip = shared.resolve("data/diabetes130/dataset_diabetes.zip");
    String source = zip + "!dataset_diabetes/diabetic_data.csv";

    List<Row> rows = parseInMemory(zip);
    System.out.printf("rows in memory: %,d%n", rows.size());
    Map<String, PreprocessingOptions> recipes = new LinkedHashMap<>();
    recipes.put("seed", PreprocessingOptions.seed());
    recipes.put("recommended", PreprocessingOptions.recommended());
    recipes.put("recommended+quantile", PreprocessingOptions.recommended()
        .withNumericScaling(PreprocessingOptions.NumericScaling.QUANTILE_NORMAL));
    for (Map.Entry<String, PreprocessingOptions> recipe : recipes.entrySet()) {
      String name = recipe.getKey();
      PreprocessingOptions options = recipe.getValue();
      PreprocessingArtifact artifact = null;
      double[] fitSeconds = new double[7];
      for (int run = 0; run < fitSeconds.length; run++) {
        long start = System.nanoTime();
        artifact = FitPreprocessing.fitInMemory(Diabetes130.SPEC, options, rows);
        fitSeconds[run] = (System.nanoTime() - start) / 1e9;
      }
      long start = System.nanoTime();
      double checksum = 0;
      for (Row row : rows) {
        checksum += artifact.encode(row).values()[0];
      }
      double encodeSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("in memory, one thread, %s (width %,d): fit median %.3f s (runs 3-7 of 7, min %.3f s); "
              + "encode %,.0f rows/s (checksum %.1f)%n", name, artifact.width(), median(fitSeconds, 2),
          Arrays.stream(fitSeconds).skip(2).min().orElseThrow(), rows.size() / encodeSeconds, checksum);
    }

    Random random = new Random(1);
    double[] lognormal = new double[1_000_000];
    for (int i = 0; i < lognormal.length; i++) {
      lognormal[i] = Math.exp(2 * random.nextGaussian());
    }
    double[] sketchSeconds = new double[5];
    ValueDistribution distribution = null;
    for (int run = 0; run < sketchSeconds.length; run++) {
      long sketchStart = System.nanoTime();
      distribution = new ValueDistribution();
      for (double value : lognormal) {
        distribution.add(value);
      }
      distribution.size();
      sketchSeconds[run] = (System.nanoTime() - sketchStart) / 1e9;
    }
    double[] sorted = lognormal.clone();
    Arrays.sort(sorted);
    List<PreprocessingArtifact.QuantileKnot> knots = distribution.quantileKnots(PreprocessingArtifact.QUANTILE_KNOTS);
    double worstKnot = knots.stream().mapToDouble(knot -> Math.abs(knot.probability()
        - ValueDistributionTest.midRankProbability(sorted, knot.value()))).max().orElseThrow();
    System.out.printf("in memory, one thread: value distribution of 1,000,000 distinct lognormal values (sketch): "
        + "median %.2f s (runs 2-5 of 5, min %.2f s); %d knots, the worst %.2e from its exact mid-rank probability%n",
        median(sketchSeconds, 1), Arrays.stream(sketchSeconds).skip(1).min().orElseThrow(), knots.size(), worstKnot);

    java.util.function.Consumer<Pipeline> readAndCount = pipeline ->
        pipeline.apply(ReadClinicalCsv.from(source)).records().apply(Count.globally());
    java.util.function.Consumer<Pipeline> readAndFit = pipeline ->
        pipeline.apply(ReadClinicalCsv.from(source)).records()
            .apply(FitPreprocessing.of(Diabetes130.SPEC).withOptions(PreprocessingOptions.seed()));
    double[] warmUp = runOnFlink(parallelism, readAndCount);
    System.out.printf("embedded Flink, parallelism %d: warm-up read+count %.1f s (not counted)%n", parallelism,
        warmUp[0]);
    for (int round = 1; round <= 2; round++) {
      double[] read = runOnFlink(parallelism, readAndCount);
      double[] readFit = runOnFlink(parallelism, readAndFit);
      System.out.printf("embedded Flink, parallelism %d, round %d: read+count %.1f s wall / %.1f s CPU, read+fit "
          + "%.1f s wall / %.1f s CPU; fit adds %.1f s wall, %.1f s CPU (each includes starting the embedded "
          + "cluster)%n", parallelism, round, read[0], read[1], readFit[0], readFit[1], readFit[0] - read[0],
          readFit[1] - read[1]);
    }
  }

  /** Wall-clock and process CPU seconds of one run; CPU time is the steadier figure on a shared machine. */
  private static double[] runOnFlink(int parallelism, java.util.function.Consumer<Pipeline> build) {
    Pipeline pipeline = Pipeline.create(EmbeddedFlink.options(parallelism));
    build.accept(pipeline);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    pipeline.run().waitUntilFinish();
    return new double[] {(System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpuStart) / 1e9};
  }

  private static double median(double[] values, int skip) {
    double[] kept = Arrays.stream(values).skip(skip).sorted().toArray();
    return kept[kept.length / 2];
  }

  /** The full file as rows, split on commas (the file quotes no field) so that parsing is not what is timed. */
  private static List<Row> parseInMemory(Path zip) throws IOException {
    ColumnSpec spec = Diabetes130.SPEC;
    List<Row> rows = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (!entry.getName().equals("dataset_diabetes/diabetic_data.csv")) {
          continue;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        reader.readLine();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          String[] fields = line.split(",", -1);
          Object[] values = new Object[fields.length];
          for (int i = 0; i < fields.length; i++) {
            boolean numeric = spec.columns().get(i).kind() == ColumnKind.NUMERIC;
            values[i] = fields[i].equals("?") ? null : numeric ? (Object) Double.valueOf(fields[i]) : fields[i];
          }
          rows.add(Row.withSchema(spec.schema()).addValues(values).build());
        }
      }
    }
    return rows;
  }
}
