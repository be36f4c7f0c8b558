package org.blora.core.estimator;

/**
 * The data work an estimator needs in one round, and what it costs in epochs (passes over the N rows,
 * counted as in the paper: a full gradient is 1, a minibatch of b rows is b/N, two points 2b/N).
 */
public record Plan(boolean full, long[] batch, boolean batchAtPrevious, double epochs) {
    public static Plan fullGradient() {
        return new Plan(true, null, false, 1.0);
    }
}
