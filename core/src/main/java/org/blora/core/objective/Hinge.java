package org.blora.core.objective;

/**
 * f_i(w) = max(0, 1 - y_i x_i . w) with labels y_i in {-1, +1}: the hinge loss of a linear classifier, convex,
 * not differentiable where the margin y_i x_i . w equals 1, and Lipschitz with constant ||x_i|| per row. The
 * subgradient returned is -y_i x_i where the margin is below 1 and 0 otherwise (0 is in the subdifferential
 * [-1, 0] y_i x_i at the kink). Computed by the fixed-order pass of {@link LinearMarginLoss}.
 */
public final class Hinge extends LinearMarginLoss {
    private static final long serialVersionUID = 1L;

    @Override
    double phi(double score, double y, double[] slope, int k, long row) {
        if (y != 1.0 && y != -1.0) {
            throw new IllegalArgumentException("the hinge loss needs labels -1 or +1, row " + row
                    + " has " + y + "; map the two classes to -1 and +1");
        }
        double slack = 1.0 - y * score;
        if (slack <= 0.0) {
            slope[k] = 0.0;
            return 0.0;
        }
        slope[k] = -y;
        return slack;
    }
}
