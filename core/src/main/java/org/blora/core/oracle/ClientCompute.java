package org.blora.core.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.MultiPointLoss;

/**
 * What one client computes for a request over its blocks: the same code runs inside a Spark task and in the
 * local oracle.
 */
public final class ClientCompute {
    /** Bits of one double on the wire: the project works in double precision throughout. */
    public static final int BITS_PER_VALUE = 64;

    private ClientCompute() {
    }

    /** {@code blocks} is iterated exactly once, so a Spark task can stream them off disk. */
    public static ClientOutput evaluate(OracleRequest req, int client, Iterable<DataBlock> blocks, DataLoss loss,
                                        double[] w, double[] wPrev, int d, double[] state) {
        ClientPass pass = new ClientPass(req, loss, w, wPrev, d);
        for (DataBlock b : blocks) {
            pass.add(b);
        }
        return pass.finish(client, state);
    }

    /**
     * The results of several requests without protocol state (the rounds of concurrent runs at their own w[p] and
     * wPrev[p]) in one pass over the blocks, each equal bit for bit to {@link #evaluate} of that request alone.
     * Per block, the requests for the full gradient alone (GD rounds, PAGE refreshes, final metrics) go through
     * {@link MultiPointLoss#accumulatePoints} together, so the block is read from memory once for all of them; the
     * others (minibatch rounds, which read their own rows) take their own pass over the block.
     */
    public static OracleResult[] evaluatePoints(OracleRequest[] reqs, Iterable<DataBlock> blocks, MultiPointLoss loss,
                                                double[][] w, double[][] wPrev, int d) {
        int k = reqs.length;
        ClientPass[] passes = new ClientPass[k];
        List<ClientPass> shared = new ArrayList<>();
        List<ClientPass> own = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            if (reqs[p].fed() != null) {
                throw new IllegalArgumentException("request " + p + " is a protocol round: its client state needs its own stage");
            }
            passes[p] = new ClientPass(reqs[p], loss, w[p], wPrev[p], d);
            (fullOnly(reqs[p]) ? shared : own).add(passes[p]);
        }
        double[][] sharedW = new double[shared.size()][];
        double[][] sharedGrad = new double[shared.size()][];
        for (int i = 0; i < shared.size(); i++) {
            sharedW[i] = shared.get(i).w;
            sharedGrad[i] = shared.get(i).s;
        }
        double[] blockLoss = new double[shared.size()];
        for (DataBlock b : blocks) {
            if (!shared.isEmpty()) {
                loss.accumulatePoints(b, sharedW, sharedGrad, blockLoss);
                for (int i = 0; i < shared.size(); i++) {
                    shared.get(i).addPassed(b, blockLoss[i]);
                }
            }
            for (ClientPass p : own) {
                p.add(b);
            }
        }
        OracleResult[] out = new OracleResult[k];
        for (int p = 0; p < k; p++) {
            out[p] = passes[p].finish(-1, null).result();
        }
        return out;
    }

    /** The full data gradient alone, without a minibatch, protocol, sketch or score. */
    private static boolean fullOnly(OracleRequest req) {
        return req.full() && !req.hasBatch() && req.fed() == null && req.sketchFirst() == null && !req.score();
    }

    /** Bits a client sends without protocol or sketch: one d-vector per gradient the algorithm uses. */
    static long plainUplinkBits(OracleRequest req, int d) {
        int vectors = (req.fullCounted() ? 1 : 0) + (req.hasBatch() ? 1 : 0) + (req.batchAtPrevious() ? 1 : 0);
        return (long) BITS_PER_VALUE * d * vectors;
    }

    /** Block-local indices of the sorted global batch rows that fall into this block. */
    static int[] localRows(long[] sortedBatch, DataBlock b) {
        int from = lowerBound(sortedBatch, b.firstRow);
        int to = lowerBound(sortedBatch, b.endRow());
        int[] local = new int[to - from];
        for (int k = from; k < to; k++) {
            local[k - from] = (int) (sortedBatch[k] - b.firstRow);
        }
        return local;
    }

    private static int lowerBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        if (i >= 0) {
            while (i > 0 && a[i - 1] == key) {
                i--;
            }
            return i;
        }
        return -i - 1;
    }
}
