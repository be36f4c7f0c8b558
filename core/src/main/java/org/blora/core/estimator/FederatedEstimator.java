package org.blora.core.estimator;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Gradients;
import org.blora.core.estimator.Plan;
import org.blora.core.linalg.Dense;
import org.blora.core.oracle.OracleResult;
import org.blora.core.federated.FedRound;
import org.blora.core.federated.Protocol;

/**
 * The estimator G^t of a federated protocol: the server announces the round (participants, MARINA's coin), each
 * client evaluates its local gradient and sends the protocol's message, and the server aggregates the messages
 * in client order, divides by N and adds the regulariser's gradient (which it knows).
 */
public final class FederatedEstimator implements GradientEstimator {
    private final Protocol protocol;
    private final long seed;
    private final int clients;
    private final int d;

    public FederatedEstimator(Protocol protocol, long seed, int clients, int d) {
        this.protocol = protocol;
        this.seed = seed;
        this.clients = clients;
        this.d = d;
    }

    private FedRound current;

    @Override
    public Plan plan(int round) {
        FedRound r = protocol.plan(round, seed, clients);
        current = r;
        // Every participating client evaluates its full local gradient: that share of the data per round.
        return new Plan(false, null, false, (double) r.participantCount() / clients, r);
    }

    @Override
    public double[] estimate(int round, Gradients g) {
        List<CompressedMessage> messages = new ArrayList<>(g.perClient().size());
        for (OracleResult r : g.perClient()) {
            messages.add(r.message);
        }
        if (current == null || current.round() != round) {
            throw new IllegalStateException("estimate(" + round + ") without plan(" + round + ")");
        }
        double[] est = protocol.aggregate(current, messages, d);
        Dense.scale(1.0 / g.rows(), est);
        Dense.axpy(1.0, g.regGradient(), est);
        return est;
    }

    @Override
    public String name() {
        return protocol.name();
    }

    @Override
    public double[] state() {
        return protocol.serverState();
    }

    @Override
    public void restore(double[] state) {
        protocol.restoreServerState(state);
    }
}
