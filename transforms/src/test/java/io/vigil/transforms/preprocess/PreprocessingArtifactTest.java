package io.vigil.transforms.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.transforms.preprocess.PreprocessingOptions.OovBuckets;
import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.FeatureVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitted encoding on small generated tables, checked against arithmetic done here by hand. */
class PreprocessingArtifactTest {
  static final ColumnSpec SPEC = ColumnSpec.of(List.of(
      ColumnSpec.Column.of("id", ColumnKind.IDENTIFIER),
      ColumnSpec.Column.of("ward", ColumnKind.CATEGORICAL),
      ColumnSpec.Column.of("dose", ColumnKind.NUMERIC),
      ColumnSpec.Column.of("code", ColumnKind.IGNORED),
      ColumnSpec.Column.of("weight", ColumnKind.CATEGORICAL),
      ColumnSpec.Column.of("stay", ColumnKind.NUMERIC),
      ColumnSpec.Column.of("result", ColumnKind.CATEGORICAL)), "id");

  @TempDir
  Path dir;

  static Row row(String id, String ward, Double dose, String weight, Double stay, String result) {
    return Row.withSchema(SPEC.schema()).addValues(id, ward, dose, "c-" + id, weight, stay, result).build();
  }

  /**
   * 20 rows: dose 2..40 step 2 with row 5 missing; stay constant 3; weight present in 2 rows only (10%: kept at
   * exactly floor(0.1 * 20) = 2 present); ward levels b×9, B×6, missing×3, <30×1, >30×1; result "NO" or "10".
   */
  static List<Row> table() {
    List<Row> rows = new ArrayList<>();
    String[] wards = {"b", "b", "b", "b", "b", "b", "b", "b", "b", "B", "B", "B", "B", "B", "B", null, null, null,
        "<30", ">30"};
    for (int i = 0; i < 20; i++) {
      rows.add(row("r" + i, wards[i], i == 5 ? null : 2.0 * (i + 1), i < 2 ? "[50-75)" : null, 3.0,
          i % 2 == 0 ? "NO" : "10"));
    }
    return rows;
  }

  static PreprocessingArtifact fit(PreprocessingOptions options) {
    return FitPreprocessing.fitInMemory(SPEC, options, table());
  }

  @Test
  void theNotebookRecipeLaysOutFeaturesAsPandasDoes() {
    PreprocessingArtifact artifact = fit(PreprocessingOptions.seed());

    assertThat(artifact.featureNames()).containsExactly(
        "dose", "stay", "dose_missing", "stay_missing",
        "ward_<30", "ward_>30", "ward_B", "ward_b", "ward_missing",
        "weight_[50-75)", "weight_missing",
        "result_10", "result_NO");
    assertThat(artifact.width()).isEqualTo(13);
    assertThat(artifact.sourceColumnOf(3)).isEqualTo("stay");
    assertThat(artifact.sourceColumnOf(7)).isEqualTo("ward");
    assertThat(artifact.droppedColumns()).extracting(PreprocessingArtifact.DroppedColumn::name)
        .containsExactly("id", "code");
  }

  @Test
  void encodesScaledValuesIndicatorsAndMeanImputation() {
    PreprocessingArtifact artifact = fit(PreprocessingOptions.seed());
    // dose present in 19 rows: 2..40 without 12; min 2, max 40; mean of the scaled values = (mean - 2) / 38.
    double meanDose = (2.0 * (20 * 21 / 2) - 12) / 19;
    float[] present = artifact.encode(row("x", "B", 21.0, null, 3.0, "NO")).values();
    float[] missing = artifact.encode(row("y", null, null, "[50-75)", 3.0, "10")).values();

    assertThat(present).containsExactly((float) ((21.0 - 2) / 38), 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 1f);
    assertThat(missing[0]).isCloseTo((float) ((meanDose - 2) / 38), within(1e-7f));
    assertThat(missing).startsWith(missing[0], 0f, 1f, 0f);
    assertThat(missing[8]).as("ward_missing").isEqualTo(1f);
    assertThat(missing[9]).as("weight_[50-75)").isEqualTo(1f);
  }

