package io.vigil.transforms.records;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * The verdict on one record: the critic's score (lower = more anomalous), the threshold it was held against, the flag,
 * which model gave it, and why. Written as CSV, JSON lines and FHIR RiskAssessments.
 */
@DefaultSchema(AnomalyResult.RowSchema.class)
@AutoValue
public abstract class AnomalyResult {
  /** The Beam schema of a verdict; field names are the accessor names. */
  public static final Schema SCHEMA = Schema.builder()
      .addStringField("recordId")
      .addDoubleField("score")
      .addDoubleField("threshold")
      .addBooleanField("anomaly")
      .addStringField("modelVersion")
      .addArrayField("explanationColumns", FieldType.STRING)
      .addArrayField("explanationContributions", FieldType.DOUBLE)
      .addArrayField("unseenCategories", FieldType.STRING)
      .addArrayField("outOfRangeColumns", FieldType.STRING)
      .build();

  public abstract String recordId();

  /** The critic's score; a record scoring below {@link #threshold()} is an anomaly. */
  public abstract double score();

  public abstract double threshold();

  public abstract boolean anomaly();

  /** The model bundle's fingerprint, so every verdict names the model that made it. */
  public abstract String modelVersion();

  /**
   * The source columns that pulled the score down most, most first: input-gradient × input summed back over the
   * features each column expanded to.
   */
  public abstract List<String> explanationColumns();

  /** The contribution of each of {@link #explanationColumns()}, same order (negative lowers the score). */
  public abstract List<Double> explanationContributions();

  /** {@code column=value} for each category the fitted vocabulary had not seen (scored via the OOV bucket). */
  public abstract List<String> unseenCategories();

  /** Numeric columns whose value lay outside the fitted range (clipped to it before scoring). */
  public abstract List<String> outOfRangeColumns();

  public static Builder builder() {
    return new AutoValue_AnomalyResult.Builder()
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

    public abstract Builder setThreshold(double threshold);

    public abstract Builder setAnomaly(boolean anomaly);

    public abstract Builder setModelVersion(String modelVersion);

    public abstract Builder setExplanationColumns(List<String> columns);

    public abstract Builder setExplanationContributions(List<Double> contributions);

    public abstract Builder setUnseenCategories(List<String> unseen);

    public abstract Builder setOutOfRangeColumns(List<String> columns);

    public abstract AnomalyResult build();
  }

  /** AnomalyResult's schema and conversions (see {@link RecordSchema} for why they are explicit). */
  public static final class RowSchema extends RecordSchema<AnomalyResult> {
    private static final long serialVersionUID = 1L;

    public RowSchema() {
      super(SCHEMA,
          r -> Row.withSchema(SCHEMA).addValues(r.recordId(), r.score(), r.threshold(), r.anomaly(),
              r.modelVersion(), r.explanationColumns(), r.explanationContributions(), r.unseenCategories(),
              r.outOfRangeColumns()).build(),
          row -> builder()
              .setRecordId(row.getString("recordId"))
              .setScore(row.getDouble("score"))
              .setThreshold(row.getDouble("threshold"))
              .setAnomaly(row.getBoolean("anomaly"))
              .setModelVersion(row.getString("modelVersion"))
              .setExplanationColumns(List.copyOf(row.<String>getArray("explanationColumns")))
              .setExplanationContributions(List.copyOf(row.<Double>getArray("explanationContributions")))
              .setUnseenCategories(List.copyOf(row.<String>getArray("unseenCategories")))
              .setOutOfRangeColumns(List.copyOf(row.<String>getArray("outOfRangeColumns")))
              .build());
    }
  }
}
