package org.blora.core.objective;

import java.util.Arrays;
import org.blora.core.linalg.Kernels;

/**
 * f_i(w) = 1/2 (x_i . w - y_i)^2, the data term of the paper's linear regression (Bernoulli-LoRA, arXiv
 * 2508.03820; docs/METHOD.md §7), with the consistent gradient (x_i . w - y_i) x_i
 * (not the reference code's extra -A^T b / N term).
 *
 * <p>Rows are taken in blocks of {@link #BLOCK}: the residuals r_b = X_b w - y_b, then g += X_b^T r_b with
 * {@link Kernels#addRows}, which reads and writes the gradient once per block instead of once per row while the
 * block's rows are still in cache. The block size is fixed (not tuned per host) and every sum runs in the
 * order {@link Kernels} fixes, so the gradient has the same bits on every executor. The same pass serves
 * several iterates at once ({@link MultiPointLoss}): each block is read from memory once for all of them.
 */
public final class LeastSquares implements MultiPointLoss {
    private static final long serialVersionUID = 1L;
    /** Rows per block: 16 rows of 4,096 doubles (512 KB) stay in a core's L2 cache between the two passes. */
    static final int BLOCK = 16;

    @Override
    public double accumulate(DataBlock b, double[] w, double[] grad) {
        double[] loss = new double[1];
        blocked(b, null, 0, b.rows, new double[][] {w}, new double[][] {grad}, loss);
        return loss[0];
    }

    @Override
    public void accumulatePoints(DataBlock b, double[][] w, double[][] grad, double[] loss) {
        blocked(b, null, 0, b.rows, w, grad, loss);
    }

    @Override
    public double accumulateRows(DataBlock b, int[] local, int from, int to, double[] w, double[] grad, long round) {
        double[] loss = new double[1];
        blocked(b, local, from, to, new double[][] {w}, new double[][] {grad}, loss);
        return loss[0];
    }

    /**
     * Rows local[from..to) of the block, or rows from..to when local is null, at every point w[p]: per row block,
     * point after point, the block's residuals and gradient, so the block is read from memory once for all points
     * and each point's sums run in the order of a single-point pass.
     */
    private static void blocked(DataBlock b, int[] local, int from, int to, double[][] w, double[][] grad,
                                double[] loss) {
        int d = b.cols;
        int[] off = new int[BLOCK];
        double[] r = new double[BLOCK];
        Arrays.fill(loss, 0, w.length, 0.0);
        for (int start = from; start < to; start += BLOCK) {
            int count = Math.min(BLOCK, to - start);
            for (int k = 0; k < count; k++) {
                off[k] = (local == null ? start + k : local[start + k]) * d;
            }
            for (int p = 0; p < w.length; p++) {
                Kernels.dotRows(d, b.x, off, count, w[p], 0, r);
                double sum = loss[p];
                for (int k = 0; k < count; k++) {
                    r[k] -= b.y[local == null ? start + k : local[start + k]];
                    sum += 0.5 * r[k] * r[k];
                }
                loss[p] = sum;
                Kernels.addRows(d, b.x, off, r, count, grad[p], 0);
            }
        }
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
