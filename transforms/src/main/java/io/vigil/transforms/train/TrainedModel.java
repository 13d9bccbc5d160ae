package io.vigil.transforms.train;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.RecordSchema;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.values.Row;

/** What {@link TrainWganGp} emits once the bundle is on disk: where it is, its fingerprint, and what it was fit on. */
@DefaultSchema(TrainedModel.RowSchema.class)
@AutoValue
public abstract class TrainedModel {
  public static final Schema SCHEMA = Schema.builder()
      .addStringField("bundleDirectory")
      .addStringField("fingerprint")
      .addDoubleField("threshold")
      .addInt64Field("trainingRows")
      .addInt64Field("validationRows")
      .build();

  public abstract String bundleDirectory();

  /** The bundle's fingerprint: the model version every score names. */
  public abstract String fingerprint();

  public abstract double threshold();

  public abstract long trainingRows();

  public abstract long validationRows();

  public static TrainedModel of(String bundleDirectory, String fingerprint, double threshold, long trainingRows,
      long validationRows) {
    return new AutoValue_TrainedModel(bundleDirectory, fingerprint, threshold, trainingRows, validationRows);
  }

  /** TrainedModel's schema and conversions (see {@link RecordSchema} for why they are explicit). */
  public static final class RowSchema extends RecordSchema<TrainedModel> {
    private static final long serialVersionUID = 1L;

    public RowSchema() {
      super(SCHEMA,
          m -> Row.withSchema(SCHEMA).addValues(m.bundleDirectory(), m.fingerprint(), m.threshold(),
              m.trainingRows(), m.validationRows()).build(),
          row -> of(row.getString("bundleDirectory"), row.getString("fingerprint"),
              row.getDouble("threshold"), row.getInt64("trainingRows"), row.getInt64("validationRows")));
    }
  }
}
