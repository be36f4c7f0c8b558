package org.blora.core.objective;

import java.io.Serializable;

/**
 * One client's row-norm statistics for the smoothness of the per-row least-squares terms ½(x_i·w − y_i)², whose
 * Hessian is x_i x_iᵀ with norm ||x_i||²: the row count, max ||x_i||², Σ ||x_i||² and Σ ||x_i||⁴, each summed in
 * row order over the client's blocks (the same bits on any executor).
 */
public record RowNorms(long rows, double maxSq, double sumSq, double sumFourth) implements Serializable {
    public static RowNorms of(Iterable<DataBlock> blocks) {
        long n = 0;
        double max = 0.0;
        double sum = 0.0;
        double sum4 = 0.0;
        for (DataBlock b : blocks) {
            for (int i = 0; i < b.rows; i++) {
                double s = b.rowNormSq(i);
                max = Math.max(max, s);
                sum += s;
                sum4 += s * s;
            }
            n += b.rows;
        }
        return new RowNorms(n, max, sum, sum4);
    }
}
