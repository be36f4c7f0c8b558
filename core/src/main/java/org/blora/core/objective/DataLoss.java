package org.blora.core.objective;

import java.io.Serializable;

/**
 * The data part of the loss, f_i(w) for one row, summed over rows of a block. Implementations are what the
 * executors run; they must not allocate per row.
 */
public interface DataLoss extends Serializable {
    /** Adds sum_i grad f_i(w) over all rows of the block to {@code grad}; returns sum_i f_i(w). */
    double accumulate(DataBlock block, double[] w, double[] grad);

    /** Same over the block-local rows {@code local[from..to)}. */
    double accumulateRows(DataBlock block, int[] local, int from, int to, double[] w, double[] grad);

    /** Adds X^T X v over the block to {@code out} (for the smoothness estimate). */
    void addGramTimes(DataBlock block, double[] v, double[] out);
}
