package io.vigil.transforms.records;

/** What a source column is to Vigil. The kind decides its Beam field type and whether it becomes a feature. */
public enum ColumnKind {
  /** A number (counts, measurements): a nullable {@code DOUBLE} field, min/max scaled with a missing indicator. */
  NUMERIC,
  /** A category: a nullable {@code STRING} field, one-hot encoded, missing becomes the category {@code missing}. */
  CATEGORICAL,
  /** Identifies the record (e.g. {@code encounter_id}): a {@code STRING} field carried to the scores, never a feature. */
  IDENTIFIER,
  /** Kept in the record as a {@code STRING} field for reference, never a feature (e.g. coded ids the recipe drops). */
  IGNORED
}
