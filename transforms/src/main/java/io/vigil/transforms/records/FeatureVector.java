package io.vigil.transforms.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import java.io.DataInputStream;
import java.io.DataOutputStream;

/**
 * A record after preprocessing: its identifier, the dense float features the model reads, and what the encoding had
 * to bend to fit the fitted vocabulary and ranges (reported with the scores, never silently hidden).
 *
 * <p>Encoded with {@link Coder}, which writes the floats as raw IEEE 754 bits: a schema would box every feature.
 */
@DefaultCoder(FeatureVector.Coder.class)
public final class FeatureVector {
  private final String id;
  private final float[] values;
  private final List<String> unseenCategories;
  private final List<String> outOfRangeColumns;

  /**
   * @param id the record identifier
   * @param values the features, in the artifact's feature order; not copied, callers hand over ownership
   * @param unseenCategories {@code column=value} for each category not in the fitted vocabulary
   * @param outOfRangeColumns the numeric columns whose value lay outside the fitted min/max
   */
  public FeatureVector(String id, float[] values, List<String> unseenCategories, List<String> outOfRangeColumns) {
    this.id = Objects.requireNonNull(id, "id");
    this.values = Objects.requireNonNull(values, "values");
    this.unseenCategories = List.copyOf(unseenCategories);
    this.outOfRangeColumns = List.copyOf(outOfRangeColumns);
  }

  public static FeatureVector of(String id, float[] values) {
    return new FeatureVector(id, values, List.of(), List.of());
  }

  public String id() {
    return id;
  }

  /** The features; the array itself, not a copy: do not modify it. */
  public float[] values() {
    return values;
  }

  public int width() {
    return values.length;
  }

  public List<String> unseenCategories() {
    return unseenCategories;
  }

  public List<String> outOfRangeColumns() {
    return outOfRangeColumns;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FeatureVector)) {
      return false;
    }
    FeatureVector other = (FeatureVector) o;
    return id.equals(other.id) && Arrays.equals(values, other.values)
        && unseenCategories.equals(other.unseenCategories) && outOfRangeColumns.equals(other.outOfRangeColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(values), unseenCategories, outOfRangeColumns);
  }

  @Override
  public String toString() {
    return "FeatureVector{id=" + id + ", width=" + values.length + ", unseen=" + unseenCategories
        + ", outOfRange=" + outOfRangeColumns + "}";
  }

  /** Deterministic coder: id, width, the floats as big-endian IEEE 754 bits, then the two string lists. */
  public static final class Coder extends AtomicCoder<FeatureVector> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarIntCoder VARINT = VarIntCoder.of();
    private static final ListCoder<String> STRINGS = ListCoder.of(StringUtf8Coder.of());

    public static Coder of() {
      return INSTANCE;
    }

    /** How Beam's {@code @DefaultCoder} finds this coder: it looks for exactly this static method. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(FeatureVector.class), INSTANCE);
    }

    @Override
    public void encode(FeatureVector value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null FeatureVector");
      }
      STRING.encode(value.id, out);
      VARINT.encode(value.values.length, out);
      DataOutputStream data = new DataOutputStream(out);
      for (float v : value.values) {
        data.writeFloat(v);
      }
      data.flush();
      STRINGS.encode(value.unseenCategories, out);
      STRINGS.encode(value.outOfRangeColumns, out);
    }

    @Override
    public FeatureVector decode(InputStream in) throws IOException {
      String id = STRING.decode(in);
      int width = VARINT.decode(in);
      if (width < 0) {
        throw new CoderException("negative feature width " + width);
      }
      float[] values = new float[width];
      DataInputStream data = new DataInputStream(in);
      for (int i = 0; i < width; i++) {
        values[i] = data.readFloat();
      }
      return new FeatureVector(id, values, STRINGS.decode(in), STRINGS.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
