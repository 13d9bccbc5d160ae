package io.vigil.transforms.records;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An input Vigil could not turn into a record, with the reason. Every source emits these on its dead-letter tag
 * instead of dropping or failing, so that records in = records out + dead letters.
 */
@DefaultSchema(DeadLetter.RowSchema.class)
@AutoValue
public abstract class DeadLetter {
  /** Longest payload kept, so a huge malformed input cannot blow up the dead-letter output. */
  public static final int MAX_PAYLOAD_CHARS = 4096;

  /** The Beam schema of a dead letter; field names are the accessor names. */
  public static final Schema SCHEMA = Schema.builder()
      .addStringField("source")
      .addStringField("location")
      .addStringField("reason")
      .addNullableField("payload", Schema.FieldType.STRING)
      .build();

  /** Where it came from: a file path, a URL without query, or a transform name. */
  public abstract String source();

  /** Where in the source: {@code line 17}, {@code entry 3}, a resource reference; empty if unknown. */
  public abstract String location();

  /** Why it was rejected, in words a data engineer can act on. */
  public abstract String reason();

  /** The offending input, cut to {@link #MAX_PAYLOAD_CHARS}; null where it must not be copied. */
  @Nullable
  public abstract String payload();

  public static DeadLetter of(String source, String location, String reason, @Nullable String payload) {
    String kept = payload == null || payload.length() <= MAX_PAYLOAD_CHARS ? payload : payload.substring(0, MAX_PAYLOAD_CHARS);
    return new AutoValue_DeadLetter(source, location, reason, kept);
  }

  /** DeadLetter's schema and conversions (see {@link RecordSchema} for why they are explicit). */
  public static final class RowSchema extends RecordSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    public RowSchema() {
      super(SCHEMA,
          d -> Row.withSchema(SCHEMA).addValues(d.source(), d.location(), d.reason(), d.payload()).build(),
          row -> of(row.getString("source"), row.getString("location"), row.getString("reason"),
              row.getString("payload")));
    }
  }
}
