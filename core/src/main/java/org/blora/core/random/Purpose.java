package org.blora.core.random;

/**
 * What a random draw is for. Each purpose has its own stream, so adding a draw for one purpose never shifts
 * the numbers another purpose sees (a rerun, a resumed run and a retried task all agree).
 */
public enum Purpose {
    /** Bernoulli coin c_t choosing the left (B random) or right (A random) sketch. */
    COIN,
    /** Gaussian sketch matrix B_S or A_S. */
    SKETCH,
    /** Minibatch indices for SGD, PAGE and MVR. */
    BATCH,
    /** PAGE's full-gradient coin (probability q). */
    PAGE_COIN,
    /** MARINA's synchronisation coin. */
    MARINA_COIN,
    /** A client's compressor randomness (Rand-K, natural, QSGD). */
    COMPRESSOR,
    /** Which clients participate in a round. */
    PARTICIPATION,
    /** Synthetic data generation, per client. */
    DATA,
    /** Initial point and anything else drawn once before round 0. */
    INIT,
    /** Start vector of the smoothness estimate (Lanczos or power iteration). */
    SMOOTHNESS,
    /** Dropout masks of a training minibatch, one stream per (round, global row). */
    DROPOUT,
    /** Shuffling of the rows into minibatches, one permutation per epoch. */
    SHUFFLE,
    /** Whether a row of a Spark ML DataFrame is held out for validation, one draw per row. */
    HOLD_OUT
}
