package org.blora.core.objective;

/**
 * A Lipschitz constant L0 of f(w) = (1/N) sum_i phi_i(x_i . w) when every phi_i is 1-Lipschitz (least absolute
 * deviations, hinge): |f(w) - f(v)| <= (1/N) sum_i |x_i . (w - v)| <= ((1/N) sum_i ||x_i||) ||w - v||, so
 * L0 = (1/N) sum_i ||x_i|| bounds every subgradient's norm. This is the L0 of the convex non-smooth theorems.
 */
public final class Lipschitz {
    private Lipschitz() {
    }

    /** (1/N) sum_i ||x_i|| over all rows of the blocks. */
    public static double meanRowNorm(Iterable<DataBlock> blocks) {
        double sum = 0.0;
        long rows = 0;
        for (DataBlock b : blocks) {
            sum += rowNormSum(b);
            rows += b.rows;
        }
        if (rows == 0) {
            throw new IllegalArgumentException("a Lipschitz constant needs at least one row, got none");
        }
        return sum / rows;
    }

    /** sum_i ||x_i|| over one block's rows, in row order (a client's share of the mean, summed in client order). */
    public static double rowNormSum(DataBlock b) {
        double sum = 0.0;
        for (int i = 0; i < b.rows; i++) {
            sum += Math.sqrt(b.rowNormSq(i));
        }
        return sum;
    }
}
