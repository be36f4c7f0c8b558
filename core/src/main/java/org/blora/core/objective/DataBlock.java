package org.blora.core.objective;

import java.io.Serializable;

/**
 * A contiguous dense block of one client's rows: features row-major (row i occupies x[i*cols .. (i+1)*cols)),
 * one label per row. Global row indices of the block are firstRow .. firstRow + rows - 1; they are what
 * minibatch indices refer to. A client holds one block, or several when its rows exceed the block-size bound.
 */
public final class DataBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int client;
    public final long firstRow;
    public final int rows;
    public final int cols;
    public final double[] x;
    public final double[] y;

    public DataBlock(int client, long firstRow, int rows, int cols, double[] x, double[] y) {
        if (x.length != (long) rows * cols || y.length != rows) {
            throw new IllegalArgumentException("block of " + rows + "x" + cols + " has " + x.length
                    + " features and " + y.length + " labels");
        }
        this.client = client;
        this.firstRow = firstRow;
        this.rows = rows;
        this.cols = cols;
        this.x = x;
        this.y = y;
    }

    public long endRow() {
        return firstRow + rows;
    }

    /** ||x_i||^2 of the block's row i, summed in column order (the same bits on any executor). */
    public double rowNormSq(int i) {
        double s = 0.0;
        for (int j = 0, off = i * cols; j < cols; j++) {
            s += x[off + j] * x[off + j];
        }
        return s;
    }
}
