package org.blora.core.estimator;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.federated.FedRound;
import org.blora.core.federated.Protocol;
import org.blora.core.linalg.Dense;
import org.blora.core.oracle.OracleResult;

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
    private double initialClientError = Double.NaN;

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
            messages.add(r.message());
        }
        if (current == null || current.round() != round) {
            throw new IllegalStateException("estimate(" + round + ") without plan(" + round + ")");
        }
        if (round == 0) {
            initialClientError = clientError(g.perClient(), g.rows());
        }
        double[] est = protocol.aggregate(current, messages, d);
        Dense.scale(1.0 / g.rows(), est);
        Dense.axpy(1.0, g.regGradient(), est);
        return est;
    }

    /**
     * (1/M) sum_l ||G_l^0 - grad f_l(W_0)||^2 of round 0, the G_0 of the EF21 and MARINA bounds, with f_l the client
     * terms of f = (1/M) sum_l f_l: the server's view of client l's message m_l and local sum s_l (both weighted by
     * omega_l) give G_l - grad f_l = (M/N)(m_l - s_l), the regulariser being exact on the server. NaN when round 0
     * was not estimated here (a resumed run) or a client sent no message or no local gradient.
     */
    public double initialClientError() {
        return initialClientError;
    }

    private double clientError(List<OracleResult> perClient, long n) {
        double sum = 0.0;
        for (OracleResult r : perClient) {
            if (r.message() == null || r.gradSum() == null) {
                return Double.NaN;
            }
            double[] e = new double[d];
            r.message().addTo(e, 1.0);
            Dense.axpy(-1.0, r.gradSum(), e);
            sum += Dense.normSq(e);
        }
        return (double) clients / ((double) n * n) * sum;
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
