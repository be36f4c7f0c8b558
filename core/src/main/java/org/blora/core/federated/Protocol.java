package org.blora.core.federated;

import java.io.Serializable;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.compress.Compressor;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * A federated protocol of docs/METHOD.md §4: what a client sends given its local gradient and state, and
 * how the server turns the messages into the estimator G^t. Gradients here are the clients' unnormalised data
 * sums s_l = X_l^T (X_l w - y_l); the server divides by N and adds the regulariser, which it knows.
 *
 * <p>The client side runs on executors (the protocol object is shipped with the task); the server side keeps
 * its state (MARINA's and EF21's G) in the driver's instance. Per-client state (MARINA's last gradient, EF21's
 * g_l) lives with the client.
 */
public abstract class Protocol implements Serializable {
    private static final long serialVersionUID = 1L;

    protected final Compressor compressor;
    private final double participation;

    protected Protocol(Compressor compressor, double participation) {
        if (!(participation > 0.0 && participation <= 1.0)) {
            throw new IllegalArgumentException("fed.participation must be in (0, 1], got " + participation);
        }
        this.compressor = compressor;
        this.participation = participation;
    }

    public abstract String name();

    /** Client side: the message of round r for local gradient sum s, given the client's state (null at first). */
    public abstract ClientStep clientStep(FedRound r, int client, double[] s, double[] state);

    /** Server side: G^t's data sum from the messages (indexed by client; null for clients that sent nothing). */
    public abstract double[] aggregate(FedRound r, List<CompressedMessage> messages, int d);

    /** Whether round r is a full synchronisation (MARINA's coin); false for the other protocols. */
    protected boolean syncCoin(long seed, int round) {
        return false;
    }

    /** The server's running G (MARINA, EF21); null for stateless protocols and before round 0. */
    protected transient double[] serverG;

    /** Server state for checkpoints: the running G, or null. */
    public double[] serverState() {
        return serverG;
    }

    public void restoreServerState(double[] g) {
        serverG = g == null ? null : g.clone();
    }

    public Compressor compressor() {
        return compressor;
    }

    /** Draws round r: ceil(participation M) clients uniformly without replacement, and the protocol's coin. */
    public FedRound plan(int round, long seed, int clients) {
        int k = Math.max(1, (int) Math.ceil(participation * clients - 1e-9));
        BitSet chosen = new BitSet(clients);
        boolean sync = syncCoin(seed, round);
        if (k >= clients || sync) {
            chosen.set(0, clients);
        } else {
            SplittableRandom rng = RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.PARTICIPATION);
            for (int j = clients - k; j < clients; j++) {
                int t = rng.nextInt(j + 1);
                chosen.set(chosen.get(t) ? j : t);
            }
        }
        return new FedRound(round, seed, clients, chosen, sync, this);
    }

    protected SplittableRandom rng(FedRound r, int client) {
        return RandomStreams.of(r.seed(), r.round(), client, Purpose.COMPRESSOR);
    }

    /** acc += scale * sum of the present messages, in client order. */
    protected static void addInOrder(double[] acc, List<CompressedMessage> messages, double scale) {
        for (CompressedMessage m : messages) {
            if (m != null) {
                m.addTo(acc, scale);
            }
        }
    }
}
