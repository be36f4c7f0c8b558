package org.blora.config;

/** data.labels: what the synthetic generator puts in the label column. */
public enum LabelKind implements Choice {
    /** sign for model.loss=hinge, values otherwise. */
    AUTO,
    /** The make_regression targets x . w + bias + noise. */
    VALUES,
    /** -1 or +1: the side of the true coefficients' hyperplane, rows moved to at least data.margin from it. */
    SIGN
}
