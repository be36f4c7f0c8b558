package org.blora.core.train;

import java.util.Arrays;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;

/**
 * What one client computes for a request over its blocks: the same code runs inside a Spark task and in the
 * local oracle.
 */
public final class ClientCompute {
    private ClientCompute() {
    }

    public static OracleResult evaluate(OracleRequest req, Iterable<DataBlock> blocks, DataLoss loss,
                                        double[] w, double[] wPrev, int d) {
        OracleResult out = new OracleResult();
        if (req.full()) {
            out.gradSum = new double[d];
        }
        if (req.hasBatch()) {
            out.batchGradSum = new double[d];
            if (req.batchAtPrevious()) {
                out.batchPrevGradSum = new double[d];
            }
        }
        for (DataBlock b : blocks) {
            if (req.full()) {
                out.lossSum += loss.accumulate(b, w, out.gradSum);
            }
            if (req.hasBatch()) {
                int[] local = localRows(req.batch(), b);
                if (local.length > 0) {
                    loss.accumulateRows(b, local, 0, local.length, w, out.batchGradSum);
                    if (req.batchAtPrevious()) {
                        loss.accumulateRows(b, local, 0, local.length, wPrev, out.batchPrevGradSum);
                    }
                }
            }
        }
        return out;
    }

    /** Block-local indices of the sorted global batch rows that fall into this block. */
    static int[] localRows(long[] sortedBatch, DataBlock b) {
        int from = lowerBound(sortedBatch, b.firstRow);
        int to = lowerBound(sortedBatch, b.endRow());
        int[] local = new int[to - from];
        for (int k = from; k < to; k++) {
            local[k - from] = (int) (sortedBatch[k] - b.firstRow);
        }
        return local;
    }

    private static int lowerBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        if (i >= 0) {
            while (i > 0 && a[i - 1] == key) {
                i--;
            }
            return i;
        }
        return -i - 1;
    }
}
