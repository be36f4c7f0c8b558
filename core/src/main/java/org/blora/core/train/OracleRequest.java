package org.blora.core.train;

import java.io.Serializable;
import org.blora.core.federated.FedRound;
import org.blora.core.sketch.Sketch;

/**
 * What the clients compute in one round at W_t: the full data gradient (for GD, PAGE refreshes, and the metrics:
 * {@code fullCounted} says whether the algorithm sends it, i.e. whether it counts as uplink), the gradient over a
 * minibatch of sorted global row indices at W_t and optionally at W_{t-1}, a federated protocol round, and in
 * sketch-first mode the round's sketch, onto which clients project what they send.
 */
public record OracleRequest(int round, boolean full, boolean fullCounted, long[] batch, boolean batchAtPrevious,
                            FedRound fed, Sketch sketchFirst) implements Serializable {
    public static OracleRequest fullOnly(int round) {
        return new OracleRequest(round, true, false, null, false, null, null);
    }

    public boolean hasBatch() {
        return batch != null;
    }
}
