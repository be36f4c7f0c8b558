package org.blora.core.estimator;

/** G^t = (1/b) sum_{i in S_t} grad f_i(W^t), S_t drawn without replacement (Theorem 2). */
public final class Sgd implements GradientEstimator {
    private final long seed;
    private final long n;
    private final int batch;

    public Sgd(long seed, long n, int batch) {
        this.seed = seed;
        this.n = n;
        this.batch = batch;
    }

    @Override
    public Plan plan(int round) {
        return new Plan(false, Minibatch.draw(seed, round, n, batch), false, (double) batch / n);
    }

    @Override
    public double[] estimate(int round, Gradients g) {
        return g.batch();
    }

    @Override
    public String name() {
        return "sgd";
    }
}
