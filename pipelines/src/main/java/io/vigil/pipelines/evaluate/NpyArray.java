package io.vigil.pipelines.evaluate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A numeric NumPy array read from the NPY format (version 1.0/2.0/3.0 header, no pickled objects), held as doubles in
 * row-major (C) order whatever order the file stored: ADBench's {@code X} arrays are {@code fortran_order: True}.
 *
 * <p>Supported element types are the ones the benchmark files use and their close relatives: little-endian
 * {@code f8 f4 i8 i4 i2}, and the single-byte {@code u1 i1 b1}. Anything else is rejected with its descriptor named.
 */
public final class NpyArray {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private final int[] shape;
  private final double[] rowMajor;

  private NpyArray(int[] shape, double[] rowMajor) {
    this.shape = shape;
    this.rowMajor = rowMajor;
  }

  /** The dimensions, outermost first (a 0-d array has an empty shape). */
  public int[] shape() {
    return shape.clone();
  }

  public int size() {
    return rowMajor.length;
  }

  /** The elements in row-major order; a copy. */
  public double[] values() {
    return rowMajor.clone();
  }

  /** This 2-D array as rows of columns. */
  public double[][] toMatrix() {
    if (shape.length != 2) {
      throw new IllegalStateException("expected a 2-D array, got shape " + Arrays.toString(shape));
    }
    double[][] rows = new double[shape[0]][];
    for (int r = 0; r < shape[0]; r++) {
      rows[r] = Arrays.copyOfRange(rowMajor, r * shape[1], (r + 1) * shape[1]);
    }
    return rows;
  }

  /** This 1-D (or n × 1) array as integers; fails on a value that is not a whole number. */
  public int[] toIntVector() {
    if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
      throw new IllegalStateException("expected a vector, got shape " + Arrays.toString(shape));
    }
    int[] out = new int[rowMajor.length];
    for (int i = 0; i < out.length; i++) {
      double v = rowMajor[i];
      if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
        throw new IllegalStateException("element " + i + " is not an integer: " + v);
      }
      out[i] = (int) v;
    }
    return out;
  }

  /** Parses one NPY file's bytes. */
  public static NpyArray parse(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("not an NPY array: the magic string \\x93NUMPY is missing");
    }
    int major = bytes[6] & 0xff;
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = buffer.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = buffer.getInt(8);
      headerStart = 12;
    } else {
      throw new IllegalArgumentException("unsupported NPY format version " + major);
    }
    if (headerStart + headerLength > bytes.length) {
      throw new IllegalArgumentException("truncated NPY header");
    }
    String header = new String(bytes, headerStart, headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = match(DESCR, header, "descr");
    boolean fortranOrder = match(FORTRAN, header, "fortran_order").equals("True");
    int[] shape = parseShape(match(SHAPE, header, "shape"));
    ElementType type = ElementType.of(descr);

    long count = 1;
    for (int dim : shape) {
      count *= dim;
    }
    int dataStart = headerStart + headerLength;
    if (count > Integer.MAX_VALUE || dataStart + count * type.bytes > bytes.length) {
      throw new IllegalArgumentException("NPY data is shorter than its shape " + Arrays.toString(shape)
          + " of " + descr + " needs");
    }
    double[] stored = new double[(int) count];
    for (int i = 0; i < stored.length; i++) {
      stored[i] = type.read(buffer, dataStart + i * type.bytes);
    }
    double[] rowMajor = fortranOrder && shape.length > 1 ? fortranToC(stored, shape) : stored;
    return new NpyArray(shape, rowMajor);
  }

  /** Reads every {@code .npy} entry of an NPZ archive (a zip), keyed by the entry name without {@code .npy}. */
  public static Map<String, NpyArray> readNpz(Path npz) throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    try (InputStream file = Files.newInputStream(npz); ZipInputStream zip = new ZipInputStream(file)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String name = entry.getName();
        if (entry.isDirectory() || !name.endsWith(".npy")) {
          continue;
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        zip.transferTo(content);
        try {
          arrays.put(name.substring(0, name.length() - 4), parse(content.toByteArray()));
        } catch (IllegalArgumentException e) {
          throw new IOException(npz + " entry " + name + ": " + e.getMessage(), e);
        }
      }
    }
    if (arrays.isEmpty()) {
      throw new IOException(npz + " holds no .npy entry");
    }
    return arrays;
  }

  private static String match(Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("NPY header has no '" + key + "': " + header.strip());
    }
    return m.group(1);
  }

  private static int[] parseShape(String tuple) {
    String[] parts = tuple.split(",");
    int n = 0;
    int[] shape = new int[parts.length];
    for (String part : parts) {
      if (!part.isBlank()) {
        shape[n++] = Integer.parseInt(part.strip());
      }
    }
    return Arrays.copyOf(shape, n);
  }

  /** Reorders column-major storage into row-major, for any rank. */
  private static double[] fortranToC(double[] stored, int[] shape) {
    int rank = shape.length;
    int[] fortranStride = new int[rank];
    int stride = 1;
    for (int d = 0; d < rank; d++) {
      fortranStride[d] = stride;
      stride *= shape[d];
    }
    double[] out = new double[stored.length];
    int[] index = new int[rank];
    for (int c = 0; c < out.length; c++) {
      int f = 0;
      for (int d = 0; d < rank; d++) {
        f += index[d] * fortranStride[d];
      }
      out[c] = stored[f];
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return out;
  }

  private enum ElementType {
    F8(8), F4(4), I8(8), I4(4), I2(2), U1(1), I1(1), B1(1);

    final int bytes;

    ElementType(int bytes) {
      this.bytes = bytes;
    }

    static ElementType of(String descr) {
      if (descr.length() == 3 && (descr.charAt(0) == '<' || descr.charAt(0) == '|')) {
        String code = descr.substring(1);
        boolean singleByte = code.endsWith("1");
        if (singleByte || descr.charAt(0) == '<') {
          for (ElementType type : values()) {
            if (type.name().equalsIgnoreCase(code)) {
              return type;
            }
          }
        }
      }
      throw new IllegalArgumentException("unsupported NPY element type '" + descr
          + "' (supported: little-endian f8 f4 i8 i4 i2, and u1 i1 b1)");
    }

    double read(ByteBuffer buffer, int at) {
      return switch (this) {
        case F8 -> buffer.getDouble(at);
        case F4 -> buffer.getFloat(at);
        case I8 -> buffer.getLong(at);
        case I4 -> buffer.getInt(at);
        case I2 -> buffer.getShort(at);
        case U1, B1 -> buffer.get(at) & 0xff;
        case I1 -> buffer.get(at);
      };
    }
  }
}
