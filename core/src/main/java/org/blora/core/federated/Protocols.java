package org.blora.core.federated;

import org.blora.core.compress.Compressor;
import org.blora.core.compress.ContractiveCompressor;
import org.blora.core.compress.UnbiasedCompressor;

/** Builds fed.protocol with its compressor, rejecting pairings the theory does not cover. */
public final class Protocols {
    private Protocols() {
    }

    /** Returns null for fed.protocol=none. */
    public static Protocol parse(String protocol, Compressor c, double marinaQ, double participation) {
        return switch (protocol) {
            case "none" -> null;
            case "qgd" -> new Qgd(unbiased(c, "qgd"), participation);
            case "marina" -> new Marina(unbiased(c, "marina"), marinaQ, participation);
            case "ef21" -> {
                if (!(c instanceof ContractiveCompressor cc)) {
                    throw new IllegalArgumentException("fed.protocol=ef21 needs a contractive compressor, but "
                            + c.name() + " is only unbiased; use fed.compressor=topk or scaled-" + c.name()
                            + " (Q/(omega+1), contractive with alpha = 1/(omega+1))");
                }
                yield new Ef21(cc, participation);
            }
            default -> throw new IllegalArgumentException("fed.protocol must be none, qgd, marina or ef21, got '" + protocol + "'");
        };
    }

    private static UnbiasedCompressor unbiased(Compressor c, String protocol) {
        if (!(c instanceof UnbiasedCompressor u)) {
            throw new IllegalArgumentException("fed.protocol=" + protocol + " needs an unbiased compressor, but "
                    + c.name() + " is biased (contractive only); use identity, randk, natural or qsgd");
        }
        return u;
    }
}
