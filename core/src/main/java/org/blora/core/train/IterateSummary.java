package org.blora.core.train;

/**
 * The best and the average iterate of a run, the points the convex non-smooth theorems speak of
 * (docs/THEORY.md): best = the W_s of least f(W_s) among the rounds whose loss was evaluated, average =
 * (1/T) sum_{s < T} W_s over the T steps taken (W_T, the last iterate, is the chain itself). Fed by a
 * {@link RoundListener} in round order; the sum runs in round order, so the average has the same bits on any
 * rerun, and a resumed run goes on from its checkpoint's {@link State} with the same bits. O(d) memory: one
 * running sum, one best copy, the pending iterate.
 */
public final class IterateSummary {
    private final double[] sum;
    private double[] pending;
    private long steps;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private double[] best;
    private int bestRound = -1;

    /**
     * What a checkpoint keeps to go on after a round: the running sum of the iterates so far (in round order), the
     * steps it holds, and the best loss, iterate and round (null iterate, -1: none evaluated yet). The iterate still
     * to be added is the chain's W at the checkpoint.
     */
    public record State(double[] sum, long steps, double bestLoss, double[] best, int bestRound) {
    }

    /** Starts at W_0. */
    public IterateSummary(double[] w0) {
        this.pending = w0.clone();
        this.sum = new double[w0.length];
    }

    /** Goes on from a checkpoint's state, with {@code w} the chain's W at that checkpoint. */
    public IterateSummary(State state, double[] w) {
        this.pending = w.clone();
        this.sum = state.sum().clone();
        this.steps = state.steps();
        this.bestLoss = state.bestLoss();
        this.best = state.best() == null ? null : state.best().clone();
        this.bestRound = state.bestRound();
    }

    /** The state a checkpoint keeps (copies). */
    public State state() {
        return new State(sum.clone(), steps, bestLoss, best == null ? null : best.clone(), bestRound);
    }

    /**
     * Round t's row (its loss is f(W_t), NaN where not evaluated) and W_{t+1} when the round took a step (null on
     * the final row, where no step is taken).
     */
    public void onRound(RoundRecord row, double[] wNext) {
        if (row.loss() < bestLoss) {
            bestLoss = row.loss();
            best = pending.clone();
            bestRound = row.round();
        }
        if (wNext != null) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += pending[j];
            }
            steps++;
            pending = wNext.clone();
        }
    }

    /** (1/T) sum_{s < T} W_s; W_0 before any step. */
    public double[] average() {
        if (steps == 0) {
            return pending.clone();
        }
        double[] avg = sum.clone();
        for (int j = 0; j < avg.length; j++) {
            avg[j] /= steps;
        }
        return avg;
    }

    public long steps() {
        return steps;
    }

    /** The iterate of least evaluated loss, or null when no loss was evaluated. */
    public double[] best() {
        return best == null ? null : best.clone();
    }

    public double bestLoss() {
        return bestLoss;
    }

    public int bestRound() {
        return bestRound;
    }
}
