package org.blora.core.estimator;

import org.blora.core.federated.FedRound;

/**
 * The data work an estimator needs in one round, and what it costs in epochs (passes over the N rows,
 * counted as in the paper: a full gradient is 1, a minibatch of b rows is b/N, two points 2b/N). A federated
 * round carries the server's announcement instead: every client evaluates its local gradient for the protocol.
 */
public record Plan(boolean full, long[] batch, boolean batchAtPrevious, double epochs, FedRound fed) {
    public Plan(boolean full, long[] batch, boolean batchAtPrevious, double epochs) {
        this(full, batch, batchAtPrevious, epochs, null);
    }

    public static Plan fullGradient() {
        return new Plan(true, null, false, 1.0);
    }
}
