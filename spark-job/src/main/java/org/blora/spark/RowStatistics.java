package org.blora.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.Lipschitz;

/**
 * One pass over the clients' cached blocks for the convex non-smooth losses: the Lipschitz constant
 * L0 = (1/N) sum_i ||x_i|| ({@link Lipschitz}), each client's sum in row order and the clients summed in client
 * order (the same bits on any executor), and the first label that is not -1 or +1 (the hinge loss needs them).
 */
public final class RowStatistics {
    /** badRow = -1 when every label is -1 or +1 (or labels were not checked). */
    public record Result(double meanRowNorm, long rows, long badRow, double badLabel) {
    }

    private record Part(double normSum, long rows, long badRow, double badLabel) implements java.io.Serializable {
    }

    private RowStatistics() {
    }

    public static Result of(JavaRDD<DataBlock> blocks, boolean checkSignLabels) {
        List<Part> parts = blocks.mapPartitions(it -> {
            double sum = 0.0;
            long n = 0;
            long bad = -1;
            double badLabel = Double.NaN;
            while (it.hasNext()) {
                DataBlock b = it.next();
                sum += Lipschitz.rowNormSum(b);
                n += b.rows;
                for (int i = 0; checkSignLabels && bad < 0 && i < b.rows; i++) {
                    if (b.y[i] != 1.0 && b.y[i] != -1.0) {
                        bad = b.firstRow + i;
                        badLabel = b.y[i];
                    }
                }
            }
            return List.of(new Part(sum, n, bad, badLabel)).iterator();
        }, true).collect();
        double sum = 0.0;
        long rows = 0;
        long bad = -1;
        double badLabel = Double.NaN;
        for (Part p : parts) {
            sum += p.normSum();
            rows += p.rows();
            if (bad < 0 && p.badRow() >= 0) {
                bad = p.badRow();
                badLabel = p.badLabel();
            }
        }
        if (rows == 0) {
            throw new IllegalArgumentException("the data have no rows");
        }
        return new Result(sum / rows, rows, bad, badLabel);
    }
}
