package io.vigil.transforms.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.transforms.EmbeddedFlink;
import io.vigil.transforms.csv.CollectedOutput;
import io.vigil.transforms.csv.ReadClinicalCsv;
import io.vigil.transforms.preprocess.PreprocessingOptions.OovBuckets;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.FeatureVector;
import io.vigil.transforms.split.NotebookSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook's preprocessing on the real diabetes zip, through Beam on an embedded Flink cluster (parallelism 2),
 * checked against the widths the issue and the data README state, against values recomputed here from the CSV lines
 * with plain Java, against the per-column level counts in {@code onehot_levels_by_column.csv}, and against the
 * feature values the seed notebook prints for its first five sampled rows.
 */
class Diabetes130FlinkTest {
  static final Path DATA = Path.of(System.getProperty("vigil.shared.dir", "../shared"), "data", "diabetes130");
  static final String ENTRY = "dataset_diabetes/diabetic_data.csv";
  /** The recipe's "less meaningful" columns, dropped as features. */
  static final Set<String> RECIPE_DROPPED = Set.of("encounter_id", "patient_nbr", "admission_type_id",
      "discharge_disposition_id", "admission_source_id");

  @TempDir
  static Path dir;

  static List<String> lines;
  static String[] header;
  static List<String[]> rows;
  static int[] samplePositions;
  static Path planted;
  static List<Integer> plantedBadLineNumbers = new ArrayList<>();
  static PipelineResult result;

  @BeforeAll
  static void runPipelineOnFlink() throws IOException {
    lines = zipLines();
    header = lines.get(0).split(",", -1);
    rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(line.split(",", -1));
    }
    samplePositions = NotebookSample.of(10_000, 42).positions(rows.size());
    planted = writePlantedFile();

    Pipeline pipeline = Pipeline.create(EmbeddedFlink.options(2));
    String source = DATA.resolve("dataset_diabetes.zip") + "!" + ENTRY;

    PCollection<Row> sample = pipeline.apply("ReadSample", ReadClinicalCsv.from(source).withNotebookSample(10_000, 42))
        .records();
    PCollection<Row> full = pipeline.apply("ReadFull", ReadClinicalCsv.from(source)).records();
    PreprocessingOptions capped = PreprocessingOptions.seed().withMinFrequency(10)
        .withOovBuckets(OovBuckets.WHERE_CAPPED);
    PCollection<PreprocessingArtifact> sampleSeed = fitAndSave(sample, PreprocessingOptions.seed(), "sample-seed");
    PCollection<PreprocessingArtifact> sampleCapped = fitAndSave(sample, capped, "sample-capped");
    fitAndSave(full, PreprocessingOptions.seed(), "full-seed");
    fitAndSave(full, capped, "full-capped");

