package org.blora.config;

/** The gradient estimator G^t of a run (optim.estimator). */
public enum EstimatorKind implements Choice {
    /** The full gradient. */
    GD,
    /** A minibatch of optim.batch rows drawn without replacement. */
    SGD,
    /** PAGE: the full gradient with probability q, else a minibatch correction of the previous estimate. */
    PAGE,
    /** MVR (momentum variance reduction) with parameter optim.mvr.b. */
    MVR;

    /** Whether the estimator draws minibatches (and so needs optim.batch <= N). */
    public boolean minibatch() {
        return this != GD;
    }
}
