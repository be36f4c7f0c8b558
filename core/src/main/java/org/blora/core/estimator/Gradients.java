package org.blora.core.estimator;

import java.util.List;
import org.blora.core.oracle.OracleResult;

/**
 * What a round produced for the estimator: the full gradient at W_t, the minibatch gradient at W_t and the same
 * minibatch's gradient at W_{t-1} (each normalised, regulariser included; absent ones null), and for federated
 * rounds the clients' own results in client order with the regulariser's gradient at W_t and the row count N.
 */
public record Gradients(double[] full, double[] batch, double[] batchPrev, List<OracleResult> perClient,
                        double[] regGradient, long rows) {
    public Gradients(double[] full, double[] batch, double[] batchPrev) {
        this(full, batch, batchPrev, null, null, 0);
    }
}
