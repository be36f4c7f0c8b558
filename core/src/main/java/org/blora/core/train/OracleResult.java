package org.blora.core.train;

import java.io.Serializable;
import java.util.List;
import org.blora.core.linalg.Dense;

/**
 * Sums over rows of the data term that one client (or the sum over clients) computed for a request.
 * Unnormalised: the driver divides by N or by the batch size and adds the regulariser.
 */
public final class OracleResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public double lossSum;
    public double[] gradSum;
    public double[] batchGradSum;
    public double[] batchPrevGradSum;

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
