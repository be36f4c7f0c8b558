package org.blora.core.estimator;

/**
 * The state machine for the gradient estimator G^t of docs/METHOD.md §3 (GD, SGD, PAGE, MVR). Each
 * round: {@link #plan} says which gradients the clients must compute at W_t, then {@link #estimate} turns
 * them into G^t. Randomness (minibatches, PAGE's coin) comes from the round's own streams.
 */
public interface GradientEstimator {
    Plan plan(int round);

    double[] estimate(int round, Gradients gradients);

    String name();

    /** The state carried from round to round (G^{t-1}), for checkpoints; null when stateless. */
    default double[] state() {
        return null;
    }

    default void restore(double[] state) {
    }
}
