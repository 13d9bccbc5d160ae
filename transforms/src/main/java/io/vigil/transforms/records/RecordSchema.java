package io.vigil.transforms.records;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaProvider;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The schema of a Vigil record type: a fixed Beam {@link Schema} and the two conversions. Beam's
 * {@code AutoValueSchema} only recognises {@code getX()} accessors, so for our {@code x()}-style AutoValue records it
 * infers an empty schema that cannot decode them; each record instead names its schema and conversions once, in a
 * {@code RowSchema} subclass that its {@code @DefaultSchema} points to.
 *
 * @param <R> the record type
 */
public abstract class RecordSchema<R> implements SchemaProvider {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final SerializableFunction<R, Row> toRow;
  private final SerializableFunction<Row, R> fromRow;

  protected RecordSchema(Schema schema, SerializableFunction<R, Row> toRow, SerializableFunction<Row, R> fromRow) {
    this.schema = schema;
    this.toRow = toRow;
    this.fromRow = fromRow;
  }

  @Override
  public <T> Schema schemaFor(TypeDescriptor<T> type) {
    return schema;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> SerializableFunction<T, Row> toRowFunction(TypeDescriptor<T> type) {
    // The record's own function, not a wrapper: Beam compares schema coders by their functions, and dead letters from
    // different sources can only be flattened when their coders compare equal.
    return (SerializableFunction<T, Row>) toRow;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> SerializableFunction<Row, T> fromRowFunction(TypeDescriptor<T> type) {
    return (SerializableFunction<Row, T>) fromRow;
  }
}
