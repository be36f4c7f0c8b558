package org.blora.config;

import org.blora.core.compress.Compressor;
import org.blora.core.compress.Compressors;
import org.blora.core.federated.Protocol;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.oracle.ClientWeighting;

/** clients and the fed.* keys: the clients, the federated protocol, its compressor and the clients' weights. */
public final class FederatedSection {
    public static final KeyGroup KEYS = new KeyGroup("Federated", "the clients, the federated protocol and its compressor");

    public static final Key<Integer> CLIENTS = KEYS.key("clients", "2", Key.integer(1, 1 << 16),
            "number of federated clients = Spark partitions");
    public static final Key<ProtocolKind> PROTOCOL = KEYS.key("fed.protocol", "none", Key.choice(ProtocolKind.class),
            "none, qgd (compressed gradients), marina (compressed differences), ef21 (error feedback)");
    public static final Key<String> COMPRESSOR = KEYS.key("fed.compressor", "identity", Key.text(),
            "identity, randk, topk, natural, qsgd, scaled-randk, scaled-natural, scaled-qsgd");
    public static final Key<Double> COMPRESSOR_K = KEYS.key("fed.compressor.k", "0.01", Key.number(Double.MIN_VALUE, 1.0),
            "randk/topk: fraction of the m n entries kept");
    public static final Key<Integer> COMPRESSOR_LEVELS = KEYS.key("fed.compressor.levels", "16", Key.integer(1, 1 << 20),
            "qsgd: number of levels s");
    public static final Key<Double> MARINA_Q = KEYS.key("fed.marina.q", "0.1", Key.positiveAtMostOne(),
            "MARINA: probability of a full synchronisation round");
    public static final Key<Double> PARTICIPATION = KEYS.key("fed.participation", "1.0", Key.positiveAtMostOne(),
            "fraction of clients drawn each round (uniformly, from the seeded stream)");
    public static final Key<ClientWeighting> WEIGHTING = KEYS.key("fed.weighting", "rows", Key.choice(ClientWeighting.class),
            "how client results are combined: rows (f = (1/N) sum over all rows, clients weighted by their row counts) or "
                    + "uniform (f = (1/M) sum_l f_l, f_l the mean over client l's rows)");
    public static final Key<Boolean> SKETCH_FIRST = KEYS.key("fed.sketch.first", "false", Key.bool(),
            "GD/SGD: draw the sketch before the stage; clients send r x n (or m x r) coordinates");

    private final int clients;
    private final ProtocolKind protocol;
    private final String compressorName;
    private final Compressor compressor;
    private final double marinaQ;
    private final double participation;
    private final ClientWeighting weighting;
    private final boolean sketchFirst;

    FederatedSection(RunConfig c) {
        clients = c.get(CLIENTS);
        protocol = c.get(PROTOCOL);
        compressorName = c.get(COMPRESSOR);
        double k = c.get(COMPRESSOR_K);
        int levels = c.get(COMPRESSOR_LEVELS);
        compressor = ConfigException.translated(() -> Compressors.parse(compressorName, k, levels));
        marinaQ = c.get(MARINA_Q);
        participation = c.get(PARTICIPATION);
        weighting = c.get(WEIGHTING);
        sketchFirst = c.get(SKETCH_FIRST);
        newProtocol(); // validates the protocol and compressor pairing now, before Spark starts
    }

    /** A new federated protocol with its compressor (it holds the server's state), or null for fed.protocol=none. */
    public Protocol newProtocol() {
        return ConfigException.translated(() -> protocol.build(compressor, marinaQ, participation));
    }

    public int clients() {
        return clients;
    }

    public ProtocolKind protocol() {
        return protocol;
    }

    /** fed.compressor as written (for logs and titles). */
    public String compressorName() {
        return compressorName;
    }

    public Compressor compressor() {
        return compressor;
    }

    /** fed.marina.q, MARINA's synchronisation probability. */
    public double marinaQ() {
        return marinaQ;
    }

    public double participation() {
        return participation;
    }

    /** fed.weighting: how the clients' results are combined into f. */
    public ClientWeighting weighting() {
        return weighting;
    }

    public boolean sketchFirst() {
        return sketchFirst;
    }
}
