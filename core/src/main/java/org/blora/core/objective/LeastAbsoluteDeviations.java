package org.blora.core.objective;

import org.blora.core.linalg.Dense;

/**
 * f_i(w) = |x_i . w - y_i|, least absolute deviations: convex, not differentiable where a residual is zero,
 * and Lipschitz with constant ||x_i|| per row (so f = (1/N) sum_i f_i has L0 <= (1/N) sum_i ||x_i||, see
 * {@link Lipschitz}). The subgradient returned is sign(r_i) x_i with sign(0) = 0, which lies in the
 * subdifferential [-1, 1] x_i at a kink. The loss has no training noise, so both modes compute the same.
 */
public final class LeastAbsoluteDeviations implements DataLoss {
    private static final long serialVersionUID = 1L;

    @Override
    public double accumulate(DataBlock b, double[] w, double[] grad) {
        double loss = 0.0;
        int d = b.cols;
        for (int i = 0, off = 0; i < b.rows; i++, off += d) {
            loss += row(b, i, off, w, grad);
        }
        return loss;
    }

    @Override
    public double accumulateRows(DataBlock b, int[] local, int from, int to, double[] w, double[] grad, long round) {
        double loss = 0.0;
        for (int k = from; k < to; k++) {
            loss += row(b, local[k], local[k] * b.cols, w, grad);
        }
        return loss;
    }

    private static double row(DataBlock b, int i, int off, double[] w, double[] grad) {
        double r = Dense.dot(b.cols, b.x, off, w, 0) - b.y[i];
        if (r != 0.0) {
            Dense.axpy(b.cols, Math.signum(r), b.x, off, grad, 0);
        }
        return Math.abs(r);
    }
}
