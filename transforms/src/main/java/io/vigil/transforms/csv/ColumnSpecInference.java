package io.vigil.transforms.csv;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Proposes a {@link ColumnSpec} from the first lines of a CSV file, the way pandas' dtypes would classify the columns:
 * a column whose present values are all numbers is {@link ColumnKind#NUMERIC}, any other is
 * {@link ColumnKind#CATEGORICAL}. One deliberate difference: a column with no present value in the sample is
 * CATEGORICAL, not numeric as pandas makes it (float64 of NaNs), because a categorical column accepts whatever the
 * rest of the file holds, while a wrong numeric guess would reject every later row. (In the diabetes file,
 * {@code payer_code} and {@code weight} are entirely missing in the first 1,000 rows.)
 *
 * <p>The proposal is a starting point to review: ids that look numeric (the diabetes file's {@code admission_type_id})
 * are numbers to pandas but codes to a clinician, which is why the caller names the identifier and ignored columns.
 */
public final class ColumnSpecInference {
  private ColumnSpecInference() {}

  /** {@link #propose(List, String, String, Collection)} with {@code ?} as the missing marker and no ignored column. */
  public static ColumnSpec propose(List<String> sampleLines, String idColumn) {
    return propose(sampleLines, idColumn, "?", Set.of());
  }

  /**
   * @param sampleLines the header line followed by data lines (blank lines are skipped)
   * @param idColumn the column that identifies a record; becomes {@link ColumnKind#IDENTIFIER}
   * @param missingMarker the value meaning missing, besides an empty field
   * @param ignoredColumns columns to keep in the record but never use as features ({@link ColumnKind#IGNORED})
   * @throws IllegalArgumentException if there is no header, a line is not valid CSV or has the wrong number of
   *     fields (with its 1-based line number), or a named column is not in the header
   */
  public static ColumnSpec propose(List<String> sampleLines, String idColumn, String missingMarker,
      Collection<String> ignoredColumns) {
    if (sampleLines == null || sampleLines.isEmpty()) {
      throw new IllegalArgumentException("the sample needs at least a header line");
    }
    String headerLine = sampleLines.get(0);
    List<String> names = fields(headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine, 1);
    for (String named : ignoredColumns) {
      if (!names.contains(named)) {
        throw new IllegalArgumentException("ignored column '" + named + "' is not in the header " + names);
      }
    }
    boolean[] present = new boolean[names.size()];
    boolean[] numeric = new boolean[names.size()];
    Arrays.fill(numeric, true);
    for (int lineIndex = 1; lineIndex < sampleLines.size(); lineIndex++) {
      String line = sampleLines.get(lineIndex);
      if (line.isEmpty()) {
        continue;
      }
      List<String> values = fields(line, lineIndex + 1);
      if (values.size() != names.size()) {
        throw new IllegalArgumentException("line " + (lineIndex + 1) + ": expected " + names.size()
            + " fields, found " + values.size());
      }
      for (int i = 0; i < values.size(); i++) {
        String value = values.get(i);
        if (value.isEmpty() || value.equals(missingMarker)) {
          continue;
        }
        present[i] = true;
        numeric[i] &= CsvRecordParser.isNumber(value);
      }
    }
    List<ColumnSpec.Column> columns = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      ColumnKind kind;
      if (name.equals(idColumn)) {
        kind = ColumnKind.IDENTIFIER;
      } else if (ignoredColumns.contains(name)) {
        kind = ColumnKind.IGNORED;
      } else {
        kind = present[i] && numeric[i] ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL;
      }
      columns.add(ColumnSpec.Column.of(name, kind));
    }
    return ColumnSpec.of(columns, idColumn);
  }

  private static List<String> fields(String line, int lineNumber) {
    try {
      return CsvRecordParser.fields(line);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + lineNumber + " is not valid CSV: " + e.getMessage(), e);
    }
  }
}
