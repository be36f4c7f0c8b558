package org.blora.config;

/**
 * model.loss: the per-row loss of the linear model. {@code squares} is the paper's least squares (smooth);
 * {@code lad} and {@code hinge} are the convex non-smooth losses of Bernoulli-LoRA's subgradient theory
 * (arXiv 2508.03820; docs/THEORY.md).
 */
public enum LossKind implements Choice {
    /** 1/2 (x . w - y)^2. */
    SQUARES,
    /** |x . w - y|, least absolute deviations. */
    LAD,
    /** max(0, 1 - y x . w), labels -1 or +1. */
    HINGE;

    /** Whether the loss is convex and non-smooth (subgradient steps, the constant and Polyak theorems). */
    public boolean nonSmooth() {
        return this != SQUARES;
    }
}
