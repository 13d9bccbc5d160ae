package io.vigil.transforms.records;

import static io.vigil.transforms.records.ColumnKind.CATEGORICAL;
import static io.vigil.transforms.records.ColumnKind.IDENTIFIER;
import static io.vigil.transforms.records.ColumnKind.IGNORED;
import static io.vigil.transforms.records.ColumnKind.NUMERIC;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The layout of the UCI "Diabetes 130-US hospitals" table (50 columns), the record type of the whole project: the
 * CSV reader and the FHIR adapters both produce rows of {@link #SCHEMA}.
 *
 * <p>Kinds follow the seed notebook's recipe: {@code encounter_id} identifies the record; {@code patient_nbr} and the
 * three coded ids ({@code admission_type_id}, {@code discharge_disposition_id}, {@code admission_source_id}) are kept
 * but are not features; the eight counts are numeric; every other column is categorical.
 */
public final class Diabetes130 {
  public static final String ID_COLUMN = "encounter_id";

  /** The 23 diabetes medication columns, in source order; values {@code No}, {@code Steady}, {@code Up}, {@code Down}. */
  public static final List<String> MEDICATION_COLUMNS = List.of(
      "metformin", "repaglinide", "nateglinide", "chlorpropamide", "glimepiride", "acetohexamide", "glipizide",
      "glyburide", "tolbutamide", "pioglitazone", "rosiglitazone", "acarbose", "miglitol", "troglitazone",
      "tolazamide", "examide", "citoglipton", "insulin", "glyburide-metformin", "glipizide-metformin",
      "glimepiride-pioglitazone", "metformin-rosiglitazone", "metformin-pioglitazone");

  public static final ColumnSpec SPEC = buildSpec();

  public static final Schema SCHEMA = SPEC.schema();

  private static ColumnSpec buildSpec() {
    List<ColumnSpec.Column> head = List.of(
        ColumnSpec.Column.of("encounter_id", IDENTIFIER),
        ColumnSpec.Column.of("patient_nbr", IGNORED),
        ColumnSpec.Column.of("race", CATEGORICAL),
        ColumnSpec.Column.of("gender", CATEGORICAL),
        ColumnSpec.Column.of("age", CATEGORICAL),
        ColumnSpec.Column.of("weight", CATEGORICAL),
        ColumnSpec.Column.of("admission_type_id", IGNORED),
        ColumnSpec.Column.of("discharge_disposition_id", IGNORED),
        ColumnSpec.Column.of("admission_source_id", IGNORED),
        ColumnSpec.Column.of("time_in_hospital", NUMERIC),
        ColumnSpec.Column.of("payer_code", CATEGORICAL),
        ColumnSpec.Column.of("medical_specialty", CATEGORICAL),
        ColumnSpec.Column.of("num_lab_procedures", NUMERIC),
        ColumnSpec.Column.of("num_procedures", NUMERIC),
        ColumnSpec.Column.of("num_medications", NUMERIC),
        ColumnSpec.Column.of("number_outpatient", NUMERIC),
        ColumnSpec.Column.of("number_emergency", NUMERIC),
        ColumnSpec.Column.of("number_inpatient", NUMERIC),
        ColumnSpec.Column.of("diag_1", CATEGORICAL),
        ColumnSpec.Column.of("diag_2", CATEGORICAL),
        ColumnSpec.Column.of("diag_3", CATEGORICAL),
        ColumnSpec.Column.of("number_diagnoses", NUMERIC),
        ColumnSpec.Column.of("max_glu_serum", CATEGORICAL),
        ColumnSpec.Column.of("A1Cresult", CATEGORICAL));
    List<ColumnSpec.Column> tail = List.of(
        ColumnSpec.Column.of("change", CATEGORICAL),
        ColumnSpec.Column.of("diabetesMed", CATEGORICAL),
        ColumnSpec.Column.of("readmitted", CATEGORICAL));
    java.util.ArrayList<ColumnSpec.Column> all = new java.util.ArrayList<>(head);
    for (String medication : MEDICATION_COLUMNS) {
      all.add(ColumnSpec.Column.of(medication, CATEGORICAL));
    }
    all.addAll(tail);
    return ColumnSpec.of(all, ID_COLUMN);
  }

  private Diabetes130() {}
}
