package org.blora.core.federated;

import java.io.Serializable;
import java.util.BitSet;

/**
 * What the server announces for round t: which clients participate, MARINA's synchronisation coin, and the
 * protocol with its compressor. Drawn on the driver from the round's PARTICIPATION and MARINA_COIN streams, so
 * every client sees the same round.
 */
public record FedRound(int round, long seed, int clients, BitSet participants, boolean sync, Protocol protocol)
        implements Serializable {
    public boolean participates(int client) {
        return participants.get(client);
    }

    public int participantCount() {
        return participants.cardinality();
    }

    /** M / |S|: the scale that keeps a sum over the sampled clients unbiased for the sum over all clients. */
    public double samplingScale() {
        return (double) clients / participantCount();
    }
}
