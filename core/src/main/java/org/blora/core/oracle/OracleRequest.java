package org.blora.core.oracle;

import java.io.Serializable;
import org.blora.core.federated.FedRound;
import org.blora.core.sketch.Sketch;

/**
 * What the clients compute in one round at W_t: the full data gradient (for GD, PAGE refreshes, and the metrics:
 * {@code fullCounted} says whether the algorithm sends it, i.e. whether it counts as uplink), the gradient over a
 * minibatch of sorted global row indices at W_t and optionally at W_{t-1}, a federated protocol round, and in
 * sketch-first mode the round's sketch, onto which clients project what they send; or only the score of held-out
 * data (loss and correct predictions, evaluation mode); or, outside the rounds, X_l^T X_l v for the smoothness
 * estimate ({@code gram}, no iterate needed).
 */
public record OracleRequest(int round, boolean full, boolean fullCounted, long[] batch, boolean batchAtPrevious,
                            FedRound fed, Sketch sketchFirst, boolean score, double[] gram) implements Serializable {
    public OracleRequest(int round, boolean full, boolean fullCounted, long[] batch, boolean batchAtPrevious,
                         FedRound fed, Sketch sketchFirst) {
        this(round, full, fullCounted, batch, batchAtPrevious, fed, sketchFirst, false, null);
    }

    public static OracleRequest fullOnly(int round) {
        return new OracleRequest(round, true, false, null, false, null, null);
    }

    /** Scores held-out data: the loss sum and, for classifiers, the correct predictions; no gradient. */
    public static OracleRequest score(int round) {
        return new OracleRequest(round, false, false, null, false, null, null, true, null);
    }

    /** X_l^T X_l v of every client (in gradSum), unnormalised: a pass of the smoothness estimate, round -1. */
    public static OracleRequest gramTimes(double[] v) {
        return new OracleRequest(-1, false, false, null, false, null, null, false, v);
    }

    public boolean hasBatch() {
        return batch != null;
    }
}
