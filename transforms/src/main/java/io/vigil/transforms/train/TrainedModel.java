package io.vigil.transforms.train;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaProvider;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

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

  /** Maps to and from {@link #SCHEMA} rows (Beam's {@code AutoValueSchema} only sees {@code getX()} accessors). */
  public static final class RowSchema implements SchemaProvider {
    private static final long serialVersionUID = 1L;

    @Override
    public <T> Schema schemaFor(TypeDescriptor<T> type) {
      return SCHEMA;
    }

    @Override
    public <T> SerializableFunction<T, Row> toRowFunction(TypeDescriptor<T> type) {
      return value -> {
        TrainedModel m = (TrainedModel) value;
        return Row.withSchema(SCHEMA).addValues(m.bundleDirectory(), m.fingerprint(), m.threshold(),
            m.trainingRows(), m.validationRows()).build();
      };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializableFunction<Row, T> fromRowFunction(TypeDescriptor<T> type) {
      return row -> (T) of(row.getString("bundleDirectory"), row.getString("fingerprint"),
          row.getDouble("threshold"), row.getInt64("trainingRows"), row.getInt64("validationRows"));
    }
  }
}
