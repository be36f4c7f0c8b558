package org.blora.data;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.blora.core.random.Gamma;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * How synthetic rows are split over clients. {@code iid}: equal contiguous shares. {@code dirichlet}: the rows
 * are generated as {@code shardsPerClient * M} equal shards and client c receives a contiguous run of shards
 * whose count follows Dirichlet(alpha) proportions (every client at least one shard); each client's targets are
 * also shifted by {@code shift * N(0, 1)}, so local optima differ (the heterogeneity term of the federated theory).
 */
public record ClientSplit(String kind, double alpha, double shift, int shardsPerClient) implements Serializable {
    public static final ClientSplit IID = new ClientSplit("iid", Double.NaN, 0.0, 1);

    public ClientSplit {
        if (!kind.equals("iid") && !kind.equals("dirichlet")) {
            throw new IllegalArgumentException("data.split must be iid or dirichlet, got '" + kind + "'");
        }
        if (kind.equals("dirichlet") && !(alpha > 0)) {
            throw new IllegalArgumentException("data.dirichlet.alpha must be > 0, got " + alpha);
        }
        if (!Double.isFinite(shift)) {
            throw new IllegalArgumentException("data.client.shift must be finite, got " + shift);
        }
    }

    public int shards(int clients) {
        return kind.equals("iid") ? clients : clients * shardsPerClient;
    }

    /** bounds[c] .. bounds[c+1]-1 are client c's shards; drawn from (seed, INIT) on the driver. */
    public int[] shardBounds(int clients, long seed) {
        int total = shards(clients);
        int[] bounds = new int[clients + 1];
        if (kind.equals("iid")) {
            for (int c = 0; c <= clients; c++) {
                bounds[c] = c;
            }
            return bounds;
        }
        SplittableRandom rng = RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.INIT).split();
        double[] g = new double[clients];
        double sum = 0;
        for (int c = 0; c < clients; c++) {
            g[c] = Gamma.sample(alpha, rng);
            sum += g[c];
        }
        // Every client one shard, the rest in proportion (largest remainders).
        int spare = total - clients;
        int[] count = new int[clients];
        double[] rem = new double[clients];
        int used = 0;
        for (int c = 0; c < clients; c++) {
            double share = spare * g[c] / sum;
            count[c] = 1 + (int) Math.floor(share);
            rem[c] = share - Math.floor(share);
            used += count[c];
        }
        while (used < total) {
            int best = 0;
            for (int c = 1; c < clients; c++) {
                if (rem[c] > rem[best]) {
                    best = c;
                }
            }
            count[best]++;
            rem[best] = -1;
            used++;
        }
        for (int c = 0; c < clients; c++) {
            bounds[c + 1] = bounds[c] + count[c];
        }
        return bounds;
    }

    /** Client c's target shift. */
    public double shiftOf(long seed, int client) {
        return shift == 0.0 ? 0.0 : shift * RandomStreams.of(seed, 1, client, Purpose.DATA).nextGaussian();
    }
}
