package org.blora.core.federated;

import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.compress.UnbiasedCompressor;

/**
 * Fed-Bernoulli-LoRA-QGD: client l sends Q(s_l); the server averages. Stateless. With partial participation the
 * sum over the sampled clients is scaled by M/|S| (unbiased).
 */
public final class Qgd extends Protocol {
    private static final long serialVersionUID = 1L;

    public Qgd(UnbiasedCompressor q, double participation) {
        super(q, participation);
    }

    @Override
    public String name() {
        return "qgd";
    }

    @Override
    public ClientStep clientStep(FedRound r, int client, double[] s, double[] state) {
        return new ClientStep(r.participates(client) ? compressor.compress(s, rng(r, client)) : null, null);
    }

    @Override
    public double[] aggregate(FedRound r, List<CompressedMessage> messages, int d) {
        double[] g = new double[d];
        addInOrder(g, messages, r.participantCount() == r.clients() ? 1.0 : r.samplingScale());
        return g;
    }
}
