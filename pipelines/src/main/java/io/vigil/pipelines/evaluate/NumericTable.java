package io.vigil.pipelines.evaluate;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * A numeric matrix as Vigil records: an identifier column {@code id} and one {@link ColumnKind#NUMERIC} column per
 * matrix column, named {@code x0, x1, ...}. This is how the benchmark matrices enter the product's preprocessing.
 */
public final class NumericTable {
  public static final String ID_COLUMN = "id";

  private NumericTable() {}

  /** The all-numeric layout of a matrix {@code width} columns wide. */
  public static ColumnSpec spec(int width) {
    if (width < 1) {
      throw new IllegalArgumentException("a table needs at least one column, got " + width);
    }
    List<ColumnSpec.Column> columns = new ArrayList<>(width + 1);
    columns.add(ColumnSpec.Column.of(ID_COLUMN, ColumnKind.IDENTIFIER));
    for (int c = 0; c < width; c++) {
      columns.add(ColumnSpec.Column.of("x" + c, ColumnKind.NUMERIC));
    }
    return ColumnSpec.of(columns, ID_COLUMN);
  }

  /** One row per matrix row, identified {@code <idPrefix><index>}. */
  public static List<Row> rows(ColumnSpec spec, double[][] matrix, String idPrefix) {
    List<Row> rows = new ArrayList<>(matrix.length);
    for (int r = 0; r < matrix.length; r++) {
      List<Object> values = new ArrayList<>(matrix[r].length + 1);
      values.add(idPrefix + r);
      for (double v : matrix[r]) {
        values.add(v);
      }
      rows.add(Row.withSchema(spec.schema()).addValues(values).build());
    }
    return rows;
  }

  /** Whether every column but the identifier is numeric. */
  public static boolean isAllNumeric(ColumnSpec spec) {
    return spec.namesOfKind(ColumnKind.NUMERIC).size() == spec.columns().size() - 1;
  }

  /** The numeric columns of rows of an all-numeric layout, as a matrix; a missing value is an error. */
  public static double[][] matrix(ColumnSpec spec, List<Row> rows) {
    List<String> numeric = spec.namesOfKind(ColumnKind.NUMERIC);
    if (!isAllNumeric(spec)) {
      throw new IllegalArgumentException("not an all-numeric layout: " + spec.names());
    }
    double[][] matrix = new double[rows.size()][numeric.size()];
    for (int r = 0; r < matrix.length; r++) {
      for (int c = 0; c < numeric.size(); c++) {
        Double value = rows.get(r).getDouble(numeric.get(c));
        if (value == null) {
          throw new IllegalArgumentException("row " + rows.get(r).getValue(spec.idColumn()) + " misses " + numeric.get(c));
        }
        matrix[r][c] = value;
      }
    }
    return matrix;
  }
}
