package org.blora.core.estimator;

/** G^t = grad f(W^t) (Theorem 1). */
public final class Gd implements GradientEstimator {
    @Override
    public Plan plan(int round) {
        return Plan.fullGradient();
    }

    @Override
    public double[] estimate(int round, Gradients g) {
        return g.full();
    }

    @Override
    public String name() {
        return "gd";
    }
}
