package org.blora.core.oracle;

import org.blora.core.federated.ClientStep;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.sketch.Sketch;

/**
 * One client's pass for one request, block by block ({@link #add}), then what it sends ({@link #finish}):
 * {@link ClientCompute#evaluate} is one pass, and a task serving several requests takes each through the same
 * blocks ({@link ClientCompute#evaluatePoints}).
 */
final class ClientPass {
    private final OracleRequest req;
    private final DataLoss loss;
    final double[] w;
    private final double[] wPrev;
    private final int d;
    private final OracleResult.Builder out = OracleResult.builder();
    /** The minibatch gradient's sums at W_t and W_{t-1}, when the request draws one (else null). */
    private double[] batchSum;
    private double[] batchPrevSum;
    /** The full data gradient's sum, when the request needs it (else null). */
    final double[] s;
    private final boolean count;

    ClientPass(OracleRequest req, DataLoss loss, double[] w, double[] wPrev, int d) {
        this.req = req;
        this.loss = loss;
        this.w = w;
        this.wPrev = wPrev;
        this.d = d;
        boolean local = req.full() || req.fullCounted() || req.fed() != null || req.score() || req.gram() != null;
        this.s = local ? new double[d] : null;
        this.count = loss.classifier() && (req.full() || req.score());
        if (req.hasBatch()) {
            batchSum = new double[d];
            out.batchGradSum(batchSum);
            if (req.batchAtPrevious()) {
                batchPrevSum = new double[d];
                out.batchPrevGradSum(batchPrevSum);
            }
        }
    }

    /** The block's part of the request. */
    void add(DataBlock b) {
        if (req.gram() != null) {
            loss.addGramTimes(b, req.gram(), s);
            return;
        }
        if (s != null) {
            out.addLoss(loss.accumulate(b, w, s));
        }
        if (count) {
            out.addCorrect(loss.correct(b, w));
        }
        if (req.hasBatch()) {
            int[] rows = ClientCompute.localRows(req.batch(), b);
            if (rows.length > 0) {
                loss.accumulateRows(b, rows, 0, rows.length, w, batchSum, req.round());
                if (req.batchAtPrevious()) {
                    loss.accumulateRows(b, rows, 0, rows.length, wPrev, batchPrevSum, req.round());
                }
            }
        }
    }

    /**
     * The block's part of a full-gradient request whose pass over the block ran elsewhere (a multi-point pass that
     * added its gradient to {@link #s} and returned {@code blockLoss}).
     */
    void addPassed(DataBlock b, double blockLoss) {
        out.addLoss(blockLoss);
        if (count) {
            out.addCorrect(loss.correct(b, w));
        }
    }

    /** What the client sends after its last block, and its protocol state. */
    ClientOutput finish(int client, double[] state) {
        if (req.full() || req.gram() != null) {
            out.gradSum(s);
        }
        double[] newState = state;
        Sketch sk = req.sketchFirst();
        if (req.fed() != null) {
            ClientStep step = req.fed().protocol().clientStep(req.fed(), client, s, state);
            out.message(step.message());
            out.uplinkBits(step.message() == null ? 0 : step.message().bits());
            newState = step.state();
        } else if (sk != null) {
            // Sketch-first: send only the r x n (or m x r) coordinates of the gradient on the announced sketch.
            out.projected(sk.project(req.fullCounted() ? s : batchSum));
            out.uplinkBits((long) ClientCompute.BITS_PER_VALUE * sk.projectedSize());
            if (!req.fullCounted()) {
                out.batchGradSum(null);
            }
        } else if (!req.score() && req.gram() == null) {
            out.uplinkBits(ClientCompute.plainUplinkBits(req, d));
        }
        return new ClientOutput(out.build(), newState);
    }
}
