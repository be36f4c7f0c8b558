package org.blora.core.federated;

import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.compress.ContractiveCompressor;
import org.blora.core.linalg.Dense;

/**
 * Fed-Bernoulli-LoRA-EF21: client l keeps g_l (starting at 0), sends c_l = C(s_l - g_l) and sets g_l += c_l; the
 * server keeps G = sum_l g_l by adding the messages. Clients that sit a round out keep their g_l.
 */
public final class Ef21 extends Protocol {
    private static final long serialVersionUID = 1L;

    public Ef21(ContractiveCompressor c, double participation) {
        super(c, participation);
    }

    @Override
    public String name() {
        return "ef21";
    }

    @Override
    public ClientStep clientStep(FedRound r, int client, double[] s, double[] gl) {
        if (!r.participates(client)) {
            return new ClientStep(null, gl);
        }
        double[] mine = gl == null ? new double[s.length] : gl.clone();
        CompressedMessage c = compressor.compress(Dense.minus(s, mine), rng(r, client));
        c.addTo(mine, 1.0);
        return new ClientStep(c, mine);
    }

    @Override
    public double[] aggregate(FedRound r, List<CompressedMessage> messages, int d) {
        if (serverG == null) {
            serverG = new double[d];
        }
        addInOrder(serverG, messages, 1.0);
        return serverG.clone();
    }
}
