package org.blora.app;

import java.io.PrintStream;
import java.util.Locale;
import org.blora.core.chain.LowRankChain;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;

/**
 * A progress line at most every few seconds: round t/T, epoch, loss, ||grad f||^2, stepsize, and the time left
 * until the first budget that ends the run (the rounds or the epochs budget; early stopping or the tolerance may
 * end it sooner).
 */
final class Progress implements RoundListener {
    private final PrintStream out;
    private final long everyNanos;
    private final int budget;
    private final double epochBudget;
    private final long start = System.nanoTime();
    private long last = System.nanoTime();
    private double lastLoss = Double.NaN;
    private double lastGrad = Double.NaN;
    private String lastScores = "";

    /** epochBudget: the epochs budget, or 0 / infinity for none. */
    Progress(PrintStream out, double seconds, int budget, double epochBudget) {
        this.out = out;
        this.everyNanos = (long) (seconds * 1e9);
        this.budget = budget;
        this.epochBudget = epochBudget;
    }

    /** Seconds left until the budget that ends first, at the pace so far. */
    static long etaSeconds(double elapsed, int round, int budget, double epoch, double epochBudget) {
        double done = (round + 1) / (double) budget;
        if (epochBudget > 0 && Double.isFinite(epochBudget)) {
            done = Math.max(done, epoch / epochBudget);
        }
        return done <= 0 ? 0 : (long) (elapsed * Math.max(0, 1 / Math.min(1, done) - 1));
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
        long eta = etaSeconds(elapsed, r.round(), budget, r.epoch(), epochBudget);
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
