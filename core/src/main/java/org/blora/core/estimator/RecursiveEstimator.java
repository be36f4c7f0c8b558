package org.blora.core.estimator;

/**
 * An estimator that carries G^{t-1} forward and corrects it with one minibatch evaluated at both W_t and W_{t-1}
 * (PAGE, MVR), restarting from the full gradient at round 0 and whenever {@link #refresh} says so.
 */
abstract class RecursiveEstimator implements GradientEstimator {
    private final long seed;
    private final long n;
    private final int batch;
    protected double[] g;

    RecursiveEstimator(long seed, long n, int batch) {
        this.seed = seed;
        this.n = n;
        this.batch = batch;
    }

    /** Whether round t (t >= 1) takes the full gradient instead of the minibatch correction. */
    abstract boolean refresh(int round);

    /** G^t from G^{t-1} (in g, may be updated in place), g_S(W_t) and g_S(W_{t-1}). */
    abstract void correct(double[] batchNow, double[] batchPrev);

    @Override
    public final Plan plan(int round) {
        if (round == 0 || g == null || refresh(round)) {
            return Plan.fullGradient();
        }
        return new Plan(false, Minibatch.draw(seed, round, n, batch), true, 2.0 * batch / n);
    }

    @Override
    public final double[] estimate(int round, Gradients gr) {
        if (gr.batch() == null) {
            g = gr.full().clone();
        } else {
            correct(gr.batch(), gr.batchPrev());
        }
        return g;
    }

    long seed() {
        return seed;
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
