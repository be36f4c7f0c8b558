package org.blora.core.federated;

import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.compress.Identity;
import org.blora.core.compress.UnbiasedCompressor;
import org.blora.core.linalg.Dense;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * Fed-Bernoulli-LoRA-MARINA: with probability q (one coin for everybody, round 0 always) every client sends its
 * gradient uncompressed and G = sum of them; otherwise client l sends Q(s_l(W_t) - s_l(W_{t-1})) and
 * G^t = G^{t-1} + sum of the messages (scaled by M/|S| under partial participation). Each client keeps its last
 * local gradient (also when it sits a round out, so that its next difference spans one step).
 */
public final class Marina extends Protocol {
    private static final long serialVersionUID = 1L;
    private static final Identity FULL = new Identity();

    private final double q;

    public Marina(UnbiasedCompressor q, double syncProbability, double participation) {
        super(q, participation);
        if (!(syncProbability > 0.0 && syncProbability <= 1.0)) {
            throw new IllegalArgumentException("fed.marina.q must be in (0, 1], got " + syncProbability);
        }
        this.q = syncProbability;
    }

    @Override
    public String name() {
        return "marina";
    }

    @Override
    protected boolean syncCoin(long seed, int round) {
        return round == 0 || RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.MARINA_COIN).nextDouble() < q;
    }

    @Override
    public ClientStep clientStep(FedRound r, int client, double[] s, double[] last) {
        CompressedMessage m = null;
        if (r.sync()) {
            m = FULL.compress(s, rng(r, client));
        } else if (r.participates(client)) {
            m = compressor.compress(Dense.minus(s, last), rng(r, client));
        }
        return new ClientStep(m, s.clone());
    }

    @Override
    public double[] aggregate(FedRound r, List<CompressedMessage> messages, int d) {
        if (r.sync() || serverG == null) {
            serverG = new double[d];
            addInOrder(serverG, messages, 1.0);
        } else {
            addInOrder(serverG, messages, r.participantCount() == r.clients() ? 1.0 : r.samplingScale());
        }
        return serverG.clone();
    }
}