  @Test
  void keepsAColumnAtExactlyPandasThresholdAndDropsOneBelowIt() {
    List<Row> rows = new ArrayList<>(table());
    rows.set(1, row("r1", "b", 4.0, null, 3.0, "10"));
    PreprocessingArtifact belowThreshold = FitPreprocessing.fitInMemory(SPEC, PreprocessingOptions.seed(), rows);
    assertThat(belowThreshold.droppedColumns()).anySatisfy(dropped -> assertThat(dropped.name()).isEqualTo("weight"));
    assertThat(belowThreshold.droppedColumns().get(2).reason()).contains("1 present < 2 required");

    // 15 rows, 1 present (93% missing): pandas keeps it, since int(0.1 * 15) = 1.
    PreprocessingArtifact fifteen = FitPreprocessing.fitInMemory(SPEC, PreprocessingOptions.seed(),
        table().subList(1, 16));
    assertThat(fifteen.featureNames()).contains("weight_[50-75)");
  }

  @Test
  void constantColumnsAreZeroAndOutOfRangeValuesAreClippedAndReported() {
    PreprocessingArtifact artifact = fit(PreprocessingOptions.seed());
    FeatureVector inRange = artifact.encode(row("a", "b", 40.0, null, 3.0, "NO"));
    FeatureVector beyond = artifact.encode(row("b", "b", 400.0, null, 2.0, "NO"));

    assertThat(inRange.values()[1]).as("constant stay").isZero();
    assertThat(inRange.values()[0]).isEqualTo(1f);
    assertThat(inRange.outOfRangeColumns()).isEmpty();
    assertThat(beyond.values()[0]).isEqualTo(1f);
    assertThat(beyond.values()[1]).isZero();
    assertThat(beyond.outOfRangeColumns()).containsExactly("dose", "stay");
  }

  @Test
  void rareLevelsGoToTheOovFeatureWhereTheOptionsSaySo() {
    PreprocessingOptions capped = PreprocessingOptions.seed().withMinFrequency(3);
    PreprocessingArtifact whereCapped = fit(capped.withOovBuckets(OovBuckets.WHERE_CAPPED));
    PreprocessingArtifact everyColumn = fit(capped.withOovBucket(true));
    PreprocessingArtifact none = fit(capped.withOovBucket(false));

    assertThat(whereCapped.featureNames()).containsExactly("dose", "stay", "dose_missing", "stay_missing",
        "ward_B", "ward_b", "ward_missing", "ward_[OOV]", "weight_missing", "weight_[OOV]", "result_10", "result_NO");
    assertThat(everyColumn.featureNames()).endsWith("result_10", "result_NO", "result_[OOV]");
    assertThat(none.featureNames()).doesNotContain("ward_[OOV]");
    PreprocessingArtifact.CategoricalColumn ward = whereCapped.categoricalColumns().get(0);
    assertThat(ward.vocabulary()).containsExactly("B", "b", "missing");
    assertThat(ward.counts()).containsExactly(6L, 9L, 3L);
    assertThat(ward.levelsSeen()).isEqualTo(5);
    assertThat(ward.rowsOutOfVocabulary()).isEqualTo(2);

    Row rare = row("r", "<30", 4.0, null, 3.0, "maybe");
    FeatureVector viaOov = whereCapped.encode(rare);
    assertThat(viaOov.values()[7]).as("ward_[OOV]").isEqualTo(1f);
    assertThat(viaOov.values()).containsSequence(0f, 0f, 0f, 1f);
    assertThat(viaOov.unseenCategories()).containsExactly("ward=<30", "result=maybe");
    FeatureVector reportedOnly = none.encode(rare);
    assertThat(reportedOnly.unseenCategories()).containsExactly("ward=<30", "result=maybe");
    int resultOffset = none.featureNames().indexOf("result_10");
    assertThat(reportedOnly.values()[resultOffset]).isZero();
    assertThat(reportedOnly.values()[resultOffset + 1]).isZero();
  }

  @Test
  void topKKeepsTheMostFrequentLevels() {
    PreprocessingArtifact artifact = fit(PreprocessingOptions.seed().withTopK(2).withOovBuckets(OovBuckets.WHERE_CAPPED));
    assertThat(artifact.categoricalColumns().get(0).vocabulary()).containsExactly("B", "b");
    // result: "10" and "NO" tie at 10 rows each and both fit.
    assertThat(artifact.categoricalColumns().get(2).vocabulary()).containsExactly("10", "NO");
    assertThat(artifact.categoricalColumns().get(2).oovBucket()).isFalse();
    // ties broken by the smaller level: weight has missing×18, [50-75)×2 and keeps both.
    PreprocessingArtifact one = fit(PreprocessingOptions.seed().withTopK(1));
    assertThat(one.categoricalColumns().get(2).vocabulary()).containsExactly("10");
  }

