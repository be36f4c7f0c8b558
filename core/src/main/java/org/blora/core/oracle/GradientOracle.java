package org.blora.core.oracle;

import java.util.List;

/**
 * Where gradients come from: the clients' data, local (tests) or on Spark executors. One call of
 * {@link #evaluate} is one round's stage: every client evaluates the request at W_t and returns its result; the
 * list is in client order, so every reduction over it is deterministic.
 */
public interface GradientOracle {
    /** Total number of rows N over all clients. */
    long rows();

    /** Number of clients M. */
    int clients();

    List<OracleResult> evaluate(OracleRequest request, Iterate at);

    /** X^T X v summed over all rows (unnormalised), one stage; for the smoothness estimate. */
    double[] gramTimes(double[] v);
}
