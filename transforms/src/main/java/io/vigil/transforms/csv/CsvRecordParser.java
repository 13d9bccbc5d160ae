package io.vigil.transforms.csv;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns one CSV line into a {@link Row} of {@code spec.schema()}, or says why it cannot. The header decides which
 * source position holds which spec column, so a file may order its columns differently from the spec.
 *
 * <p>A field equal to the missing marker, or empty, is missing (null), as pandas reads it. Numbers must be plain
 * decimals ({@code 12}, {@code -0.5}, {@code 1e3}) and finite. The identifier column must not be missing.
 */
final class CsvRecordParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** RFC 4180 fields: commas, double quotes, no trimming; one line is one record. */
  static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(false).get();

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final ColumnSpec spec;
  private final String missingMarker;
  /** For each source position, the index of its column in the spec. */
  private final int[] specIndexAtPosition;
  /** Why the header cannot be used; null when it is fine. */
  private final @Nullable String headerProblem;
  private transient @Nullable Schema schema;

  private CsvRecordParser(ColumnSpec spec, String missingMarker, int[] specIndexAtPosition,
      @Nullable String headerProblem) {
    this.spec = spec;
    this.missingMarker = missingMarker;
    this.specIndexAtPosition = specIndexAtPosition;
    this.headerProblem = headerProblem;
  }

  /** A parser for lines whose fields are in the spec's column order (no header line). */
  static CsvRecordParser inSpecOrder(ColumnSpec spec, String missingMarker) {
    int[] identity = new int[spec.columns().size()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return new CsvRecordParser(spec, missingMarker, identity, null);
  }

  /**
   * A parser for lines laid out as {@code headerLine} says. The header must name every spec column exactly once and
   * nothing else; otherwise {@link #headerProblem()} says what is wrong and every line is rejected with that reason.
   */
  static CsvRecordParser forHeader(ColumnSpec spec, String missingMarker, String headerLine) {
    List<String> names;
    try {
      names = fields(headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine);
    } catch (IllegalArgumentException e) {
      return new CsvRecordParser(spec, missingMarker, new int[0], "header line is not valid CSV: " + e.getMessage());
    }
    Map<String, Integer> specIndex = new HashMap<>();
    for (int i = 0; i < spec.columns().size(); i++) {
      specIndex.put(spec.columns().get(i).name(), i);
    }
    int[] positions = new int[names.size()];
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> duplicated = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int p = 0; p < names.size(); p++) {
      String name = names.get(p);
      Integer index = specIndex.get(name);
      if (index == null) {
        unknown.add(name);
      } else if (!seen.add(name)) {
        duplicated.add(name);
      } else {
        positions[p] = index;
      }
    }
    List<String> absent = new ArrayList<>();
    for (String name : spec.names()) {
      if (!seen.contains(name)) {
        absent.add(name);
      }
    }
    List<String> problems = new ArrayList<>();
    if (!unknown.isEmpty()) {
      problems.add("unknown column(s) " + unknown);
    }
    if (!duplicated.isEmpty()) {
      problems.add("duplicated column(s) " + duplicated);
    }
    if (!absent.isEmpty()) {
      problems.add("missing column(s) " + absent);
    }
    String problem = problems.isEmpty() ? null : "header does not match the column spec: " + String.join("; ", problems);
    return new CsvRecordParser(spec, missingMarker, positions, problem);
  }

  @Nullable
  String headerProblem() {
    return headerProblem;
  }

  /** The record on this line, or the reason it is rejected. */
  Outcome parse(String line) {
    if (headerProblem != null) {
      return Outcome.rejected(headerProblem);
    }
    List<String> values;
    try {
      values = fields(line);
    } catch (IllegalArgumentException e) {
      return Outcome.rejected("not valid CSV: " + e.getMessage());
    }
    if (values.size() != specIndexAtPosition.length) {
      return Outcome.rejected("expected " + specIndexAtPosition.length + " fields, found " + values.size());
    }
    Object[] ordered = new Object[spec.columns().size()];
    for (int p = 0; p < values.size(); p++) {
      int index = specIndexAtPosition[p];
      ColumnSpec.Column column = spec.columns().get(index);
      String raw = values.get(p);
      if (raw.isEmpty() || raw.equals(missingMarker)) {
        if (column.name().equals(spec.idColumn())) {
          return Outcome.rejected("identifier column '" + column.name() + "' is missing");
        }
        continue;
      }
      if (column.kind() == ColumnKind.NUMERIC) {
        double number = isNumber(raw) ? Double.parseDouble(raw.trim()) : Double.NaN;
        if (!Double.isFinite(number)) {
          return Outcome.rejected("column '" + column.name() + "': '" + raw + "' is not a finite number");
        }
        ordered[index] = number;
      } else {
        ordered[index] = raw;
      }
    }
    // The values are already of the field types (Double, String or null): attach them without Beam re-verifying each.
    return Outcome.parsed(Row.withSchema(schema()).attachValues(Arrays.asList(ordered)));
  }

  private Schema schema() {
    if (schema == null) {
      schema = spec.schema();
    }
    return schema;
  }

  /** Whether {@code value} is a plain decimal number (surrounding spaces allowed), as pandas would read one. */
  static boolean isNumber(String value) {
    return DECIMAL.matcher(value.trim()).matches();
  }

  /** The fields of one CSV line; {@link IllegalArgumentException} if it is not valid CSV. */
  static List<String> fields(String line) {
    try (CSVParser parser = CSVParser.parse(line, FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.isEmpty()) {
        return List.of("");
      }
      if (records.size() > 1) {
        throw new IllegalArgumentException("more than one record on one line");
      }
      return records.get(0).toList();
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A parsed record or the reason there is none. */
  static final class Outcome {
    private final @Nullable Row row;
    private final @Nullable String reason;

    private Outcome(@Nullable Row row, @Nullable String reason) {
      this.row = row;
      this.reason = reason;
    }

    static Outcome parsed(Row row) {
      return new Outcome(row, null);
    }

    static Outcome rejected(String reason) {
      return new Outcome(null, reason);
    }

    @Nullable
    Row row() {
      return row;
    }

    @Nullable
    String reason() {
      return reason;
    }
  }
}
