package org.blora.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LapackTest {
    /** U S V^T of a tall, a wide and a square matrix gives the matrix back; U is rows x min, V^T min x cols. */
    @Test
    void svdOfTallWideAndSquareMatricesReconstructs() {
        for (int[] shape : new int[][] {{10, 3}, {3, 10}, {4, 4}}) {
            int rows = shape[0];
            int cols = shape[1];
            double[] a = new double[rows * cols];
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.sin(1.0 + 0.7 * i) + (i % 5 == 0 ? 2 : 0);
            }
            Lapack.Svd svd = Lapack.svd(a.clone(), rows, cols);
            int k = Math.min(rows, cols);
            assertEquals(rows * k, svd.u().length);
            assertEquals(k * cols, svd.vt().length);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int l = 0; l < k; l++) {
                        sum += svd.u()[i + l * rows] * svd.s()[l] * svd.vt()[l + j * k];
                    }
                    assertEquals(a[i + j * rows], sum, 1e-12, rows + "x" + cols + " at " + i + "," + j);
                }
            }
        }
    }
}
