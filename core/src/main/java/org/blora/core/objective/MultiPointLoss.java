package org.blora.core.objective;

/**
 * A loss whose full pass can serve several iterates at once: per block of rows, every point's residuals and
 * gradient while the rows are still in cache, so the data are read from memory once for all the points. Each
 * point's arithmetic is exactly that of {@link #accumulate} on its own, in the same order (the points are only
 * interleaved between row blocks), so every point's loss and gradient have the same bits either way.
 */
public interface MultiPointLoss extends DataLoss {
    /**
     * For every point p: adds sum_i grad f_i(w[p]) over the block's rows to {@code grad[p]} and stores sum_i
     * f_i(w[p]) in {@code loss[p]}, each bit for bit what {@code accumulate(block, w[p], grad[p])} adds and
     * returns.
     */
    void accumulatePoints(DataBlock block, double[][] w, double[][] grad, double[] loss);
}
