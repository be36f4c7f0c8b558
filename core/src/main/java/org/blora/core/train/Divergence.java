package org.blora.core.train;

import java.io.Serializable;

/**
 * What a run's later metrics are compared with to call it diverged: the loss and ||grad f||^2 of its first
 * metric round. Part of the {@link TrainerState}, so a resumed run judges against the same start.
 *
 * @param startLoss       the loss of the first metric round, NaN before it
 * @param startGradNormSq ||grad f||^2 of the first metric round, NaN before it
 */
public record Divergence(double startLoss, double startGradNormSq) implements Serializable {
    /** Before the first metric round. */
    public static final Divergence UNSTARTED = new Divergence(Double.NaN, Double.NaN);

    /** This check, with its start taken from {@code loss} and {@code gradNormSq} if it has none yet. */
    public Divergence observe(double loss, double gradNormSq) {
        return Double.isNaN(startLoss) ? new Divergence(loss, gradNormSq) : this;
    }

    /**
     * Whether a metric round's values mean divergence: a value is not finite, or (with {@code factor} &gt; 0)
     * the loss or ||grad f||^2 exceeds {@code factor} times its start. A zero start is never exceeded by a
     * factor (it would be by any noise).
     */
    public boolean diverged(double loss, double gradNormSq, double factor) {
        if (!Double.isFinite(loss) || !Double.isFinite(gradNormSq)) {
            return true;
        }
        return factor > 0 && (exceeds(loss, startLoss, factor) || exceeds(gradNormSq, startGradNormSq, factor));
    }

    private static boolean exceeds(double value, double start, double factor) {
        return start > 0 && value > factor * start;
    }
}
