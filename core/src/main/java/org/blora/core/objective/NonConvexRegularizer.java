package org.blora.core.objective;

import java.io.Serializable;

/**
 * lambda * sum_j w_j^2 / (1 + w_j^2), the paper's non-convex regulariser (docs/METHOD.md §7). Its Hessian is
 * diagonal with entries 2 lambda (1 - 3 w^2) / (1 + w^2)^3, bounded in absolute value by 2 lambda, which is the
 * 2 lambda in the smoothness estimate L = ||X^T X / N||_2 + 2 lambda. It does not depend on the data, so the
 * driver evaluates it; clients only send data terms.
 */
public final class NonConvexRegularizer implements Serializable {
    private static final long serialVersionUID = 1L;

    public final double lambda;

    public NonConvexRegularizer(double lambda) {
        if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("reg.lambda must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    public double value(double[] w) {
        if (lambda == 0.0) {
            return 0.0;
        }
        double s = 0.0;
        for (double v : w) {
            double v2 = v * v;
            s += v2 / (1.0 + v2);
        }
        return lambda * s;
    }

    /** grad += scale * grad R(w), with dR/dw_j = 2 lambda w_j / (1 + w_j^2)^2. */
    public void addGradient(double[] w, double scale, double[] grad) {
        if (lambda == 0.0) {
            return;
        }
        double c = 2.0 * lambda * scale;
        for (int j = 0; j < w.length; j++) {
            double q = 1.0 + w[j] * w[j];
            grad[j] += c * w[j] / (q * q);
        }
    }

    /** Bound on the curvature the regulariser adds: |R''| <= 2 lambda. */
    public double curvatureBound() {
        return 2.0 * lambda;
    }
}
