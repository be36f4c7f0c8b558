package org.blora.core.objective;

/**
 * f_i(w) = |x_i . w - y_i|, least absolute deviations: convex, not differentiable where a residual is zero,
 * and Lipschitz with constant ||x_i|| per row (so f = (1/N) sum_i f_i has L0 <= (1/N) sum_i ||x_i||, see
 * {@link Lipschitz}). The subgradient returned is sign(r_i) x_i with sign(0) = 0, which lies in the
 * subdifferential [-1, 1] x_i at a kink. Computed by the fixed-order pass of {@link LinearMarginLoss}.
 */
public final class LeastAbsoluteDeviations extends LinearMarginLoss {
    private static final long serialVersionUID = 1L;

    @Override
    double phi(double score, double y, double[] slope, int k, long row) {
        double r = score - y;
        slope[k] = Math.signum(r);
        return Math.abs(r);
    }
}
