package org.blora.core.objective;

import org.blora.core.linalg.Kernels;

/**
 * A loss of the linear model's score, f_i(w) = phi(x_i . w, y_i), with a subgradient phi'(x_i . w, y_i) x_i: the
 * shared pass of {@link LeastAbsoluteDeviations} and {@link Hinge}. It runs exactly like {@link LeastSquares}:
 * rows in blocks of {@link LeastSquares#BLOCK}, the scores of a block by {@link Kernels#dotRows}, then
 * g += X_b^T c_b by {@link Kernels#addRows} with c_k = phi'(score_k, y_k), so every sum runs in the fixed order of
 * {@link Kernels} and the subgradient has the same bits on every executor. No training noise: both modes agree.
 */
abstract class LinearMarginLoss implements DataLoss {
    private static final long serialVersionUID = 1L;

    /**
     * phi(score, y); stores the subgradient coefficient phi'(score, y) in {@code slope[k]} (a member of the
     * subdifferential at a kink). {@code row} is the global row index, for error messages.
     */
    abstract double phi(double score, double y, double[] slope, int k, long row);

    @Override
    public final double accumulate(DataBlock b, double[] w, double[] grad) {
        return blocked(b, null, 0, b.rows, w, grad);
    }

    @Override
    public final double accumulateRows(DataBlock b, int[] local, int from, int to, double[] w, double[] grad, long round) {
        return blocked(b, local, from, to, w, grad);
    }

    private double blocked(DataBlock b, int[] local, int from, int to, double[] w, double[] grad) {
        int d = b.cols;
        int block = LeastSquares.BLOCK;
        int[] off = new int[block];
        double[] score = new double[block];
        double[] slope = new double[block];
        double loss = 0.0;
        for (int start = from; start < to; start += block) {
            int count = Math.min(block, to - start);
            for (int k = 0; k < count; k++) {
                off[k] = (local == null ? start + k : local[start + k]) * d;
            }
            Kernels.dotRows(d, b.x, off, count, w, 0, score);
            for (int k = 0; k < count; k++) {
                int i = local == null ? start + k : local[start + k];
                loss += phi(score[k], b.y[i], slope, k, b.firstRow + i);
            }
            Kernels.addRows(d, b.x, off, slope, count, grad, 0);
        }
        return loss;
    }
}
