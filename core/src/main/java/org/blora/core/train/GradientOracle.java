package org.blora.core.train;

/**
 * Where gradients come from: the clients' data, local (tests) or on Spark executors. One call of
 * {@link #evaluate} is one round's stage: every client evaluates the request at W_t and the results are
 * summed in client order.
 */
public interface GradientOracle {
    /** Total number of rows N over all clients. */
    long rows();

    /** Number of clients M. */
    int clients();

    OracleResult evaluate(OracleRequest request, Iterate at);

    /** X^T X v summed over all rows (unnormalised), one stage; for the power iteration. */
    double[] gramTimes(double[] v);
}