  @Test
  void roundTripsThroughJsonFilesCodersAndJavaSerialization() throws Exception {
    PreprocessingArtifact artifact = fit(PreprocessingOptions.recommended());
    Path file = dir.resolve("bundle/preprocessing.json");
    artifact.save(file);

    PreprocessingArtifact loaded = PreprocessingArtifact.load(file);
    PreprocessingArtifact decoded = CoderUtils.clone(PreprocessingArtifact.Coder.of(), artifact);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(artifact);
    }
    Object deserialized;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      deserialized = in.readObject();
    }

    for (PreprocessingArtifact copy : List.of(loaded, decoded, (PreprocessingArtifact) deserialized)) {
      assertThat(copy.fingerprint()).isEqualTo(artifact.fingerprint()).hasSize(64);
      assertThat(copy.featureNames()).isEqualTo(artifact.featureNames());
      assertThat(copy.options()).isEqualTo(artifact.options());
      assertThat(copy.columnSpec()).isEqualTo(SPEC);
      for (Row row : table()) {
        assertThat(copy.encode(row)).isEqualTo(artifact.encode(row));
      }
    }
    String json = Files.readString(file);
    assertThat(json).contains("\"formatVersion\" : 2", "\"numericScaling\" : \"MIN_MAX\"",
        "\"fingerprint\" : \"" + artifact.fingerprint() + "\"",
        "\"reason\" : \"ignored by the column spec\"", "\"ward_[OOV]\"");
    assertThat(fit(PreprocessingOptions.seed()).fingerprint()).isNotEqualTo(artifact.fingerprint());
  }

  @Test
  void refusesCorruptEditedOrForeignArtifacts() throws IOException {
    String json = fit(PreprocessingOptions.seed()).toJson();

    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"max\" : 40.0", "\"max\" : 41.0")))
        .isInstanceOf(PreprocessingArtifactException.class).hasMessageContaining("does not match its fingerprint");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"formatVersion\" : 2",
        "\"formatVersion\" : 3")))
        .hasMessageContaining("format version 3 is not supported; this build reads versions 1 to 2");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.substring(0, json.length() / 2)))
        .isInstanceOf(PreprocessingArtifactException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"ward_B\"", "\"ward_C\"")))
        .hasMessageContaining("feature names do not match its columns");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(json.replace("\"rowsFitted\"", "\"rows\"")))
        .hasMessageContaining("lacks field 'rowsFitted'");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson("{\"format\":\"something-else\"}"))
        .hasMessageContaining("not a preprocessing artifact");
    Path damaged = dir.resolve("damaged.json");
    Files.writeString(damaged, json.replace("\"min\" : 2.0", "\"min\" : 1.0"));
    assertThatThrownBy(() -> PreprocessingArtifact.load(damaged)).hasMessageStartingWith(damaged.toString());
  }

  /** Written by the format-1 build (before numeric scaling was an option) from {@link #V1_ROWS}, unchanged. */
  static final String V1_ARTIFACT = """
      {
        "format" : "vigil-preprocessing-artifact",
        "formatVersion" : 1,
        "fingerprint" : "4587f1df630791fe21706d10fb54787cdab514ac9ec556fd8bd06a8a8c720692",
        "columnSpec" : {
          "idColumn" : "id",
          "columns" : [ {
            "name" : "id",
            "kind" : "IDENTIFIER"
          }, {
            "name" : "dose",
            "kind" : "NUMERIC"
          }, {
            "name" : "ward",
            "kind" : "CATEGORICAL"
          } ]
        },
        "options" : {
          "topK" : 0,
          "minFrequency" : 1,
          "oovBuckets" : "NONE",
          "maxMissingFraction" : 0.9
        },
        "rowsFitted" : 4,
        "droppedColumns" : [ {
          "column" : "id",
          "reason" : "identifier: carried to the scores, never a feature"
        } ],
        "numericColumns" : [ {
          "column" : "dose",
          "present" : 3,
          "missing" : 1,
          "min" : 1.0,
          "max" : 5.0,
          "mean" : 3.0,
          "scaledMean" : 0.5
        } ],
        "categoricalColumns" : [ {
          "column" : "ward",
          "missing" : 1,
          "levelsSeen" : 3,
          "rowsOutOfVocabulary" : 0,
          "oovBucket" : false,
          "vocabulary" : [ "b", "c", "missing" ],
          "counts" : [ 2, 1, 1 ]
        } ],
        "width" : 5,
        "featureNames" : [ "dose", "dose_missing", "ward_b", "ward_c", "ward_missing" ]
      }
      """;
  static final ColumnSpec V1_SPEC = ColumnSpec.of(List.of(
      ColumnSpec.Column.of("id", ColumnKind.IDENTIFIER),
      ColumnSpec.Column.of("dose", ColumnKind.NUMERIC),
      ColumnSpec.Column.of("ward", ColumnKind.CATEGORICAL)), "id");
  static final List<Row> V1_ROWS = List.of(
      Row.withSchema(V1_SPEC.schema()).addValues("a", 1.0, "b").build(),
      Row.withSchema(V1_SPEC.schema()).addValues("b", 3.0, "c").build(),
      Row.withSchema(V1_SPEC.schema()).addValues("c", null, "b").build(),
      Row.withSchema(V1_SPEC.schema()).addValues("d", 5.0, null).build());

  @Test
  void readsVersionOneArtifactsAsMinMaxScaling() {
    PreprocessingArtifact v1 = PreprocessingArtifact.fromJson(V1_ARTIFACT);
    PreprocessingArtifact refitted = FitPreprocessing.fitInMemory(V1_SPEC, PreprocessingOptions.seed(), V1_ROWS);

    assertThat(v1.options()).isEqualTo(PreprocessingOptions.seed());
    assertThat(v1.options().numericScaling()).isEqualTo(PreprocessingOptions.NumericScaling.MIN_MAX);
    assertThat(v1.numericColumns().get(0).knots()).isEmpty();
    // (2 - 1) / (5 - 1); missing: the scaled mean (3 - 1) / 4.
    assertThat(v1.encode(Row.withSchema(V1_SPEC.schema()).addValues("x", 2.0, "c").build()).values())
        .containsExactly(0.25f, 0f, 0f, 1f, 0f);
    assertThat(v1.encode(Row.withSchema(V1_SPEC.schema()).addValues("y", null, null).build()).values())
        .containsExactly(0.5f, 1f, 0f, 0f, 1f);
    // Read, it is the version-2 artifact of the same fit: same fingerprint, written back as version 2.
    assertThat(v1.fingerprint()).isEqualTo(refitted.fingerprint())
        .isNotEqualTo("4587f1df630791fe21706d10fb54787cdab514ac9ec556fd8bd06a8a8c720692");
    assertThat(v1.toJson()).isEqualTo(refitted.toJson()).contains("\"formatVersion\" : 2");

    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(V1_ARTIFACT.replace("\"max\" : 5.0", "\"max\" : 6.0")))
        .isInstanceOf(PreprocessingArtifactException.class)
        .hasMessageContaining("does not match its fingerprint "
            + "4587f1df630791fe21706d10fb54787cdab514ac9ec556fd8bd06a8a8c720692");
    assertThatThrownBy(() -> PreprocessingArtifact.fromJson(V1_ARTIFACT.replace("\"formatVersion\" : 1",
        "\"formatVersion\" : 2")))
        .as("the same content claiming version 2 lacks the scaling option")
        .hasMessageContaining("lacks field 'numericScaling'");
  }

  @Test
  void saysWhichRecordsItCannotEncode() {
    PreprocessingArtifact artifact = fit(PreprocessingOptions.seed());
    Schema withoutStay = Schema.builder().addNullableField("id", Schema.FieldType.STRING)
        .addNullableField("ward", Schema.FieldType.STRING).addNullableField("dose", Schema.FieldType.STRING)
        .addNullableField("weight", Schema.FieldType.STRING).addNullableField("result", Schema.FieldType.STRING)
        .build();

    assertThatThrownBy(() -> artifact.checkCompatible(withoutStay))
        .isInstanceOf(PreprocessingArtifactException.class)
        .hasMessageContaining("field 'dose' is STRING, expected a number").hasMessageContaining("no field 'stay'");
    assertThatThrownBy(() -> artifact.encode(row(null, "b", 2.0, null, 3.0, "NO")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record has no identifier");
    assertThatThrownBy(() -> FitPreprocessing.fitInMemory(SPEC, PreprocessingOptions.seed(), List.of()))
        .hasMessageContaining("cannot fit preprocessing on no records");
  }

  @Test
  void optionsAreValidatedWhereTheyAreSet() {
    assertThatThrownBy(() -> PreprocessingOptions.seed().withTopK(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PreprocessingOptions.seed().withMinFrequency(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PreprocessingOptions.seed().withMaxMissingFraction(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PreprocessingOptions.seed().withMaxMissingFraction(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PreprocessingOptions.recommended().minFrequency()).isEqualTo(10);
  }
}
