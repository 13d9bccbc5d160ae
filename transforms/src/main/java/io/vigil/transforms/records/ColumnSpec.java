package io.vigil.transforms.records;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The column layout of a clinical table: each column's name and {@link ColumnKind}, in source order. It defines the
 * Beam {@link Schema} of the records every Vigil source produces (CSV and FHIR alike), so a model trained on one
 * source scores records from another.
 */
@AutoValue
public abstract class ColumnSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One column: its name and kind. */
  @AutoValue
  public abstract static class Column implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract String name();

    public abstract ColumnKind kind();

    public static Column of(String name, ColumnKind kind) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("column name must not be blank");
      }
      if (kind == null) {
        throw new IllegalArgumentException("column kind must be given for " + name);
      }
      return new AutoValue_ColumnSpec_Column(name, kind);
    }

    /** The Beam field type of this column: {@code DOUBLE} for numeric columns, {@code STRING} otherwise. */
    public Schema.FieldType fieldType() {
      return (kind() == ColumnKind.NUMERIC ? Schema.FieldType.DOUBLE : Schema.FieldType.STRING).withNullable(true);
    }
  }

  public abstract List<Column> columns();

  /** The column whose value identifies a record; carried through to the scores, never a feature. */
  public abstract String idColumn();

  /**
   * A layout from columns in source order and the name of the identifier column, which must be one of them and of
   * kind {@link ColumnKind#IDENTIFIER}.
   */
  public static ColumnSpec of(List<Column> columns, String idColumn) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("a column spec needs at least one column");
    }
    Map<String, Column> byName = new LinkedHashMap<>();
    for (Column column : columns) {
      if (byName.put(column.name(), column) != null) {
        throw new IllegalArgumentException("duplicate column name: " + column.name());
      }
    }
    Column id = byName.get(idColumn);
    if (id == null) {
      throw new IllegalArgumentException("identifier column '" + idColumn + "' is not among the columns " + byName.keySet());
    }
    if (id.kind() != ColumnKind.IDENTIFIER) {
      throw new IllegalArgumentException("identifier column '" + idColumn + "' must be of kind IDENTIFIER, not " + id.kind());
    }
    return new AutoValue_ColumnSpec(List.copyOf(columns), idColumn);
  }

  /** The Beam schema of records with this layout: one nullable field per column, in source order. */
  public Schema schema() {
    Schema.Builder builder = Schema.builder();
    for (Column column : columns()) {
      builder.addField(column.name(), column.fieldType());
    }
    return builder.build();
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(columns().size());
    for (Column column : columns()) {
      names.add(column.name());
    }
    return names;
  }

  public List<String> namesOfKind(ColumnKind kind) {
    List<String> names = new ArrayList<>();
    for (Column column : columns()) {
      if (column.kind() == kind) {
        names.add(column.name());
      }
    }
    return names;
  }

  /** The column of that name, or an exception naming the known columns. */
  public Column column(String name) {
    for (Column column : columns()) {
      if (column.name().equals(name)) {
        return column;
      }
    }
    throw new IllegalArgumentException("unknown column '" + name + "'; known: " + names());
  }
}
