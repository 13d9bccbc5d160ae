package io.vigil.pipelines.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A table of numeric features with a 0/1 anomaly label per row (1 = anomaly).
 *
 * @param name the data set's name, e.g. {@code annthyroid}
 * @param features rows of equal width
 * @param labels one label per row
 */
public record LabelledDataset(String name, double[][] features, int[] labels) {
  public LabelledDataset {
    if (features.length != labels.length) {
      throw new IllegalArgumentException(name + ": " + features.length + " rows but " + labels.length + " labels");
    }
    if (features.length == 0) {
      throw new IllegalArgumentException(name + " has no rows");
    }
    int width = features[0].length;
    for (int i = 0; i < features.length; i++) {
      if (features[i].length != width) {
        throw new IllegalArgumentException(name + ": row " + i + " has " + features[i].length + " columns, not " + width);
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(name + ": label " + i + " is " + labels[i] + ", expected 0 or 1");
      }
    }
  }

  public int rows() {
    return labels.length;
  }

  public int columns() {
    return features[0].length;
  }

  public int anomalies() {
    int n = 0;
    for (int label : labels) {
      n += label;
    }
    return n;
  }

  /**
   * Reads an ADBench {@code .npz} (arrays {@code X} and {@code y}). The name is the file name without its numeric
   * prefix and extension ({@code 2_annthyroid.npz} is {@code annthyroid}), as in ADBench's published tables.
   */
  public static LabelledDataset readAdbenchNpz(Path npz) throws IOException {
    Map<String, NpyArray> arrays = NpyArray.readNpz(npz);
    NpyArray x = arrays.get("X");
    NpyArray y = arrays.get("y");
    if (x == null || y == null) {
      throw new IOException(npz + " must hold arrays X and y; it holds " + arrays.keySet());
    }
    try {
      return new LabelledDataset(adbenchName(npz), x.toMatrix(), y.toIntVector());
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new IOException(npz + ": " + e.getMessage(), e);
    }
  }

  static String adbenchName(Path npz) {
    String file = npz.getFileName().toString();
    String stem = file.endsWith(".npz") ? file.substring(0, file.length() - 4) : file;
    return stem.replaceFirst("^\\d+_", "");
  }
}
