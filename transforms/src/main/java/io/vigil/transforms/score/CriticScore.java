package io.vigil.transforms.score;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.RecordSchema;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * The critic's score of one record, before any threshold: the score (lower = less like the training data), the model
 * that gave it, the source columns that pulled it down most, and what the encoding had to bend (unseen categories,
 * out-of-range numbers). {@link io.vigil.transforms.threshold.ApplyThreshold} turns it into an
 * {@link io.vigil.transforms.records.AnomalyResult}.
 */
@DefaultSchema(CriticScore.RowSchema.class)
@AutoValue
public abstract class CriticScore {
  /** The Beam schema of a score; field names are the accessor names. */
  public static final Schema SCHEMA = Schema.builder()
      .addStringField("recordId")
      .addDoubleField("score")
      .addStringField("modelVersion")
      .addArrayField("explanationColumns", FieldType.STRING)
      .addArrayField("explanationContributions", FieldType.DOUBLE)
      .addArrayField("unseenCategories", FieldType.STRING)
      .addArrayField("outOfRangeColumns", FieldType.STRING)
      .build();

  public abstract String recordId();

  public abstract double score();

  /** The model bundle's fingerprint. */
  public abstract String modelVersion();

  /** Source columns whose summed gradient × input is most negative, most negative first; empty if not explained. */
  public abstract List<String> explanationColumns();

  /** The summed gradient × input of each of {@link #explanationColumns()}, same order. */
  public abstract List<Double> explanationContributions();

  public abstract List<String> unseenCategories();

  public abstract List<String> outOfRangeColumns();

  public static Builder builder() {
    return new AutoValue_CriticScore.Builder()
        .setExplanationColumns(List.of())
        .setExplanationContributions(List.of())
        .setUnseenCategories(List.of())
        .setOutOfRangeColumns(List.of());
  }

  /** Builder; every list defaults to empty. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setRecordId(String recordId);

    public abstract Builder setScore(double score);

    public abstract Builder setModelVersion(String modelVersion);

    public abstract Builder setExplanationColumns(List<String> columns);

    public abstract Builder setExplanationContributions(List<Double> contributions);

    public abstract Builder setUnseenCategories(List<String> unseen);

    public abstract Builder setOutOfRangeColumns(List<String> columns);

    public abstract CriticScore build();
  }

  /** CriticScore's schema and conversions (see {@link RecordSchema} for why they are explicit). */
  public static final class RowSchema extends RecordSchema<CriticScore> {
    private static final long serialVersionUID = 1L;

    public RowSchema() {
      super(SCHEMA,
          s -> Row.withSchema(SCHEMA).addValues(s.recordId(), s.score(), s.modelVersion(), s.explanationColumns(),
              s.explanationContributions(), s.unseenCategories(), s.outOfRangeColumns()).build(),
          row -> builder()
              .setRecordId(row.getString("recordId"))
              .setScore(row.getDouble("score"))
              .setModelVersion(row.getString("modelVersion"))
              .setExplanationColumns(List.copyOf(row.<String>getArray("explanationColumns")))
              .setExplanationContributions(List.copyOf(row.<Double>getArray("explanationContributions")))
              .setUnseenCategories(List.copyOf(row.<String>getArray("unseenCategories")))
              .setOutOfRangeColumns(List.copyOf(row.<String>getArray("outOfRangeColumns")))
              .build());
    }
  }
}
