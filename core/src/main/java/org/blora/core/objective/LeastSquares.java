package org.blora.core.objective;

import org.blora.core.linalg.Kernels;

/**
 * f_i(w) = 1/2 (x_i . w - y_i)^2, the data term of the paper's linear regression (Bernoulli-LoRA, arXiv
 * 2508.03820; docs/METHOD.md §7), with the consistent gradient (x_i . w - y_i) x_i (not the reference code's extra -A^T b / N term).
 *
 * <p>Rows are taken in blocks of {@link #BLOCK}: the residuals r_b = X_b w - y_b, then g += X_b^T r_b with
 * {@link Kernels#addRows}, which reads and writes the gradient once per block instead of once per row while the
 * block's rows are still in cache. The block size is fixed (not tuned per host) and every sum runs in the
 * order {@link Kernels} fixes, so the gradient has the same bits on every executor.
 */
public final class LeastSquares implements DataLoss {
    private static final long serialVersionUID = 1L;
    /** Rows per block: 16 rows of 4,096 doubles (512 KB) stay in a core's L2 cache between the two passes. */
    static final int BLOCK = 16;

    @Override
    public double accumulate(DataBlock b, double[] w, double[] grad) {
        return blocked(b, null, 0, b.rows, w, grad);
    }

    @Override
    public double accumulateRows(DataBlock b, int[] local, int from, int to, double[] w, double[] grad, long round) {
        return blocked(b, local, from, to, w, grad);
    }

    /** Rows local[from..to) of the block, or rows from..to when local is null. */
    private static double blocked(DataBlock b, int[] local, int from, int to, double[] w, double[] grad) {
        int d = b.cols;
        int[] off = new int[BLOCK];
        double[] r = new double[BLOCK];
        double loss = 0.0;
        for (int start = from; start < to; start += BLOCK) {
            int count = Math.min(BLOCK, to - start);
            for (int k = 0; k < count; k++) {
                off[k] = (local == null ? start + k : local[start + k]) * d;
            }
            Kernels.dotRows(d, b.x, off, count, w, 0, r);
            for (int k = 0; k < count; k++) {
                r[k] -= b.y[local == null ? start + k : local[start + k]];
                loss += 0.5 * r[k] * r[k];
            }
            Kernels.addRows(d, b.x, off, r, count, grad, 0);
        }
        return loss;
    }

    @Override
    public void addGramTimes(DataBlock b, double[] v, double[] out) {
        int d = b.cols;
        int[] off = new int[BLOCK];
        double[] xv = new double[BLOCK];
        for (int start = 0; start < b.rows; start += BLOCK) {
            int count = Math.min(BLOCK, b.rows - start);
            for (int k = 0; k < count; k++) {
                off[k] = (start + k) * d;
            }
            Kernels.dotRows(d, b.x, off, count, v, 0, xv);
            Kernels.addRows(d, b.x, off, xv, count, out, 0);
        }
    }
}
