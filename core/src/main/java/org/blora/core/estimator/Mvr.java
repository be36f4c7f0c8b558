package org.blora.core.estimator;

import org.blora.core.linalg.Dense;

/**
 * MVR / STORM (Theorem 3): G^t = g_S(W^t) + (1 - b) (G^{t-1} - g_S(W^{t-1})), one minibatch S at both points,
 * momentum parameter b in (0, 1]. G^0 is the full gradient.
 */
public final class Mvr extends RecursiveEstimator {
    private final double b;

    public Mvr(long seed, long n, int batch, double b) {
        super(seed, n, batch);
        if (!(b > 0.0 && b <= 1.0)) {
            throw new IllegalArgumentException("optim.mvr.b must be in (0, 1], got " + b);
        }
        this.b = b;
    }

    @Override
    boolean refresh(int round) {
        return false;
    }

    @Override
    void correct(double[] batchNow, double[] batchPrev) {
        Dense.axpy(-1.0, batchPrev, g);
        Dense.scale(1.0 - b, g);
        Dense.axpy(1.0, batchNow, g);
    }

    @Override
    public String name() {
        return "mvr";
    }
}
