package io.vigil.transforms.preprocess;

import io.vigil.transforms.records.ColumnKind;
import io.vigil.transforms.records.ColumnSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * What one pass over the records learns, per feature column of a spec: for numeric columns the count of present
 * values, missing values, min, max and sum, and, when asked for, the {@link ValueDistribution} of the present values;
 * for categorical columns the missing count and the count of every level (missing counted as the level
 * {@code missing}). Mergeable, so Beam combines it across workers.
 *
 * <p>The sum is exact ({@link BigDecimal}), so the fitted mean, and with it the artifact's fingerprint, does not
 * depend on the order in which a runner merges partial results; nor do the distributions, while a column has at most
 * {@link ValueDistribution#MAX_DISTINCT_VALUES} distinct values.
 *
 * <p>The distribution is collected only for quantile scaling ({@code QUANTILE_NORMAL}, {@code AUTO}), which needs
 * it: it is bounded, but up to 10,000 points per numeric column in every partial result that workers exchange, and
 * a sort of every value, are a cost that min/max scaling has no use for.
 */
final class ColumnStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The level a missing categorical value becomes, as in the notebook's {@code fillna('missing')}. */
  static final String MISSING_LEVEL = "missing";

  long rows;
  final String[] names;
  final boolean[] numeric;
  final long[] present;
  final long[] missing;
  final double[] min;
  final double[] max;
  final BigDecimal[] sum;
  final List<Map<String, Long>> levelCounts;
  /** Per column: the distribution of present values, or null (a categorical column, or none asked for). */
  final ValueDistribution[] distributions;
  /** Where each column sits in the rows last added: looked up once per schema, not once per value. */
  private transient Schema indexedSchema;
  private transient int[] fieldIndex;

  /**
   * Empty statistics over the NUMERIC and CATEGORICAL columns of {@code spec}, in source order, with the distribution
   * of each numeric column if {@code withDistributions}.
   */
  static ColumnStatistics empty(ColumnSpec spec, boolean withDistributions) {
    List<ColumnSpec.Column> features = spec.columns().stream()
        .filter(column -> column.kind() == ColumnKind.NUMERIC || column.kind() == ColumnKind.CATEGORICAL)
        .toList();
    String[] names = new String[features.size()];
    boolean[] numeric = new boolean[features.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = features.get(i).name();
      numeric[i] = features.get(i).kind() == ColumnKind.NUMERIC;
    }
    ColumnStatistics statistics = new ColumnStatistics(names, numeric);
    for (int i = 0; i < names.length; i++) {
      if (withDistributions && numeric[i]) {
        statistics.distributions[i] = new ValueDistribution();
      }
    }
    return statistics;
  }

  private ColumnStatistics(String[] names, boolean[] numeric) {
    this.names = names;
    this.numeric = numeric;
    int n = names.length;
    present = new long[n];
    missing = new long[n];
    min = new double[n];
    max = new double[n];
    sum = new BigDecimal[n];
    levelCounts = new ArrayList<>(n);
    distributions = new ValueDistribution[n];
    for (int i = 0; i < n; i++) {
      min[i] = Double.POSITIVE_INFINITY;
      max[i] = Double.NEGATIVE_INFINITY;
      sum[i] = BigDecimal.ZERO;
      levelCounts.add(numeric[i] ? Map.of() : new HashMap<>());
    }
  }

  void add(Row row) {
    rows++;
    if (row.getSchema() != indexedSchema) {
      fieldIndex = new int[names.length];
      for (int i = 0; i < names.length; i++) {
        fieldIndex[i] = row.getSchema().indexOf(names[i]);
      }
      indexedSchema = row.getSchema();
    }
    for (int i = 0; i < names.length; i++) {
      Object value = row.getValue(fieldIndex[i]);
      if (numeric[i]) {
        if (value == null) {
          missing[i]++;
        } else {
          double x = ((Number) value).doubleValue();
          present[i]++;
          min[i] = Math.min(min[i], x);
          max[i] = Math.max(max[i], x);
          sum[i] = sum[i].add(new BigDecimal(x));
          if (distributions[i] != null) {
            distributions[i].add(x);
          }
        }
      } else {
        String level;
        if (value == null) {
          missing[i]++;
          level = MISSING_LEVEL;
        } else {
          present[i]++;
          level = value.toString();
        }
        levelCounts.get(i).merge(level, 1L, Long::sum);
      }
    }
  }

  void merge(ColumnStatistics other) {
    rows += other.rows;
    for (int i = 0; i < names.length; i++) {
      present[i] += other.present[i];
      missing[i] += other.missing[i];
      min[i] = Math.min(min[i], other.min[i]);
      max[i] = Math.max(max[i], other.max[i]);
      sum[i] = sum[i].add(other.sum[i]);
      if ((distributions[i] == null) != (other.distributions[i] == null)) {
        throw new IllegalArgumentException("cannot merge statistics with and without the distribution of column '"
            + names[i] + "'");
      }
      if (distributions[i] != null) {
        distributions[i].merge(other.distributions[i]);
      }
      if (!numeric[i]) {
        Map<String, Long> counts = levelCounts.get(i);
        other.levelCounts.get(i).forEach((level, count) -> counts.merge(level, count, Long::sum));
      }
    }
  }

  /** Writes the statistics field by field; the column names and kinds travel too, so decoding needs no spec. */
  static final class Coder extends CustomCoder<ColumnStatistics> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(ColumnStatistics value, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeLong(value.rows);
      out.writeInt(value.names.length);
      for (int i = 0; i < value.names.length; i++) {
        out.writeUTF(value.names[i]);
        out.writeBoolean(value.numeric[i]);
      }
      for (int i = 0; i < value.names.length; i++) {
        out.writeLong(value.present[i]);
        out.writeLong(value.missing[i]);
        out.writeDouble(value.min[i]);
        out.writeDouble(value.max[i]);
        out.writeUTF(value.sum[i].toString());
        out.writeBoolean(value.distributions[i] != null);
        if (value.distributions[i] != null) {
          value.distributions[i].writeTo(out);
        }
        Map<String, Long> counts = value.levelCounts.get(i);
        out.writeInt(counts.size());
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
          writeLongString(out, entry.getKey());
          out.writeLong(entry.getValue());
        }
      }
      out.flush();
    }

    @Override
    public ColumnStatistics decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      long rows = in.readLong();
      int n = in.readInt();
      if (n < 0) {
        throw new CoderException("negative column count " + n);
      }
      String[] names = new String[n];
      boolean[] numeric = new boolean[n];
      for (int i = 0; i < n; i++) {
        names[i] = in.readUTF();
        numeric[i] = in.readBoolean();
      }
      ColumnStatistics statistics = new ColumnStatistics(names, numeric);
      statistics.rows = rows;
      for (int i = 0; i < n; i++) {
        statistics.present[i] = in.readLong();
        statistics.missing[i] = in.readLong();
        statistics.min[i] = in.readDouble();
        statistics.max[i] = in.readDouble();
        statistics.sum[i] = new BigDecimal(in.readUTF());
        if (in.readBoolean()) {
          statistics.distributions[i] = ValueDistribution.readFrom(in);
        }
        int size = in.readInt();
        if (size < 0) {
          throw new CoderException("negative level count " + size);
        }
        for (int k = 0; k < size; k++) {
          statistics.levelCounts.get(i).put(readLongString(in), in.readLong());
        }
      }
      return statistics;
    }

    /** UTF-8 with an int length: {@code writeUTF} stops at 64 KiB, and a level is whatever a CSV field held. */
    private static void writeLongString(DataOutputStream out, String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    private static String readLongString(DataInputStream in) throws IOException {
      int length = in.readInt();
      if (length < 0) {
        throw new CoderException("negative string length " + length);
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
