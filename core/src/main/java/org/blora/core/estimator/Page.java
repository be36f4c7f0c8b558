package org.blora.core.estimator;

import org.blora.core.linalg.Dense;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * PAGE (Theorem 4): with probability q the full gradient, otherwise
 * G^t = G^{t-1} + (1/b) sum_{i in S} (grad f_i(W^t) - grad f_i(W^{t-1})) with one minibatch S at both points.
 * G^0 is the full gradient (the reference code starts from a minibatch gradient; starting exact makes the
 * Lyapunov term G_0 zero and PAGE with q = 1 identical to GD).
 */
public final class Page extends RecursiveEstimator {
    private final double q;

    public Page(long seed, long n, int batch, double q) {
        super(seed, n, batch);
        if (!(q > 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException("optim.page.q must be in (0, 1], got " + q);
        }
        this.q = q;
    }

    /** The paper's choice q = b / (b + N). */
    public static double defaultQ(int batch, long n) {
        return (double) batch / (batch + n);
    }

    @Override
    boolean refresh(int round) {
        return RandomStreams.of(seed(), round, RandomStreams.DRIVER, Purpose.PAGE_COIN).nextDouble() < q;
    }

    @Override
    void correct(double[] batchNow, double[] batchPrev) {
        Dense.axpy(1.0, batchNow, g);
        Dense.axpy(-1.0, batchPrev, g);
    }

    @Override
    public String name() {
        return "page";
    }
}
