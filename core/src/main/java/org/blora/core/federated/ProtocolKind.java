package org.blora.core.federated;

import java.util.Locale;
import org.blora.core.compress.Compressor;
import org.blora.core.compress.ContractiveCompressor;
import org.blora.core.compress.UnbiasedCompressor;

/**
 * The federated protocols between clients and server, each building its {@link Protocol} with a compressor and
 * rejecting pairings the theory does not cover. A constant's name, lower case, is its configuration value.
 */
public enum ProtocolKind {
    /** Every client sends its exact gradient (or minibatch gradient): no protocol object. */
    NONE {
        @Override
        public Protocol build(Compressor c, double marinaQ, double participation) {
            return null;
        }
    },
    /** QGD: each client sends its compressed gradient Q(g). */
    QGD {
        @Override
        public Protocol build(Compressor c, double marinaQ, double participation) {
            return new Qgd(unbiased(c, this), participation);
        }
    },
    /** MARINA: a full synchronisation with probability q, else compressed gradient differences. */
    MARINA {
        @Override
        public Protocol build(Compressor c, double marinaQ, double participation) {
            return new Marina(unbiased(c, this), marinaQ, participation);
        }
    },
    /** EF21: each client sends C(g - g_l) and keeps g_l (error feedback). */
    EF21 {
        @Override
        public Protocol build(Compressor c, double marinaQ, double participation) {
            if (!(c instanceof ContractiveCompressor cc)) {
                throw new IllegalArgumentException("fed.protocol=ef21 needs a contractive compressor, but "
                        + c.name() + " is only unbiased; use fed.compressor=topk or scaled-" + c.name()
                        + " (Q/(omega+1), contractive with alpha = 1/(omega+1))");
            }
            return new Ef21(cc, participation);
        }
    };

    /**
     * The protocol with compressor {@code c} (it holds the server's state), or null for {@link #NONE}.
     *
     * @param marinaQ       MARINA's synchronisation probability (read by MARINA only)
     * @param participation the fraction of clients drawn each round
     */
    public abstract Protocol build(Compressor c, double marinaQ, double participation);

    /** The configuration value naming this protocol. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static UnbiasedCompressor unbiased(Compressor c, ProtocolKind protocol) {
        if (!(c instanceof UnbiasedCompressor u)) {
            throw new IllegalArgumentException("fed.protocol=" + protocol.key() + " needs an unbiased compressor, but "
                    + c.name() + " is biased (contractive only); use identity, randk, natural or qsgd");
        }
        return u;
    }
}
