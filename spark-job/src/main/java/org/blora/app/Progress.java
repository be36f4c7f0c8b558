package org.blora.app;

import java.io.PrintStream;
import java.util.Locale;
import org.blora.core.chain.LowRankChain;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;

/** A progress line at most every few seconds: round t/T, epoch, loss, ||grad f||^2, stepsize, ETA. */
final class Progress implements RoundListener {
    private final PrintStream out;
    private final long everyNanos;
    private final int budget;
    private final long start = System.nanoTime();
    private long last = System.nanoTime();
    private double lastLoss = Double.NaN;
    private double lastGrad = Double.NaN;

    Progress(PrintStream out, double seconds, int budget) {
        this.out = out;
        this.everyNanos = (long) (seconds * 1e9);
        this.budget = budget;
    }

    @Override
    public void onRound(RoundRecord r, LowRankChain chain) {
        if (!Double.isNaN(r.gradNormSq())) {
            lastLoss = r.loss();
            lastGrad = r.gradNormSq();
        }
        long now = System.nanoTime();
        if (now - last < everyNanos && r.side() != null) {
            return;
        }
        last = now;
        double elapsed = (now - start) / 1e9;
        double perRound = elapsed / Math.max(1, r.round() + 1);
        long eta = (long) (perRound * Math.max(0, budget - r.round() - 1));
        out.println(String.format(Locale.ROOT,
                "[train] round %d/%d  epoch %.2f  loss %.6e  ||grad f||^2 %.3e  %s  %s%s",
                r.round(), budget, r.epoch(), lastLoss, lastGrad,
                r.side() == null ? "final" : String.format(Locale.ROOT, "step %.3e  side %s", r.stepSize(), r.side()),
                rate((r.round() + 1) / Math.max(elapsed, 1e-9)),
                r.side() == null ? "" : String.format(Locale.ROOT, "  budget eta %dm%02ds", eta / 60, eta % 60)));
    }

    /** Rounds per second, or seconds per round when rounds are slow (data larger than memory). */
    static String rate(double roundsPerSecond) {
        return roundsPerSecond >= 1 ? String.format(Locale.ROOT, "%.0f rounds/s", roundsPerSecond)
                : String.format(Locale.ROOT, "%.1f s/round", 1 / roundsPerSecond);
    }
}
