package org.blora.bench;

import dev.ludovic.netlib.blas.BLAS;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;

/**
 * The single-process least-squares passes the benchmark's floor is the fastest of: sum over rows of
 * (x_i . w - y_i) x_i into g, returning the loss. Ours (the fixed-order kernel the executors run) and two netlib
 * forms: one ddot + one daxpy per row, and two dgemv per 16-row block (X_b w, then X_b^T r), which reads and
 * writes g once per block instead of once per row.
 */
enum FloorKernel {
    KERNEL("LeastSquares.accumulate (fixed-order kernel)") {
        private final LeastSquares ls = new LeastSquares();

        @Override
        double pass(DataBlock b, double[] w, double[] g) {
            return ls.accumulate(b, w, g);
        }
    },
    NETLIB_ROW("netlib ddot + daxpy per row") {
        @Override
        double pass(DataBlock b, double[] w, double[] g) {
            BLAS blas = Dense.blas();
            int d = b.cols;
            double loss = 0.0;
            for (int i = 0, off = 0; i < b.rows; i++, off += d) {
                double r = blas.ddot(d, b.x, off, 1, w, 0, 1) - b.y[i];
                loss += 0.5 * r * r;
                blas.daxpy(d, r, b.x, off, 1, g, 0, 1);
            }
            return loss;
        }
    },
    NETLIB_GEMV16("netlib dgemv per 16-row block") {
        @Override
        double pass(DataBlock b, double[] w, double[] g) {
            BLAS blas = Dense.blas();
            int d = b.cols;
            double[] r = new double[16];
            double loss = 0.0;
            for (int start = 0; start < b.rows; start += 16) {
                int count = Math.min(16, b.rows - start);
                // Row-major X_b (count x d) is column-major X_b^T (d x count), leading dimension d.
                blas.dgemv("T", d, count, 1.0, b.x, start * d, d, w, 0, 1, 0.0, r, 0, 1);
                for (int k = 0; k < count; k++) {
                    r[k] -= b.y[start + k];
                    loss += 0.5 * r[k] * r[k];
                }
                blas.dgemv("N", d, count, 1.0, b.x, start * d, d, r, 0, 1, 1.0, g, 0, 1);
            }
            return loss;
        }
    };

    final String label;

    FloorKernel(String label) {
        this.label = label;
    }

    abstract double pass(DataBlock b, double[] w, double[] g);
}
