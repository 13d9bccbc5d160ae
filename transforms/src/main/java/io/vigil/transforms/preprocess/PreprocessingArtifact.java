package io.vigil.transforms.preprocess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.FeatureVector;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectStreamException;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.math3.special.Erf;

/**
 * The learnt preprocessing: which columns become which features, with the fitted ranges, means and vocabularies. It
 * is fitted once ({@link FitPreprocessing}), saved next to the model, and applied unchanged wherever records are
 * scored: {@link #encode(Row)} is the one code path that turns a record into features, in batch, streaming,
 * evaluation and FHIR scoring alike.
 *
 * <p><b>Features, in order</b> (as the seed notebook's {@code pd.concat([df_num, df_cat], axis=1)} lays them out):
 * <ol>
 *   <li>each kept numeric column in source order, scaled as {@link PreprocessingOptions#numericScaling()} says:
 *       to [0, 1] by the fitted min/max ({@code MIN_MAX}), or to {@code Φ⁻¹(F(x)) / 4} through the column's fitted
 *       {@linkplain NumericColumn#knots() quantile knots} ({@code QUANTILE_NORMAL}); a missing value becomes the
 *       mean of the scaled column over the fitted values; a constant column (min = max) is 0; a value outside the
 *       fitted range is clipped to it (so to 0 or 1, or to the first or last knot) and the column named in
 *       {@link FeatureVector#outOfRangeColumns()};</li>
 *   <li>then, in the same order, {@code <column>_missing}: 1 if the value was missing;</li>
 *   <li>then each kept categorical column in source order, one feature {@code <column>_<level>} per vocabulary level,
 *       levels sorted as pandas' {@code get_dummies} sorts them (by UTF-16 code unit, i.e. {@link String#compareTo});
 *       a missing value is the level {@code missing}; then, if the column has one, the OOV feature
 *       {@code <column>_[OOV]}. A value outside the vocabulary sets the OOV feature if there is one, and is named
 *       ({@code column=value}) in {@link FeatureVector#unseenCategories()} either way.</li>
 * </ol>
 *
 * <p><b>File.</b> {@link #toJson()} is human-readable, versioned ({@link #FORMAT_VERSION}) JSON with a SHA-256
 * {@link #fingerprint()} of its canonical content; {@link #fromJson} rejects another format or version, missing or
 * inconsistent fields, and content that does not match the fingerprint. Version 1, written before numeric scaling was
 * an option, is still read, as {@code MIN_MAX}: its fingerprint is checked as version 1 computed it, and the artifact
 * read then has the fingerprint of its content in the current version (which {@link #toJson()} writes).
 */
