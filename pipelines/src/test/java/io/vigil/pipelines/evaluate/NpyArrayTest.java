package io.vigil.pipelines.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyArrayTest {
  /** An NPY v1.0 file as NumPy writes it: magic, version, header length, header padded to 64 bytes, data. */
  static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
        + shape + ", }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1));
    out.put(data);
    return out.array();
  }

  static byte[] doubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  @Test
  void readsFortranOrderAsRowsOfColumns() {
    // the 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column
    NpyArray a = NpyArray.parse(npy("<f8", true, "(2, 3)", doubles(1, 4, 2, 5, 3, 6)));
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.toMatrix()).isDeepEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
  }

  @Test
  void readsCOrderUnchanged() {
    NpyArray a = NpyArray.parse(npy("<f8", false, "(2, 3)", doubles(1, 2, 3, 4, 5, 6)));
    assertThat(a.toMatrix()).isDeepEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
  }

  @Test
  void readsIntegerAndByteTypes() {
    ByteBuffer i8 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putLong(-3);
    assertThat(NpyArray.parse(npy("<i8", false, "(3,)", i8.array())).toIntVector()).containsExactly(0, 1, -3);
    ByteBuffer i4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(0);
    assertThat(NpyArray.parse(npy("<i4", false, "(2,)", i4.array())).toIntVector()).containsExactly(1, 0);
    byte[] u1 = {(byte) 200, 7, 1, 2};
    assertThat(NpyArray.parse(npy("|u1", true, "(2, 2)", u1)).toMatrix())
        .isDeepEqualTo(new double[][] {{200, 1}, {7, 2}});
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThatThrownBy(() -> NpyArray.parse("not numpy at all".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> NpyArray.parse(npy(">f8", false, "(1,)", doubles(1))))
        .hasMessageContaining("unsupported NPY element type '>f8'");
    assertThatThrownBy(() -> NpyArray.parse(npy("<f8", false, "(4,)", doubles(1, 2))))
        .hasMessageContaining("shorter");
  }

  @Test
  void readsEveryEntryOfAnNpz(@TempDir Path dir) throws IOException {
    Path npz = dir.resolve("1_tiny.npz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("X.npy"));
      zip.write(npy("<f8", true, "(2, 2)", doubles(1, 3, 2, 4)));
      zip.putNextEntry(new ZipEntry("y.npy"));
      zip.write(npy("<i8", false, "(2,)", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(0).putLong(1).array()));
    }
    Files.write(npz, bytes.toByteArray());
    Map<String, NpyArray> arrays = NpyArray.readNpz(npz);
    assertThat(arrays).containsOnlyKeys("X", "y");
    LabelledDataset data = LabelledDataset.readAdbenchNpz(npz);
    assertThat(data.name()).isEqualTo("tiny");
    assertThat(data.features()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
    assertThat(data.labels()).containsExactly(0, 1);
  }

  @Test
  void readsTheAdbenchFilesWithTheirPublishedShapes() throws IOException {
    Path adbench = Path.of(System.getProperty("vigil.shared.dir"), "data", "adbench");
    LabelledDataset breastw = LabelledDataset.readAdbenchNpz(adbench.resolve("4_breastw.npz"));
    assertThat(breastw.name()).isEqualTo("breastw");
    assertThat(breastw.rows()).isEqualTo(683);
    assertThat(breastw.columns()).isEqualTo(9);
    assertThat(breastw.anomalies()).isEqualTo(239);
    // first and last rows as numpy.load gives them (X is stored column-major: a misread would scramble these)
    assertThat(breastw.features()[0]).containsExactly(5, 1, 1, 1, 2, 1, 3, 1, 1);
    assertThat(breastw.features()[682]).containsExactly(4, 8, 8, 5, 4, 5, 10, 4, 1);
    LabelledDataset annthyroid = LabelledDataset.readAdbenchNpz(adbench.resolve("2_annthyroid.npz"));
    assertThat(annthyroid.rows()).isEqualTo(7200);
    assertThat(annthyroid.columns()).isEqualTo(6);
    assertThat(annthyroid.anomalies()).isEqualTo(534);
    assertThat(annthyroid.features()[7199]).containsExactly(0.73, 0.00056, 0.0201, 0.081, 0.09, 0.09);
  }
}
