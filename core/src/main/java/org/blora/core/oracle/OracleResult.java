package org.blora.core.oracle;

import java.io.Serializable;
import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.linalg.Dense;

/**
 * What one client returns for a request: unnormalised sums over its rows of the data term (the driver divides by
 * N or the batch size and adds the regulariser), its protocol message, its sketch-first projection, and the bits
 * it sent for the algorithm (diagnostics such as metric-only gradients are not counted).
 */
public final class OracleResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public double lossSum;
    public double[] gradSum;
    public double[] batchGradSum;
    public double[] batchPrevGradSum;
    public CompressedMessage message;
    public double[] projected;
    public long uplinkBits;
    /**
     * Rows predicted correctly (classifiers, on full and score requests); a count, weighted like the sums when the
     * clients are weighted uniformly ({@link ClientWeighting}).
     */
    public double correct;

    /**
     * Sums per-client results in client order: the one reduction used by every oracle (local and Spark), so a
     * distributed round and the local fold agree to the last bit.
     */
    public static OracleResult sumInOrder(List<OracleResult> perClient) {
        OracleResult total = new OracleResult();
        for (OracleResult r : perClient) {
            total.lossSum += r.lossSum;
            total.gradSum = add(total.gradSum, r.gradSum);
            total.batchGradSum = add(total.batchGradSum, r.batchGradSum);
            total.batchPrevGradSum = add(total.batchPrevGradSum, r.batchPrevGradSum);
            total.projected = add(total.projected, r.projected);
            total.uplinkBits += r.uplinkBits;
            total.correct += r.correct;
        }
        return total;
    }

    private static double[] add(double[] acc, double[] x) {
        if (x == null) {
            return acc;
        }
        if (acc == null) {
            return x.clone();
        }
        Dense.axpy(1.0, x, acc);
        return acc;
    }
}
