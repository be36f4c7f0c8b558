package org.blora.config;

/** A split of a data set that has them (mnist): the training rows, or the held-out validation and test rows. */
public enum DataSplit implements Choice {
    TRAIN,
    /** Scored on metric rounds for early stopping and the plateau schedule, never trained on. */
    VAL,
    /** Scored on metric rounds, never trained on. */
    TEST
}
