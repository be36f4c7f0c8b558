package org.blora.core.objective;

import org.blora.core.linalg.Dense;

/**
 * f_i(w) = max(0, 1 - y_i x_i . w) with labels y_i in {-1, +1}: the hinge loss of a linear classifier, convex,
 * not differentiable where the margin y_i x_i . w equals 1, and Lipschitz with constant ||x_i|| per row. The
 * subgradient returned is -y_i x_i where the margin is below 1 and 0 otherwise (0 is in the subdifferential
 * [-1, 0] y_i x_i at the kink). The loss has no training noise, so both modes compute the same.
 */
public final class Hinge implements DataLoss {
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
        double y = b.y[i];
        if (y != 1.0 && y != -1.0) {
            throw new IllegalArgumentException("the hinge loss needs labels -1 or +1, row " + (b.firstRow + i)
                    + " has " + y + "; map the two classes to -1 and +1");
        }
        double slack = 1.0 - y * Dense.dot(b.cols, b.x, off, w, 0);
        if (slack <= 0.0) {
            return 0.0;
        }
        Dense.axpy(b.cols, -y, b.x, off, grad, 0);
        return slack;
    }
}
