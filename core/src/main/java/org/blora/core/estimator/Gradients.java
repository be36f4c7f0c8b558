package org.blora.core.estimator;

/**
 * The gradients a round produced, each already normalised and including the regulariser: the full gradient
 * at W_t, the minibatch gradient at W_t, and the same minibatch's gradient at W_{t-1}. Absent ones are null.
 */
public record Gradients(double[] full, double[] batch, double[] batchPrev) {
}