    Set<String> firstSampledIds = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      firstSampledIds.add(rows.get(samplePositions[i])[0]);
    }
    PCollectionView<PreprocessingArtifact> seedView = sampleSeed.apply("SeedView", View.asSingleton());
    CollectedOutput.writeTo(sample
        .apply("EncodeSample", ApplyPreprocessing.withArtifact(seedView)).features()
        .apply("FirstSampled", Filter.by(features -> firstSampledIds.contains(features.id())))
        .apply("ShowFirstSampled", MapElements.into(TypeDescriptors.strings()).via(Diabetes130FlinkTest::show)),
        dir, "first-sampled");
    PCollectionView<PreprocessingArtifact> cappedView = sampleCapped.apply("CappedView", View.asSingleton());
    CollectedOutput.writeTo(full
        .apply("EncodeFullWithSampleVocabulary", ApplyPreprocessing.withArtifact(cappedView)).features()
        .apply("WithUnseen", Filter.by(features -> !features.unseenCategories().isEmpty()))
        .apply("UnseenIds", MapElements.into(TypeDescriptors.strings())
            .via(features -> features.id() + "|" + String.join(";", features.unseenCategories()))),
        dir, "unseen");

    ReadClinicalCsv.Result plantedRead = pipeline.apply("ReadPlanted",
        ReadClinicalCsv.from(planted.toString()).withDesiredSplitBytes(256 << 10));
    CollectedOutput.writeTo(plantedRead.deadLetters().apply("ShowDeadLetters", MapElements
        .into(TypeDescriptors.strings()).via((DeadLetter d) -> d.location() + "|" + d.reason())), dir, "dead");

    result = pipeline.run();
    result.waitUntilFinish();
  }

  private static PCollection<PreprocessingArtifact> fitAndSave(PCollection<Row> records,
      PreprocessingOptions options, String name) {
    PCollection<PreprocessingArtifact> artifact = records.apply("Fit-" + name,
        FitPreprocessing.of(io.vigil.transforms.records.Diabetes130.SPEC).withOptions(options));
    artifact.apply("Save-" + name, ParDo.of(new SaveFn(dir.resolve(name + ".json").toString())));
    return artifact;
  }

  static final class SaveFn extends DoFn<PreprocessingArtifact, Void> {
    private final String path;

    SaveFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element PreprocessingArtifact artifact) {
      artifact.save(Path.of(path));
    }
  }

  private static String show(FeatureVector features) {
    StringBuilder text = new StringBuilder(features.id());
    for (float value : features.values()) {
      text.append('|').append(value);
    }
    return text.toString();
  }

  private static List<String> zipLines() throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(DATA.resolve("dataset_diabetes.zip")))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (entry.getName().equals(ENTRY)) {
          return new BufferedReader(new InputStreamReader(zip, StandardCharsets.UTF_8)).lines().toList();
        }
      }
    }
    throw new IllegalStateException("no " + ENTRY);
  }

  /** The header and the first 4,000 rows, with four bad rows and a blank line planted in between. */
  private static Path writePlantedFile() throws IOException {
    List<String> out = new ArrayList<>(lines.subList(0, 4001));
    String good = lines.get(7);
    String[] fields = good.split(",", -1);
    String[] notANumber = fields.clone();
    notANumber[12] = "forty";
    String[] noId = fields.clone();
    noId[0] = "?";
    out.add(101, String.join(",", Arrays.copyOf(fields, 49)));
    out.add(1500, String.join(",", notANumber));
    out.add(2500, "");
    out.add(3000, String.join(",", noId));
    out.add(3990, good + ",extra");
    for (int i = 0; i < out.size(); i++) {
      String line = out.get(i);
      if (i > 0 && !line.isEmpty() && line.split(",", -1).length == 50 && !line.contains("forty")
          && !line.startsWith("?,")) {
        continue;
      }
      if (i > 0 && !line.isEmpty()) {
        plantedBadLineNumbers.add(i + 1);
      }
    }
    Path file = dir.resolve("planted.csv");
    Files.writeString(file, String.join("\r\n", out) + "\r\n", StandardCharsets.UTF_8);
    return file;
  }

  private static long counter(String step, String name) {
    long total = 0;
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder().addStep(step)
        .addNameFilter(MetricNameFilter.named(ReadClinicalCsv.class, name)).build()).getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  private static PreprocessingArtifact artifact(String name) {
    return PreprocessingArtifact.load(dir.resolve(name + ".json"));
  }

  /** The notebook's columns: numeric = all values integers, minus the recipe's dropped ones; categorical = the rest. */
  private static boolean isNumeric(int column) {
    for (String[] row : rows) {
      if (!row[column].matches("-?\\d+")) {
        return false;
      }
    }
    return true;
  }

  /** The feature names pandas produces for these rows, built here from the raw lines. */
  private static List<String> expectedFeatureNames(List<String[]> data) {
    List<String> numeric = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Map<String, TreeSet<String>> levels = new TreeMap<>();
    int keepThreshold = (int) (0.1 * data.size());
    List<String> categorical = new ArrayList<>();
    for (int c = 0; c < header.length; c++) {
      String column = header[c];
      int finalC = c;
      long present = data.stream().filter(row -> !row[finalC].equals("?")).count();
      if (RECIPE_DROPPED.contains(column) || present < keepThreshold) {
        continue;
      }
      if (isNumeric(c)) {
        numeric.add(column);
      } else {
        categorical.add(column);
        TreeSet<String> values = new TreeSet<>();
        data.forEach(row -> values.add(row[finalC].equals("?") ? "missing" : row[finalC]));
        levels.put(column, values);
      }
    }
    names.addAll(numeric);
    numeric.forEach(column -> names.add(column + "_missing"));
    for (String column : categorical) {
      levels.get(column).forEach(level -> names.add(column + "_" + level));
    }
    return names;
  }

  private List<String[]> sampleRows() {
    List<String[]> sample = new ArrayList<>();
    for (int position : samplePositions) {
      sample.add(rows.get(position));
    }
    return sample;
  }

  @Test
  void reproducesTheNotebookWidthsAndFeatureNames() {
    assertThat(artifact("sample-seed").width()).isEqualTo(1540);
    assertThat(artifact("full-seed").width()).isEqualTo(2468);
    assertThat(artifact("sample-capped").width()).isEqualTo(574);
    assertThat(artifact("full-capped").width()).isEqualTo(1367);

    assertThat(artifact("sample-seed").featureNames()).containsExactlyElementsOf(expectedFeatureNames(sampleRows()));
    assertThat(artifact("full-seed").featureNames()).containsExactlyElementsOf(expectedFeatureNames(rows));
    assertThat(artifact("sample-seed").rowsFitted()).isEqualTo(10_000);
    assertThat(artifact("full-seed").droppedColumns()).extracting(PreprocessingArtifact.DroppedColumn::name)
        .containsExactly("encounter_id", "patient_nbr", "weight", "admission_type_id", "discharge_disposition_id",
            "admission_source_id");
  }

  /** {@code onehot_levels_by_column.csv}: data,col,onehot_levels,levels_ge10,levels_lt10,rows_in_rare_levels. */
  @Test
  void agreesWithTheDataReadmeLevelCountsColumnByColumn() throws IOException {
    List<String> table = Files.readAllLines(DATA.resolve("onehot_levels_by_column.csv"));
    Map<String, String> names = Map.of("sample10k", "sample", "full", "full");
    int checked = 0;
    for (String line : table.subList(1, table.size())) {
      String[] f = line.split(",");
      String data = names.get(f[0]);
      PreprocessingArtifact.CategoricalColumn seed = categorical(artifact(data + "-seed"), f[1]);
      PreprocessingArtifact.CategoricalColumn capped = categorical(artifact(data + "-capped"), f[1]);
      assertThat(seed.vocabulary()).as(line).hasSize(Integer.parseInt(f[2]));
      assertThat(capped.vocabulary()).as(line).hasSize(Integer.parseInt(f[3]));
      assertThat(capped.oovBucket()).as(line).isEqualTo(Integer.parseInt(f[4]) > 0);
      assertThat(capped.rowsOutOfVocabulary()).as(line).isEqualTo(Long.parseLong(f[5]));
      checked++;
    }
    assertThat(checked).isEqualTo(72);
  }

  private static PreprocessingArtifact.CategoricalColumn categorical(PreprocessingArtifact artifact, String name) {
    return artifact.categoricalColumns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void encodesTheFirstSampledRowsExactlyAsRecomputedFromTheCsv() {
    PreprocessingArtifact artifact = artifact("sample-seed");
    List<String[]> sample = sampleRows();
    Map<String, String[]> encoded = new HashMap<>();
    for (String line : CollectedOutput.read(dir, "first-sampled")) {
      String[] parts = line.split("\\|");
      encoded.put(parts[0], Arrays.copyOfRange(parts, 1, parts.length));
    }
    assertThat(encoded).hasSize(5);
    for (int i = 0; i < 5; i++) {
      String[] row = sample.get(i);
      Map<String, Float> expected = new HashMap<>();
      for (int c = 0; c < header.length; c++) {
        String name = header[c];
        if (!artifact.featureNames().contains(name)) {
          expected.put(name + "_" + (row[c].equals("?") ? "missing" : row[c]), 1f);
          continue;
        }
        int column = c;
        double min = sample.stream().mapToDouble(r -> Double.parseDouble(r[column])).min().orElseThrow();
        double max = sample.stream().mapToDouble(r -> Double.parseDouble(r[column])).max().orElseThrow();
        expected.put(name, (float) ((Double.parseDouble(row[c]) - min) / (max - min)));
      }
      String[] values = encoded.get(row[0]);
      assertThat(values).hasSize(1540);
      for (int k = 0; k < values.length; k++) {
        String feature = artifact.featureNames().get(k);
        assertThat(Float.parseFloat(values[k])).as(row[0] + " " + feature)
            .isEqualTo(expected.getOrDefault(feature, 0f));
      }
    }
  }

  /**
   * The seed notebook prints the first five sampled rows (index 35956, 60927, 79920, 50078, 44080): their eight
   * scaled numeric values to six decimals and their last ten one-hot features.
   */
  @Test
  void matchesTheValuesTheNotebookPrints() {
    double[][] numeric = {
        {0.769231, 0.536, 0.0, 0.279412, 0.00000, 0.0, 0.000000, 0.266667},
        {0.000000, 0.152, 0.0, 0.088235, 0.00000, 0.0, 0.000000, 0.466667},
        {0.230769, 0.160, 0.5, 0.323529, 0.02381, 0.0, 0.095238, 0.400000},
        {0.846154, 0.216, 0.0, 0.264706, 0.00000, 0.0, 0.047619, 0.400000},
        {0.000000, 0.160, 0.0, 0.073529, 0.00000, 0.0, 0.000000, 0.400000}};
    int[][] lastTen = {
        {1, 1, 1, 0, 1, 0, 1, 0, 0, 1},
        {1, 1, 1, 0, 1, 0, 1, 0, 0, 1},
        {1, 1, 1, 0, 1, 0, 1, 0, 0, 1},
        {1, 1, 1, 0, 1, 0, 1, 0, 1, 0},
        {1, 1, 1, 0, 1, 0, 1, 1, 0, 0}};
    PreprocessingArtifact artifact = artifact("sample-seed");
    assertThat(artifact.featureNames().subList(1530, 1540)).containsExactly("glimepiride-pioglitazone_No",
        "metformin-rosiglitazone_No", "metformin-pioglitazone_No", "change_Ch", "change_No", "diabetesMed_No",
        "diabetesMed_Yes", "readmitted_<30", "readmitted_>30", "readmitted_NO");
    Map<String, String> byId = new HashMap<>();
    CollectedOutput.read(dir, "first-sampled").forEach(line -> byId.put(line.substring(0, line.indexOf('|')), line));
    for (int i = 0; i < 5; i++) {
      String[] values = byId.get(rows.get(samplePositions[i])[0]).split("\\|");
      for (int k = 0; k < 8; k++) {
        assertThat(Double.parseDouble(values[1 + k])).isCloseTo(numeric[i][k], within(6e-7));
      }
      for (int k = 0; k < 10; k++) {
        assertThat(Float.parseFloat(values[1 + 1530 + k])).isEqualTo((float) lastTen[i][k]);
      }
    }
  }

  /** Rows of the full file whose categories the 10k sample's capped vocabulary lacks: counted here from the lines. */
  @Test
  void reportsCategoriesOutsideTheFittedVocabulary() {
    PreprocessingArtifact capped = artifact("sample-capped");
    Map<String, Map<String, Integer>> sampleCounts = new HashMap<>();
    List<String[]> sample = sampleRows();
    List<Integer> columns = new ArrayList<>();
    for (int c = 0; c < header.length; c++) {
      String column = header[c];
      if (capped.featureNames().stream().anyMatch(name -> name.startsWith(column + "_"))
          && !capped.featureNames().contains(column)) {
        columns.add(c);
      }
    }
    for (int c : columns) {
      Map<String, Integer> counts = new HashMap<>();
      for (String[] row : sample) {
        counts.merge(row[c].equals("?") ? "missing" : row[c], 1, Integer::sum);
      }
      sampleCounts.put(header[c], counts);
    }
    long expectedRows = rows.stream().filter(row -> columns.stream().anyMatch(c ->
        sampleCounts.get(header[c]).getOrDefault(row[c].equals("?") ? "missing" : row[c], 0) < 10)).count();

    List<String> unseen = CollectedOutput.read(dir, "unseen");
    assertThat(columns).hasSize(36);
    assertThat(unseen).hasSize((int) expectedRows);
    assertThat(expectedRows).isGreaterThan(0);
    String someRow = unseen.get(0);
    String id = someRow.substring(0, someRow.indexOf('|'));
    String[] raw = rows.stream().filter(row -> row[0].equals(id)).findFirst().orElseThrow();
    for (String report : someRow.substring(someRow.indexOf('|') + 1).split(";")) {
      String column = report.substring(0, report.indexOf('='));
      String value = raw[Arrays.asList(header).indexOf(column)];
      assertThat(report).isEqualTo(column + "=" + (value.equals("?") ? "missing" : value));
      assertThat(sampleCounts.get(column).getOrDefault(report.substring(report.indexOf('=') + 1), 0)).isLessThan(10);
    }
  }

  @Test
  void sendsPlantedBadRowsToTheDeadLettersWithTheirLineNumbers() {
    List<String> dead = CollectedOutput.read(dir, "dead");
    assertThat(plantedBadLineNumbers).hasSize(4);
    assertThat(dead).extracting(line -> line.substring(0, line.indexOf('|')))
        .containsExactlyInAnyOrderElementsOf(plantedBadLineNumbers.stream().map(n -> "line " + n).toList());
    assertThat(dead).anySatisfy(line -> assertThat(line).contains("expected 50 fields, found 49"))
        .anySatisfy(line -> assertThat(line).contains("expected 50 fields, found 51"))
        .anySatisfy(line -> assertThat(line).contains("column 'num_lab_procedures': 'forty' is not a finite number"))
        .anySatisfy(line -> assertThat(line).contains("identifier column 'encounter_id' is missing"));
    assertThat(counter("ReadPlanted", "dataRows")).isEqualTo(4004);
    assertThat(counter("ReadPlanted", "records")).isEqualTo(4000);
    assertThat(counter("ReadPlanted", "deadLetters")).isEqualTo(4);
    assertThat(counter("ReadPlanted", "blankLines")).isEqualTo(1);
    assertThat(counter("ReadSample", "records")).isEqualTo(10_000);
    assertThat(counter("ReadSample", "notSampled")).isEqualTo(101_766 - 10_000);
    assertThat(counter("ReadFull", "records")).isEqualTo(101_766);
  }
}
