package org.blora.core.oracle;

import java.util.Arrays;
import org.blora.core.federated.ClientStep;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.MultiPointLoss;
import org.blora.core.sketch.Sketch;

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
        OracleResult out = new OracleResult();
        boolean local = req.full() || req.fullCounted() || req.fed() != null || req.score();
        double[] s = local ? new double[d] : null;
        boolean count = loss.classifier() && (req.full() || req.score());
        if (req.hasBatch()) {
            out.batchGradSum = new double[d];
            if (req.batchAtPrevious()) {
                out.batchPrevGradSum = new double[d];
            }
        }
        for (DataBlock b : blocks) {
            if (local) {
                out.lossSum += loss.accumulate(b, w, s);
            }
            if (count) {
                out.correct += loss.correct(b, w);
            }
            if (req.hasBatch()) {
                int[] rows = localRows(req.batch(), b);
                if (rows.length > 0) {
                    loss.accumulateRows(b, rows, 0, rows.length, w, out.batchGradSum, req.round());
                    if (req.batchAtPrevious()) {
                        loss.accumulateRows(b, rows, 0, rows.length, wPrev, out.batchPrevGradSum, req.round());
                    }
                }
            }
        }
        if (req.full()) {
            out.gradSum = s;
        }
        double[] newState = state;
        Sketch sk = req.sketchFirst();
        if (req.fed() != null) {
            ClientStep step = req.fed().protocol().clientStep(req.fed(), client, s, state);
            out.message = step.message();
            out.uplinkBits = step.message() == null ? 0 : step.message().bits();
            newState = step.state();
        } else if (sk != null) {
            // Sketch-first: send only the r x n (or m x r) coordinates of the gradient on the announced sketch.
            out.projected = sk.project(req.fullCounted() ? s : out.batchGradSum);
            out.uplinkBits = (long) BITS_PER_VALUE * sk.projectedSize();
            if (!req.fullCounted()) {
                out.batchGradSum = null;
            }
        } else if (!req.score()) {
            out.uplinkBits = plainUplinkBits(req, d);
        }
        return new ClientOutput(out, newState);
    }

    /**
     * Whether {@link #evaluatePoints} serves the request: the full data gradient alone (GD, a PAGE refresh, the
     * final metrics), without a minibatch, protocol, sketch or score.
     */
    public static boolean sharesPass(OracleRequest req) {
        return req.full() && !req.hasBatch() && req.fed() == null && req.sketchFirst() == null && !req.score();
    }

    /**
     * The results of several full-gradient requests ({@link #sharesPass}), one per point w[p], in one pass over
     * the blocks: each equal bit for bit to {@link #evaluate} of that request alone.
     */
    public static OracleResult[] evaluatePoints(OracleRequest[] reqs, Iterable<DataBlock> blocks, MultiPointLoss loss,
                                                double[][] w, int d) {
        int k = reqs.length;
        OracleResult[] out = new OracleResult[k];
        double[][] s = new double[k][d];
        double[] blockLoss = new double[k];
        for (int p = 0; p < k; p++) {
            if (!sharesPass(reqs[p])) {
                throw new IllegalArgumentException("request " + p + " is not a full-gradient request alone");
            }
            out[p] = new OracleResult();
        }
        boolean count = loss.classifier();
        for (DataBlock b : blocks) {
            loss.accumulatePoints(b, w, s, blockLoss);
            for (int p = 0; p < k; p++) {
                out[p].lossSum += blockLoss[p];
                if (count) {
                    out[p].correct += loss.correct(b, w[p]);
                }
            }
        }
        for (int p = 0; p < k; p++) {
            out[p].gradSum = s[p];
            out[p].uplinkBits = plainUplinkBits(reqs[p], d);
        }
        return out;
    }

    /** Bits a client sends without protocol or sketch: one d-vector per gradient the algorithm uses. */
    private static long plainUplinkBits(OracleRequest req, int d) {
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
