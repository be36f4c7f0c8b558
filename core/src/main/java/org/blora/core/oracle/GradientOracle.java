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

    /** X_l^T X_l v of every client l (unnormalised), in client order, one stage; for the smoothness estimate. */
    List<double[]> gramTimesPerClient(double[] v);

    /** X^T X v summed over all rows (unnormalised): {@link #gramTimesPerClient} summed in client order. */
    default double[] gramTimes(double[] v) {
        List<OracleResult> perClient = new java.util.ArrayList<>();
        for (double[] g : gramTimesPerClient(v)) {
            OracleResult r = OracleResult.builder().gradSum(g).build();
            perClient.add(r);
        }
        return OracleResult.sumInOrder(perClient).gradSum();
    }

    /**
     * Every client's protocol state after the last round (MARINA's last gradient, EF21's g_l; null entries before
     * a protocol keeps any), in client order: what a checkpoint holds so that a resumed run goes on exactly.
     */
    List<double[]> clientStates();

    /** Starts the clients from {@code states} (from {@link #clientStates}), before the first round evaluated. */
    void restoreClientStates(List<double[]> states);
}
