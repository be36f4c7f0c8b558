package org.blora.core.oracle;

/**
 * How the clients' results are combined into the objective f, its gradient and every score (docs/METHOD.md §4,
 * key {@code fed.weighting}). With N_l rows at client l, N = Σ_l N_l and M clients:
 *
 * <ul>
 *   <li>{@link #ROWS}: f = (1/N) Σ_i f_i over all rows, so client l weighs N_l/N. The clients' sums are added as
 *       they come and divided by N (or by the minibatch size).</li>
 *   <li>{@link #UNIFORM}: f = (1/M) Σ_l f_l with f_l = (1/N_l) Σ_{i at l} f_i, the federated objective of the
 *       papers, so every client weighs 1/M whatever its size.</li>
 * </ul>
 *
 * Both are applied in one place: {@link #apply} puts a decorator in front of the oracle that multiplies client
 * l's sums by ω_l = N/(M N_l) before anyone combines them, so the (1/N) normalisation downstream (full gradient,
 * loss, minibatch gradients of SGD, PAGE and MVR, the federated server's aggregate, the smoothness estimate,
 * held-out scores, accuracy) gives the uniform average without knowing about it. On a minibatch of b rows drawn
 * uniformly from all N, (1/b) Σ_{i in S} ω_{l(i)} ∇f_i is an unbiased estimate of the uniform gradient.
 */
public enum ClientWeighting {
    ROWS,
    UNIFORM;

    /**
     * ω_l by which client l's sums are multiplied before the (1/N) normalisation: 1 for {@link #ROWS},
     * N/(M N_l) for {@link #UNIFORM}.
     */
    public double[] factors(long[] clientRows) {
        double[] w = new double[clientRows.length];
        long n = 0;
        for (long r : clientRows) {
            if (r <= 0) {
                throw new IllegalArgumentException("every client needs at least one row, got "
                        + java.util.Arrays.toString(clientRows));
            }
            n += r;
        }
        for (int l = 0; l < w.length; l++) {
            w[l] = this == ROWS ? 1.0 : (double) n / ((double) clientRows.length * clientRows[l]);
        }
        return w;
    }

    /**
     * The oracle whose client results carry this weighting: {@code oracle} itself for {@link #ROWS} (so its bits
     * are untouched), a {@link WeightedOracle} otherwise.
     */
    public GradientOracle apply(GradientOracle oracle, long[] clientRows) {
        if (clientRows.length != oracle.clients()) {
            throw new IllegalArgumentException("row counts of " + clientRows.length + " clients for " + oracle.clients());
        }
        return this == ROWS ? oracle : new WeightedOracle(oracle, factors(clientRows));
    }
}
