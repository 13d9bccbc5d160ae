package io.vigil.models;

import java.util.Arrays;

/** A dense rows × cols matrix of model inputs, stored row-major. Immutable: the array is copied in and out. */
public final class FeatureMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    public FeatureMatrix(int rows, int cols, float[] rowMajor) {
        if (rows < 0 || cols <= 0) {
            throw new IllegalArgumentException("rows must be >= 0 and cols > 0, got " + rows + " x " + cols);
        }
        if (rowMajor.length != (long) rows * cols) {
            throw new IllegalArgumentException(
                    "expected " + ((long) rows * cols) + " values for " + rows + " x " + cols + ", got "
                            + rowMajor.length);
        }
        for (int i = 0; i < rowMajor.length; i++) {
            if (!Float.isFinite(rowMajor[i])) {
                throw new IllegalArgumentException(
                        "value at row " + (i / cols) + ", column " + (i % cols) + " is not finite: " + rowMajor[i]);
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.data = rowMajor.clone();
    }

    public static FeatureMatrix of(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("at least one row is needed to know the width");
        }
        int cols = rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException(
                        "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return new FeatureMatrix(rows.length, cols, flat);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** A copy of the row-major values. */
    public float[] data() {
        return data.clone();
    }

    public float[] row(int index) {
        return Arrays.copyOfRange(data, index * cols, (index + 1) * cols);
    }

    /** Copies rows {@code indices} into {@code target}, row-major, without copying the whole matrix. */
    void gatherRows(int[] indices, int from, int count, float[] target) {
        for (int i = 0; i < count; i++) {
            System.arraycopy(data, indices[from + i] * cols, target, i * cols, cols);
        }
    }

    /** Copies {@code count} consecutive rows starting at {@code firstRow} into {@code target}. */
    void copyRows(int firstRow, int count, float[] target) {
        System.arraycopy(data, firstRow * cols, target, 0, count * cols);
    }
}
