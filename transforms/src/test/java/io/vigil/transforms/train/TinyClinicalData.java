package io.vigil.transforms.train;

import io.vigil.models.DeviceChoice;
import io.vigil.models.WganGpConfig;
import io.vigil.transforms.preprocess.FitPreprocessing;
import io.vigil.transforms.preprocess.PreprocessingArtifact;
import io.vigil.transforms.preprocess.PreprocessingOptions;
import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.values.Row;

/** A four-column clinical table, its fitted artifact and a model small enough to train in a second or two. */
public final class TinyClinicalData {
  public static final ColumnSpec SPEC = ColumnSpec.of(List.of(
      ColumnSpec.Column.of("id", ColumnKind.IDENTIFIER),
      ColumnSpec.Column.of("age", ColumnKind.NUMERIC),
      ColumnSpec.Column.of("visits", ColumnKind.NUMERIC),
      ColumnSpec.Column.of("ward", ColumnKind.CATEGORICAL)), "id");
  private static final String[] WARDS = {"cardiology", "renal", "general", "surgery"};

  private TinyClinicalData() {}

  /** Rows {@code first .. first+count-1}, seeded; older patients visit more. */
  public static List<Row> rows(int first, int count, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      double age = 20 + 70 * random.nextDouble();
      rows.add(Row.withSchema(SPEC.schema()).addValues("r" + i, age,
          Math.floor(age / 10 + 2 * random.nextGaussian()), WARDS[random.nextInt(WARDS.length)]).build());
    }
    return rows;
  }

  public static PreprocessingArtifact artifact(List<Row> rows) {
    return FitPreprocessing.fitInMemory(SPEC, PreprocessingOptions.seed(), rows);
  }

  public static List<FeatureVector> encode(PreprocessingArtifact artifact, List<Row> rows) {
    List<FeatureVector> vectors = new ArrayList<>(rows.size());
    for (Row row : rows) {
      vectors.add(artifact.encode(row));
    }
    return vectors;
  }

  public static WganGpConfig tinyModel() {
    return WganGpConfig.recommended().toBuilder()
        .attentionDimAndHeads(8, 2)
        .criticHidden(16)
        .minibatchFeatures(4)
        .minibatchKernel(3)
        .batchSize(16)
        .epochs(2)
        .referenceRows(32)
        .device(DeviceChoice.CPU)
        .build();
  }
}
