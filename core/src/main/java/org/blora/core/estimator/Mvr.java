package org.blora.core.estimator;

import org.blora.core.linalg.Dense;

/**
 * MVR / STORM (Theorem 3): G^t = g_S(W^t) + (1 - b) (G^{t-1} - g_S(W^{t-1})), one minibatch S at both points,
 * momentum parameter b in (0, 1]. G^0 is the full gradient.
 */
public final class Mvr implements GradientEstimator {
    private final long seed;
    private final long n;
    private final int batch;
    private final double b;
    private double[] g;

    public Mvr(long seed, long n, int batch, double b) {
        if (!(b > 0.0 && b <= 1.0)) {
            throw new IllegalArgumentException("optim.mvr.b must be in (0, 1], got " + b);
        }
        this.seed = seed;
        this.n = n;
        this.batch = batch;
        this.b = b;
    }

    @Override
    public Plan plan(int round) {
        if (round == 0 || g == null) {
            return Plan.fullGradient();
        }
        return new Plan(false, Minibatch.draw(seed, round, n, batch), true, 2.0 * batch / n);
    }

    @Override
    public double[] estimate(int round, Gradients gr) {
        if (gr.batch() == null) {
            g = gr.full().clone();
        } else {
            Dense.axpy(-1.0, gr.batchPrev(), g);
            Dense.scale(1.0 - b, g);
            Dense.axpy(1.0, gr.batch(), g);
        }
        return g;
    }

    @Override
    public String name() {
        return "mvr";
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
