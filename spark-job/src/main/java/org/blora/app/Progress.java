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
    private String lastScores = "";

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
        if (!Double.isNaN(r.scores().valAccuracy()) || !Double.isNaN(r.scores().accuracy())) {
            lastScores = String.format(Locale.ROOT, "  acc %.4f", r.scores().accuracy())
                    + (Double.isNaN(r.scores().valAccuracy()) ? "" : String.format(Locale.ROOT, "  val acc %.4f",
                    r.scores().valAccuracy()))
                    + (Double.isNaN(r.scores().testAccuracy()) ? "" : String.format(Locale.ROOT, "  test acc %.4f",
                    r.scores().testAccuracy()));
        }
        boolean last = r.side().isEmpty();
        long now = System.nanoTime();
        if (now - this.last < everyNanos && !last) {
            return;
        }
        this.last = now;
        double elapsed = (now - start) / 1e9;
        double perRound = elapsed / Math.max(1, r.round() + 1);
        long eta = (long) (perRound * Math.max(0, budget - r.round() - 1));
        out.println(String.format(Locale.ROOT,
                "[train] round %d/%d  epoch %.2f  loss %.6e  ||grad f||^2 %.3e%s  %s  %s%s",
                r.round(), budget, r.epoch(), lastLoss, lastGrad, lastScores,
                last ? "final" : String.format(Locale.ROOT, "step %.3e  side %s", r.stepSize(), r.side()),
                rate((r.round() + 1) / Math.max(elapsed, 1e-9)),
                last ? "" : String.format(Locale.ROOT, "  budget eta %dm%02ds", eta / 60, eta % 60)));
    }

    /** Rounds per second, or seconds per round when rounds are slow (data larger than memory). */
    static String rate(double roundsPerSecond) {
        return roundsPerSecond >= 1 ? String.format(Locale.ROOT, "%.0f rounds/s", roundsPerSecond)
                : String.format(Locale.ROOT, "%.1f s/round", 1 / roundsPerSecond);
    }
}