@DefaultCoder(PreprocessingArtifact.Coder.class)
public final class PreprocessingArtifact implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String FORMAT = "vigil-preprocessing-artifact";
  public static final int FORMAT_VERSION = 2;
  /** The oldest format version {@link #fromJson} reads: its artifacts scale by min/max. */
  static final int OLDEST_READABLE_VERSION = 1;
  /** The most quantile knots per numeric column, as scikit-learn's {@code QuantileTransformer(n_quantiles=1000)}. */
  public static final int QUANTILE_KNOTS = 1_000;
  /**
   * {@code QUANTILE_NORMAL} divides the normal scores by this: ±2σ then spans a unit width, as min/max's [0, 1] does.
   * The critic is sensitive to its inputs' scale (spectral-normalised layers, LeakyReLU, LayerNorm): in a prototype of
   * the ADBench evaluation its standardised feature distance ranked anomalies at a mean AUCROC of 75.8 with unit
   * normal scores, 80.1, 80.7 and 80.4 with the scores divided by 2, 4 and 8.
   */
  public static final double NORMAL_SCORE_DIVISOR = 4.0;
  /**
   * {@code AUTO} scales a numeric column by its quantiles when its fitted interquartile range is under this fraction
   * of its fitted range. Under min/max such a column's middle half would span less than a tenth of [0, 1].
   */
  public static final double HEAVY_TAIL_IQR_FRACTION = 0.1;
  /** The level of the out-of-vocabulary feature: {@code <column>_[OOV]}. */
  public static final String OOV_LEVEL = "[OOV]";
  public static final String MISSING_INDICATOR_SUFFIX = "_missing";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double SQRT_2 = Math.sqrt(2);

  /**
   * A numeric feature column and what was fitted on it. {@code mean} is of the raw values; {@code scaledMean} is the
   * mean of the column's feature over the fitted present values, what a missing value becomes. {@code knots} are
   * empty with {@code MIN_MAX} scaling; with {@code QUANTILE_NORMAL} they are the fitted cumulative distribution,
   * strictly increasing in value and in probability, within [min, max].
   */
  public record NumericColumn(String name, long present, long missing, double min, double max, double mean,
      double scaledMean, List<QuantileKnot> knots) {
    public NumericColumn {
      knots = List.copyOf(knots);
      for (int k = 0; k < knots.size(); k++) {
        QuantileKnot knot = knots.get(k);
        if (!(knot.value() >= min && knot.value() <= max && knot.probability() > 0 && knot.probability() < 1)) {
          throw new PreprocessingArtifactException("column '" + name + "': quantile knot " + k + " " + knot
              + " must lie within the fitted range [" + min + ", " + max + "] with a probability in (0, 1)");
        }
        QuantileKnot previous = k > 0 ? knots.get(k - 1) : null;
        if (previous != null && !(knot.value() > previous.value() && knot.probability() > previous.probability())) {
          throw new PreprocessingArtifactException("column '" + name + "': quantile knots must increase in value "
              + "and in probability, but knot " + k + " " + knot + " follows knot " + (k - 1) + " " + previous);
        }
      }
    }
  }

  /**
   * A point of a numeric column's fitted cumulative distribution: the share of fitted values below {@code value},
   * counting the values equal to it as half below (the mid-rank), so tied values share one probability.
   */
  public record QuantileKnot(double value, double probability) {
    @Override
    public String toString() {
      return "(" + value + ", " + probability + ")";
    }
  }

  /**
   * A categorical feature column: its vocabulary (sorted) with the fitted count of each level, whether it has an OOV
   * feature, how many distinct levels the fitted data had, and how many fitted rows fell outside the vocabulary.
   */
  public record CategoricalColumn(String name, long missing, List<String> vocabulary, List<Long> counts,
      boolean oovBucket, long levelsSeen, long rowsOutOfVocabulary) {
    public CategoricalColumn {
      vocabulary = List.copyOf(vocabulary);
      counts = List.copyOf(counts);
      if (vocabulary.size() != counts.size()) {
        throw new PreprocessingArtifactException("column '" + name + "' has " + vocabulary.size() + " levels but "
            + counts.size() + " counts");
      }
    }
  }

  /** A source column that yields no feature, and why. */
  public record DroppedColumn(String name, String reason) {}

  private final ColumnSpec spec;
  private final PreprocessingOptions options;
  private final long rowsFitted;
  private final List<DroppedColumn> dropped;
  private final List<NumericColumn> numeric;
  private final List<CategoricalColumn> categorical;

  private final List<String> featureNames;
  private final String[] sourceColumnOfFeature;
  private final int[] categoricalOffset;
  private final List<Map<String, Integer>> levelIndex;
  private final String fingerprint;
  /** Field positions for the schema of the rows last encoded; replaced whole, so threads may share the artifact. */
  private transient volatile FieldIndex fieldIndex;

  /** Where the identifier, numeric and categorical columns sit in rows of one schema. */
  private record FieldIndex(Schema schema, int id, int[] numeric, int[] categorical) {}

  PreprocessingArtifact(ColumnSpec spec, PreprocessingOptions options, long rowsFitted, List<DroppedColumn> dropped,
      List<NumericColumn> numeric, List<CategoricalColumn> categorical) {
    this.spec = spec;
    this.options = options;
    this.rowsFitted = rowsFitted;
    this.dropped = List.copyOf(dropped);
    this.numeric = List.copyOf(numeric);
    this.categorical = List.copyOf(categorical);
    checkCoversSpec();
    checkScaling();
    List<String> names = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (NumericColumn column : numeric) {
      names.add(column.name());
      sources.add(column.name());
    }
    for (NumericColumn column : numeric) {
      names.add(column.name() + MISSING_INDICATOR_SUFFIX);
      sources.add(column.name());
    }
    categoricalOffset = new int[categorical.size()];
    levelIndex = new ArrayList<>(categorical.size());
    for (int c = 0; c < categorical.size(); c++) {
      CategoricalColumn column = categorical.get(c);
      categoricalOffset[c] = names.size();
      Map<String, Integer> index = new HashMap<>();
      for (String level : column.vocabulary()) {
        if (index.put(level, index.size()) != null) {
          throw new PreprocessingArtifactException("column '" + column.name() + "' lists level '" + level + "' twice");
        }
        names.add(column.name() + "_" + level);
        sources.add(column.name());
      }
      levelIndex.add(index);
      if (column.oovBucket()) {
        names.add(column.name() + "_" + OOV_LEVEL);
        sources.add(column.name());
      }
    }
    featureNames = List.copyOf(names);
    sourceColumnOfFeature = sources.toArray(new String[0]);
    fingerprint = sha256(canonicalContent().toString());
  }

  /** The artifact for the statistics of one pass: drops columns, builds vocabularies, derives the scaling. */
  static PreprocessingArtifact fit(ColumnSpec spec, PreprocessingOptions options, ColumnStatistics statistics) {
    if (statistics.rows == 0) {
      throw new IllegalStateException("cannot fit preprocessing on no records");
    }
    long minimumPresent = BigDecimal.ONE.subtract(BigDecimal.valueOf(options.maxMissingFraction()))
        .multiply(BigDecimal.valueOf(statistics.rows)).setScale(0, RoundingMode.FLOOR).longValueExact();
    Map<String, Integer> statisticsIndex = new HashMap<>();
    for (int i = 0; i < statistics.names.length; i++) {
      statisticsIndex.put(statistics.names[i], i);
    }
    List<DroppedColumn> dropped = new ArrayList<>();
    List<NumericColumn> numeric = new ArrayList<>();
    List<CategoricalColumn> categorical = new ArrayList<>();
    for (ColumnSpec.Column column : spec.columns()) {
      if (column.kind() == ColumnKind.IDENTIFIER) {
        dropped.add(new DroppedColumn(column.name(), "identifier: carried to the scores, never a feature"));
        continue;
      }
      if (column.kind() == ColumnKind.IGNORED) {
        dropped.add(new DroppedColumn(column.name(), "ignored by the column spec"));
        continue;
      }
      int i = statisticsIndex.get(column.name());
      long present = statistics.present[i];
      if (present < minimumPresent) {
        dropped.add(new DroppedColumn(column.name(), String.format(Locale.ROOT,
            "%.4f of values missing > %s (%d present < %d required)", statistics.missing[i] / (double) statistics.rows,
            options.maxMissingFraction(), present, minimumPresent)));
      } else if (column.kind() == ColumnKind.NUMERIC) {
        if (present == 0) {
          dropped.add(new DroppedColumn(column.name(), "no value present: nothing to scale by"));
          continue;
        }
        double min = statistics.min[i];
        double max = statistics.max[i];
        double mean = statistics.sum[i].divide(BigDecimal.valueOf(present), MathContext.DECIMAL64).doubleValue();
        ValueDistribution distribution = statistics.distributions[i];
        if (options.numericScaling().needsDistributions() && distribution == null) {
          throw new IllegalStateException("statistics of column '" + column.name() + "' lack the value "
              + "distribution that quantile scaling needs");
        }
        List<QuantileKnot> fitted = options.numericScaling().needsDistributions()
            ? distribution.quantileKnots(QUANTILE_KNOTS) : List.of();
        boolean quantile = switch (options.numericScaling()) {
          case MIN_MAX -> false;
          case QUANTILE_NORMAL -> true;
          case AUTO -> max > min
              && valueAt(fitted, 0.75) - valueAt(fitted, 0.25) < HEAVY_TAIL_IQR_FRACTION * (max - min);
        };
        List<QuantileKnot> knots = quantile ? fitted : List.of();
        double scaledMean = quantile ? distribution.meanOf(x -> quantileNormal(knots, present, x))
            : minMaxScaled(min, max, mean);
        numeric.add(new NumericColumn(column.name(), present, statistics.missing[i], min, max, mean, scaledMean,
            knots));
      } else {
        categorical.add(vocabulary(column.name(), statistics.missing[i], statistics.levelCounts.get(i), options));
      }
    }
    return new PreprocessingArtifact(spec, options, statistics.rows, dropped, numeric, categorical);
  }

  private static CategoricalColumn vocabulary(String name, long missing, Map<String, Long> levelCounts,
      PreprocessingOptions options) {
    List<Map.Entry<String, Long>> kept = new ArrayList<>();
    long rowsOutOfVocabulary = 0;
    for (Map.Entry<String, Long> entry : levelCounts.entrySet()) {
      if (entry.getValue() >= options.minFrequency()) {
        kept.add(entry);
      } else {
        rowsOutOfVocabulary += entry.getValue();
      }
    }
    if (options.topK() > 0 && kept.size() > options.topK()) {
      kept.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
      for (Map.Entry<String, Long> left : kept.subList(options.topK(), kept.size())) {
        rowsOutOfVocabulary += left.getValue();
      }
      kept = new ArrayList<>(kept.subList(0, options.topK()));
    }
    kept.sort(Map.Entry.comparingByKey());
    boolean capped = kept.size() < levelCounts.size();
    boolean oov = switch (options.oovBuckets()) {
      case NONE -> false;
      case WHERE_CAPPED -> capped;
      case EVERY_COLUMN -> true;
    };
    return new CategoricalColumn(name, missing, kept.stream().map(Map.Entry::getKey).toList(),
        kept.stream().map(Map.Entry::getValue).toList(), oov, levelCounts.size(), rowsOutOfVocabulary);
  }

  /** The number of features. */
  public int width() {
    return featureNames.size();
  }

  /** The feature names, in output order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The source column a feature comes from: {@code age} for {@code age_[40-50)}. */
  public String sourceColumnOf(int featureIndex) {
    if (featureIndex < 0 || featureIndex >= sourceColumnOfFeature.length) {
      throw new IndexOutOfBoundsException("feature " + featureIndex + " of " + sourceColumnOfFeature.length);
    }
    return sourceColumnOfFeature[featureIndex];
  }

  /** The layout of the records this artifact encodes. */
  public ColumnSpec columnSpec() {
    return spec;
  }

  public PreprocessingOptions options() {
    return options;
  }

  public long rowsFitted() {
    return rowsFitted;
  }

  public List<NumericColumn> numericColumns() {
    return numeric;
  }

  public List<CategoricalColumn> categoricalColumns() {
    return categorical;
  }

  public List<DroppedColumn> droppedColumns() {
    return dropped;
  }

  /** SHA-256 (lowercase hex) of the canonical JSON content: equal fingerprints, equal encodings. */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Throws a {@link PreprocessingArtifactException} naming the problem unless rows of {@code schema} can be encoded:
   * the identifier and every feature column must be present, numeric ones with a numeric type, others as strings.
   */
  public void checkCompatible(Schema schema) {
    List<String> problems = new ArrayList<>();
    checkField(schema, spec.idColumn(), false, problems);
    for (NumericColumn column : numeric) {
      checkField(schema, column.name(), true, problems);
    }
    for (CategoricalColumn column : categorical) {
      checkField(schema, column.name(), false, problems);
    }
    if (!problems.isEmpty()) {
      throw new PreprocessingArtifactException("records do not fit preprocessing artifact " + fingerprint + ": "
          + String.join("; ", problems));
    }
  }

  private static void checkField(Schema schema, String name, boolean numeric, List<String> problems) {
    if (!schema.hasField(name)) {
      problems.add("no field '" + name + "'");
      return;
    }
    Schema.TypeName type = schema.getField(name).getType().getTypeName();
    if (numeric ? !type.isNumericType() : type != Schema.TypeName.STRING) {
      problems.add("field '" + name + "' is " + type + ", expected " + (numeric ? "a number" : "STRING"));
    }
  }

  /**
   * The features of one record (see the class comment for the layout).
   *
   * @throws IllegalArgumentException if the record has no identifier, lacks a column, or holds a non-number in a
   *     numeric column
   */
  public FeatureVector encode(Row row) {
    FieldIndex index = fieldIndex(row.getSchema());
    Object id = row.getValue(index.id());
    if (id == null) {
      throw new IllegalArgumentException("record has no identifier: column '" + spec.idColumn() + "' is null");
    }
    float[] features = new float[featureNames.size()];
    List<String> outOfRange = new ArrayList<>(0);
    int numericCount = numeric.size();
    for (int k = 0; k < numericCount; k++) {
      NumericColumn column = numeric.get(k);
      Object value = row.getValue(index.numeric()[k]);
      if (value != null && !(value instanceof Number)) {
        throw new IllegalArgumentException("column '" + column.name() + "' holds a " + value.getClass().getSimpleName()
            + ", not a number");
      }
      double x = value == null ? Double.NaN : ((Number) value).doubleValue();
      if (Double.isNaN(x)) {
        features[k] = (float) column.scaledMean();
        features[numericCount + k] = 1f;
        continue;
      }
      if (x < column.min() || x > column.max()) {
        outOfRange.add(column.name());
        x = Math.min(Math.max(x, column.min()), column.max());
      }
      // a column scaled by its quantiles carries its knots (at least one); see checkScaling
      features[k] = (float) (column.knots().isEmpty() ? minMaxScaled(column.min(), column.max(), x)
          : quantileNormal(column.knots(), column.present(), x));
    }
    List<String> unseen = new ArrayList<>(0);
    for (int c = 0; c < categorical.size(); c++) {
      CategoricalColumn column = categorical.get(c);
      Object value = row.getValue(index.categorical()[c]);
      String level = value == null ? ColumnStatistics.MISSING_LEVEL : value.toString();
      Integer levelPosition = levelIndex.get(c).get(level);
      if (levelPosition != null) {
        features[categoricalOffset[c] + levelPosition] = 1f;
      } else {
        unseen.add(column.name() + "=" + level);
        if (column.oovBucket()) {
          features[categoricalOffset[c] + column.vocabulary().size()] = 1f;
        }
      }
    }
    return new FeatureVector(id.toString(), features, unseen, outOfRange);
  }

  /** {@code x} in [min, max] scaled to [0, 1]; 0 for a constant column. */
  private static double minMaxScaled(double min, double max, double x) {
    return max > min ? (x - min) / (max - min) : 0.0;
  }

  /**
   * The value at cumulative probability {@code p} of the fitted knots, interpolated linearly between the knots around
   * it (the first or last knot's value beyond them).
   */
  private static double valueAt(List<QuantileKnot> knots, double p) {
    QuantileKnot first = knots.get(0);
    if (p <= first.probability()) {
      return first.value();
    }
    for (int k = 1; k < knots.size(); k++) {
      QuantileKnot above = knots.get(k);
      if (p <= above.probability()) {
        QuantileKnot below = knots.get(k - 1);
        return below.value() + (above.value() - below.value()) * (p - below.probability())
            / (above.probability() - below.probability());
      }
    }
    return knots.get(knots.size() - 1).value();
  }

  /**
   * {@code Φ⁻¹(u) / }{@value #NORMAL_SCORE_DIVISOR}, where u is the knots' cumulative probability at {@code x},
   * interpolated linearly between knots (constant beyond the first and last), and kept within [1/(2n), 1 − 1/(2n)]
   * for n fitted values (where mid-rank knots lie anyway) so that the feature stays finite whatever the knots say.
   * A constant column (one knot) is 0.
   */
  private static double quantileNormal(List<QuantileKnot> knots, long present, double x) {
    if (knots.size() == 1) {
      return 0.0;
    }
    double u;
    QuantileKnot last = knots.get(knots.size() - 1);
    if (x <= knots.get(0).value()) {
      u = knots.get(0).probability();
    } else if (x >= last.value()) {
      u = last.probability();
    } else {
      // The last knot at or below x: knots.get(0).value() <= x < last.value(), so both neighbours exist.
      int low = 0;
      int high = knots.size() - 1;
      while (high - low > 1) {
        int middle = (low + high) >>> 1;
        if (knots.get(middle).value() <= x) {
          low = middle;
        } else {
          high = middle;
        }
      }
      QuantileKnot below = knots.get(low);
      QuantileKnot above = knots.get(high);
      u = below.probability()
          + (above.probability() - below.probability()) * (x - below.value()) / (above.value() - below.value());
    }
    double bound = 0.5 / present;
    u = Math.min(Math.max(u, bound), 1 - bound);
    return SQRT_2 * Erf.erfInv(2 * u - 1) / NORMAL_SCORE_DIVISOR;
  }

  private FieldIndex fieldIndex(Schema schema) {
    FieldIndex index = fieldIndex;
    if (index != null && index.schema() == schema) {
      return index;
    }
    index = new FieldIndex(schema, fieldOf(schema, spec.idColumn()),
        numeric.stream().mapToInt(column -> fieldOf(schema, column.name())).toArray(),
        categorical.stream().mapToInt(column -> fieldOf(schema, column.name())).toArray());
    fieldIndex = index;
    return index;
  }

  private static int fieldOf(Schema schema, String name) {
    if (!schema.hasField(name)) {
      throw new IllegalArgumentException("record has no column '" + name + "'; its fields are "
          + schema.getFieldNames());
    }
    return schema.indexOf(name);
  }

  /** The artifact as indented, human-readable JSON. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write artifact JSON", e);
    }
  }

  /** Writes {@link #toJson()} to {@code file} (UTF-8), creating parent directories. */
  public void save(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PreprocessingArtifactException("cannot write preprocessing artifact to " + file + ": " + e, e);
    }
  }

  /** Reads an artifact written by {@link #save}; see {@link #fromJson} for what is checked. */
  public static PreprocessingArtifact load(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PreprocessingArtifactException("cannot read preprocessing artifact " + file + ": " + e, e);
    }
    try {
      return fromJson(json);
    } catch (PreprocessingArtifactException e) {
      throw new PreprocessingArtifactException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@link #toJson()} output.
   *
   * @throws PreprocessingArtifactException if the text is not JSON, is another format or format version, lacks or
   *     mistypes a field, its feature names or width disagree with its columns, or its content does not match its
   *     fingerprint (it was edited or damaged)
   */
  public static PreprocessingArtifact fromJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PreprocessingArtifactException("preprocessing artifact is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PreprocessingArtifactException("preprocessing artifact is not a JSON object");
    }
    String format = text(root, "format");
    if (!FORMAT.equals(format)) {
      throw new PreprocessingArtifactException("not a preprocessing artifact: format is '" + format + "', expected '"
          + FORMAT + "'");
    }
    long version = number(root, "formatVersion").longValue();
    if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
      throw new PreprocessingArtifactException("preprocessing artifact format version " + version
          + " is not supported; this build reads versions " + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION);
    }
    PreprocessingArtifact artifact;
    try {
      artifact = parseContent(root, (int) version);
    } catch (IllegalArgumentException e) {
      throw new PreprocessingArtifactException("preprocessing artifact is inconsistent: " + e.getMessage(), e);
    }
    List<String> storedNames = new ArrayList<>();
    array(root, "featureNames").forEach(name -> storedNames.add(name.asText()));
    if (!storedNames.equals(artifact.featureNames) || number(root, "width").intValue() != artifact.width()) {
      throw new PreprocessingArtifactException("preprocessing artifact is inconsistent: its width/feature names "
          + "do not match its columns (" + storedNames.size() + " stored, " + artifact.width() + " derived)");
    }
    String storedFingerprint = text(root, "fingerprint");
    String computedFingerprint = version == FORMAT_VERSION ? artifact.fingerprint
        : sha256(artifact.canonicalContent((int) version).toString());
    if (!storedFingerprint.equals(computedFingerprint)) {
      throw new PreprocessingArtifactException("preprocessing artifact content does not match its fingerprint "
          + storedFingerprint + " (computed " + computedFingerprint + "): the file was edited or damaged");
    }
    return artifact;
  }

  private static PreprocessingArtifact parseContent(JsonNode root, int version) {
    JsonNode specNode = field(root, "columnSpec");
    List<ColumnSpec.Column> columns = new ArrayList<>();
    for (JsonNode column : array(specNode, "columns")) {
      columns.add(ColumnSpec.Column.of(text(column, "name"), enumValue(column, "kind", ColumnKind.class)));
    }
    ColumnSpec spec = ColumnSpec.of(columns, text(specNode, "idColumn"));
    JsonNode optionsNode = field(root, "options");
    PreprocessingOptions options = PreprocessingOptions.seed()
        .withTopK(number(optionsNode, "topK").intValue())
        .withMinFrequency(number(optionsNode, "minFrequency").longValue())
        .withOovBuckets(enumValue(optionsNode, "oovBuckets", PreprocessingOptions.OovBuckets.class))
        .withMaxMissingFraction(number(optionsNode, "maxMissingFraction").doubleValue())
        .withNumericScaling(version >= 2
            ? enumValue(optionsNode, "numericScaling", PreprocessingOptions.NumericScaling.class)
            : PreprocessingOptions.NumericScaling.MIN_MAX);
    List<DroppedColumn> dropped = new ArrayList<>();
    for (JsonNode column : array(root, "droppedColumns")) {
      dropped.add(new DroppedColumn(text(column, "column"), text(column, "reason")));
    }
    List<NumericColumn> numeric = new ArrayList<>();
    for (JsonNode column : array(root, "numericColumns")) {
      String name = text(column, "column");
      List<QuantileKnot> knots = new ArrayList<>();
      if (column.has("knotValues") || column.has("knotProbabilities")) {
        JsonNode values = numbers(column, "knotValues");
        JsonNode probabilities = numbers(column, "knotProbabilities");
        if (values.size() != probabilities.size()) {
          throw new PreprocessingArtifactException("column '" + name + "' has " + values.size() + " knot values but "
              + probabilities.size() + " knot probabilities");
        }
        for (int k = 0; k < values.size(); k++) {
          knots.add(new QuantileKnot(values.get(k).doubleValue(), probabilities.get(k).doubleValue()));
        }
      }
      numeric.add(new NumericColumn(name, number(column, "present").longValue(),
          number(column, "missing").longValue(), number(column, "min").doubleValue(),
          number(column, "max").doubleValue(), number(column, "mean").doubleValue(),
          number(column, "scaledMean").doubleValue(), knots));
    }
    List<CategoricalColumn> categorical = new ArrayList<>();
    for (JsonNode column : array(root, "categoricalColumns")) {
      List<String> vocabulary = new ArrayList<>();
      array(column, "vocabulary").forEach(level -> vocabulary.add(level.asText()));
      List<Long> counts = new ArrayList<>();
      array(column, "counts").forEach(count -> counts.add(count.longValue()));
      categorical.add(new CategoricalColumn(text(column, "column"), number(column, "missing").longValue(),
          vocabulary, counts, field(column, "oovBucket").asBoolean(), number(column, "levelsSeen").longValue(),
          number(column, "rowsOutOfVocabulary").longValue()));
    }
    return new PreprocessingArtifact(spec, options, number(root, "rowsFitted").longValue(), dropped, numeric,
        categorical);
  }

  /** Every NUMERIC and CATEGORICAL column of the spec is either encoded or dropped, and nothing else is named. */
  private void checkCoversSpec() {
    Map<String, String> role = new HashMap<>();
    for (DroppedColumn column : dropped) {
      role.merge(column.name(), "dropped", (a, b) -> a + "+" + b);
    }
    for (NumericColumn column : numeric) {
      role.merge(column.name(), "numeric", (a, b) -> a + "+" + b);
      if (spec.column(column.name()).kind() != ColumnKind.NUMERIC) {
        throw new IllegalArgumentException("column '" + column.name() + "' is scaled but is not NUMERIC in the spec");
      }
    }
    for (CategoricalColumn column : categorical) {
      role.merge(column.name(), "categorical", (a, b) -> a + "+" + b);
      if (spec.column(column.name()).kind() != ColumnKind.CATEGORICAL) {
        throw new IllegalArgumentException("column '" + column.name() + "' is one-hot encoded but is not CATEGORICAL "
            + "in the spec");
      }
    }
    for (ColumnSpec.Column column : spec.columns()) {
      String assigned = role.remove(column.name());
      if (assigned == null || assigned.contains("+")) {
        throw new IllegalArgumentException("column '" + column.name() + "' must be encoded or dropped exactly once, "
            + "found " + (assigned == null ? "neither" : assigned));
      }
    }
    if (!role.isEmpty()) {
      throw new IllegalArgumentException("columns " + role.keySet() + " are not in the column spec");
    }
  }

  /**
   * With {@link #checkCoversSpec()}: the knots are there exactly when the scaling uses them, so that an artifact
   * cannot encode differently from what its options say.
   */
  private void checkScaling() {
    if (options.numericScaling() == PreprocessingOptions.NumericScaling.AUTO) {
      return; // each column chose: knots mean quantile scaling, none mean min/max
    }
    boolean quantile = options.numericScaling() == PreprocessingOptions.NumericScaling.QUANTILE_NORMAL;
    for (NumericColumn column : numeric) {
      if (column.knots().isEmpty() == quantile) {
        throw new IllegalArgumentException("column '" + column.name() + "' has " + column.knots().size()
            + " quantile knots, but numeric scaling " + options.numericScaling() + (quantile ? " needs them"
            : " uses none"));
      }
    }
  }

  /** Everything but the fingerprint, in a fixed field order: the input of the fingerprint. */
  private ObjectNode canonicalContent() {
    return canonicalContent(FORMAT_VERSION);
  }

  /**
   * The canonical content as format {@code version} wrote it: version 1 has no {@code numericScaling} option (and
   * its artifacts no knots), so that a version-1 file's fingerprint can be checked.
   */
  private ObjectNode canonicalContent(int version) {
    ObjectNode content = JSON.createObjectNode();
    content.put("format", FORMAT);
    content.put("formatVersion", version);
    ObjectNode specNode = content.putObject("columnSpec");
    specNode.put("idColumn", spec.idColumn());
    ArrayNode columns = specNode.putArray("columns");
    for (ColumnSpec.Column column : spec.columns()) {
      columns.addObject().put("name", column.name()).put("kind", column.kind().name());
    }
    ObjectNode optionsNode = content.putObject("options")
        .put("topK", options.topK())
        .put("minFrequency", options.minFrequency())
        .put("oovBuckets", options.oovBuckets().name())
        .put("maxMissingFraction", options.maxMissingFraction());
    if (version >= 2) {
      optionsNode.put("numericScaling", options.numericScaling().name());
    }
    content.put("rowsFitted", rowsFitted);
    ArrayNode droppedNode = content.putArray("droppedColumns");
    for (DroppedColumn column : dropped) {
      droppedNode.addObject().put("column", column.name()).put("reason", column.reason());
    }
    ArrayNode numericNode = content.putArray("numericColumns");
    for (NumericColumn column : numeric) {
      ObjectNode node = numericNode.addObject()
          .put("column", column.name())
          .put("present", column.present())
          .put("missing", column.missing())
          .put("min", column.min())
          .put("max", column.max())
          .put("mean", column.mean())
          .put("scaledMean", column.scaledMean());
      if (!column.knots().isEmpty()) {
        ArrayNode values = node.putArray("knotValues");
        ArrayNode probabilities = node.putArray("knotProbabilities");
        for (QuantileKnot knot : column.knots()) {
          values.add(knot.value());
          probabilities.add(knot.probability());
        }
      }
    }
    ArrayNode categoricalNode = content.putArray("categoricalColumns");
    for (CategoricalColumn column : categorical) {
      ObjectNode node = categoricalNode.addObject()
          .put("column", column.name())
          .put("missing", column.missing())
          .put("levelsSeen", column.levelsSeen())
          .put("rowsOutOfVocabulary", column.rowsOutOfVocabulary())
          .put("oovBucket", column.oovBucket());
      ArrayNode vocabulary = node.putArray("vocabulary");
      column.vocabulary().forEach(vocabulary::add);
      ArrayNode counts = node.putArray("counts");
      column.counts().forEach(counts::add);
    }
    content.put("width", featureNames.size());
    ArrayNode names = content.putArray("featureNames");
    featureNames.forEach(names::add);
    return content;
  }

  private ObjectNode document() {
    ObjectNode document = JSON.createObjectNode();
    ObjectNode content = canonicalContent();
    document.set("format", content.remove("format"));
    document.set("formatVersion", content.remove("formatVersion"));
    document.put("fingerprint", fingerprint);
    document.setAll(content);
    return document;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static JsonNode field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new PreprocessingArtifactException("preprocessing artifact lacks field '" + name + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isTextual()) {
      throw new PreprocessingArtifactException("field '" + name + "' of the preprocessing artifact must be text");
    }
    return value.asText();
  }

  private static JsonNode number(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isNumber()) {
      throw new PreprocessingArtifactException("field '" + name + "' of the preprocessing artifact must be a number");
    }
    return value;
  }

  private static JsonNode numbers(JsonNode node, String name) {
    JsonNode value = array(node, name);
    for (JsonNode element : value) {
      if (!element.isNumber()) {
        throw new PreprocessingArtifactException("field '" + name + "' of the preprocessing artifact must hold "
            + "numbers");
      }
    }
    return value;
  }

  private static <E extends Enum<E>> E enumValue(JsonNode node, String name, Class<E> type) {
    String value = text(node, name);
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new PreprocessingArtifactException("field '" + name + "' of the preprocessing artifact must be one of "
          + Arrays.toString(type.getEnumConstants()) + ", got '" + value + "'");
    }
  }

  private static JsonNode array(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isArray()) {
      throw new PreprocessingArtifactException("field '" + name + "' of the preprocessing artifact must be an array");
    }
    return value;
  }

  /** Java serialization goes through the JSON, so a deserialized artifact is checked like a loaded one. */
  private Object writeReplace() {
    return new SerializedForm(compactJson());
  }

  private String compactJson() {
    return document().toString();
  }

  private static final class SerializedForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String json;

    SerializedForm(String json) {
      this.json = json;
    }

    private Object readResolve() throws ObjectStreamException {
      return fromJson(json);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessingArtifact other && other.fingerprint.equals(fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "PreprocessingArtifact{width=" + width() + ", rowsFitted=" + rowsFitted + ", fingerprint=" + fingerprint
        + "}";
  }

  /** Encodes the artifact as its compact JSON; deterministic, and decoding re-checks the fingerprint. */
  public static final class Coder extends AtomicCoder<PreprocessingArtifact> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PreprocessingArtifact value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.compactJson(), out);
    }

    @Override
    public PreprocessingArtifact decode(InputStream in) throws IOException {
      return fromJson(StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
