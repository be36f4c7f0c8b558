package org.blora.config;

/** How the stepsize gamma is chosen (optim.step.rule). */
public enum StepRuleKind implements Choice {
    /** gamma = c / L_hat with L_hat = ||X^T X / N||_2 + the regulariser's curvature bound, estimated on the data. */
    THEORY,
    /** gamma = optim.step.size. */
    CONSTANT,
    /** Polyak's stepsize (f(W) - f*) / ||G||^2 with f* = optim.polyak.fstar. */
    POLYAK
}
