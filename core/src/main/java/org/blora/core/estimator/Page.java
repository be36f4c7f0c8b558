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
public final class Page implements GradientEstimator {
    private final long seed;
    private final long n;
    private final int batch;
    private final double q;
    private double[] g;

    public Page(long seed, long n, int batch, double q) {
        if (!(q > 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException("optim.page.q must be in (0, 1], got " + q);
        }
        this.seed = seed;
        this.n = n;
        this.batch = batch;
        this.q = q;
    }

    /** The paper's choice q = b / (b + N). */
    public static double defaultQ(int batch, long n) {
        return (double) batch / (batch + n);
    }

    @Override
    public Plan plan(int round) {
        if (round == 0 || g == null || coin(round)) {
            return Plan.fullGradient();
        }
        return new Plan(false, Minibatch.draw(seed, round, n, batch), true, 2.0 * batch / n);
    }

    private boolean coin(int round) {
        return RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.PAGE_COIN).nextDouble() < q;
    }

    @Override
    public double[] estimate(int round, Gradients gr) {
        if (gr.batch() == null) {
            g = gr.full().clone();
        } else {
            Dense.axpy(1.0, gr.batch(), g);
            Dense.axpy(-1.0, gr.batchPrev(), g);
        }
        return g;
    }

    @Override
    public String name() {
        return "page";
    }

    @Override
    public double[] state() {
        return g;
    }

    @Override
    public void restore(double[] state) {
        g = state == null ? null : state.clone();
    }
}
