package org.blora.core.objective;

import java.io.Serializable;

/**
 * The data part of a model's loss, f_i(theta) for one row, summed over the rows of a block, with its gradient
 * over the flat parameter vector theta (see {@code org.blora.core.model.ModelLayout}). Implementations are what
 * the executors run; they must not allocate per row.
 *
 * <p>Two modes, as in every deep-learning framework: {@link #accumulate} is evaluation (no training noise: the
 * full-gradient metrics), {@link #accumulateRows} is a training minibatch, where a model with dropout draws its
 * masks from the (seed, round, global row) stream, so the same rows at the same round see the same masks on any
 * executor and at both points of PAGE and MVR.
 */
public interface DataLoss extends Serializable {
    /** Adds sum_i grad f_i(theta) over all rows of the block to {@code grad}; returns sum_i f_i(theta). */
    double accumulate(DataBlock block, double[] theta, double[] grad);

    /** Same in training mode over the block-local rows {@code local[from..to)} of round {@code round}. */
    double accumulateRows(DataBlock block, int[] local, int from, int to, double[] theta, double[] grad, long round);

    /** Length of the parameter vector theta for data with {@code features} columns (a linear model: the same). */
    default int parameters(int features) {
        return features;
    }

    /** Whether the model predicts classes (labels are class indices 0..K-1) and {@link #correct} counts hits. */
    default boolean classifier() {
        return false;
    }

    /** Rows of the block whose predicted class equals the label (evaluation mode); 0 for regression. */
    default long correct(DataBlock block, double[] theta) {
        return 0;
    }

    /**
     * Adds X^T X v over the block to {@code out}: the Gram operator of a linear model, for the smoothness estimate.
     * Models without one throw UnsupportedOperationException.
     */
    default void addGramTimes(DataBlock block, double[] v, double[] out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no Gram operator");
    }
}
