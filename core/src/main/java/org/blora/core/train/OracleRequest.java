package org.blora.core.train;

import java.io.Serializable;

/**
 * What the clients compute in one round: the full data gradient at W_t (for GD, PAGE refreshes and the
 * metrics), and/or the gradient over a minibatch of global row indices (sorted) at W_t and optionally at
 * W_{t-1} with the same rows.
 */
public record OracleRequest(int round, boolean full, long[] batch, boolean batchAtPrevious) implements Serializable {
    public static OracleRequest fullOnly(int round) {
        return new OracleRequest(round, true, null, false);
    }

    public boolean hasBatch() {
        return batch != null;
    }
}
