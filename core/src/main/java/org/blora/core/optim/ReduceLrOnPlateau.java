package org.blora.core.optim;

import java.io.Serializable;

/**
 * PyTorch's ReduceLROnPlateau in mode "min" with a relative threshold: once per epoch the monitored value
 * (validation loss) is compared with the best so far; an epoch improves when value &lt; best (1 - threshold).
 * After more than {@code patience} epochs without improvement the learning rate is multiplied by
 * {@code factor} (not below {@code minLr}, and not at all when the decrease would be under 1e-8), then
 * {@code cooldown} epochs are not counted. Defaults: factor 0.1, patience 10, threshold 1e-4, cooldown 0,
 * min lr 0. It holds the learning rate itself, so that eps compares learning rates as PyTorch's does; a
 * trainer whose stepsize comes from a rule multiplies it by {@link #scale()}. {@link #state()} and
 * {@link #of(State)} carry it through a checkpoint.
 */
public final class ReduceLrOnPlateau implements Serializable {
    private static final long serialVersionUID = 1L;

    /** PyTorch's eps: smaller decreases of the learning rate are ignored. */
    private static final double EPS = 1e-8;

    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final double minLr;

    private final double initialLr;
    private double lr;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private int cooldownLeft;

    public ReduceLrOnPlateau(double lr, double factor, int patience, double threshold, int cooldown, double minLr) {
        if (!(lr >= 0.0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be >= 0 and finite, got " + lr);
        }
        if (!(factor >= 0.0 && factor < 1.0)) {
            throw new IllegalArgumentException("plateau factor must be in [0, 1), got " + factor);
        }
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("plateau patience and cooldown must be >= 0, got " + patience
                    + " and " + cooldown);
        }
        if (!(threshold >= 0.0 && threshold < 1.0)) {
            throw new IllegalArgumentException("plateau threshold must be in [0, 1), got " + threshold);
        }
        if (!(minLr >= 0.0)) {
            throw new IllegalArgumentException("plateau min lr must be >= 0, got " + minLr);
        }
        this.initialLr = lr;
        this.lr = lr;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** PyTorch's defaults with this patience (the MNIST runs use 10, the default). */
    public static ReduceLrOnPlateau withPatience(double lr, int patience) {
        return new ReduceLrOnPlateau(lr, 0.1, patience, 1e-4, 0, 0.0);
    }

    /** Records one epoch's monitored value; returns the learning rate for the next epoch. */
    public double step(double value) {
        // A NaN never improves, as in PyTorch.
        if (value < best * (1.0 - threshold)) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double reduced = Math.max(lr * factor, minLr);
            if (lr - reduced > EPS) {
                lr = reduced;
            }
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
        return lr;
    }

    public double lr() {
        return lr;
    }

    /** lr / the initial lr: what the schedule has multiplied the learning rate by so far. */
    public double scale() {
        if (lr == initialLr) {
            return 1.0;
        }
        // A schedule checkpointed before the initial rate was kept (it read 0 then) ran on a factor from 1.
        return initialLr == 0.0 ? lr : lr / initialLr;
    }

    public double best() {
        return best;
    }

    /** Epochs since the last improvement that count towards the patience. */
    public int badEpochs() {
        return badEpochs;
    }

    /** Everything the object holds: its settings, and the learning rate and counters after the epochs so far. */
    public record State(double factor, int patience, double threshold, int cooldown, double minLr, double initialLr,
                        double lr, double best, int badEpochs, int cooldownLeft) {
    }

    public State state() {
        return new State(factor, patience, threshold, cooldown, minLr, initialLr, lr, best, badEpochs, cooldownLeft);
    }

    /** The object {@link #state()} was taken from, as it was then. */
    public static ReduceLrOnPlateau of(State s) {
        ReduceLrOnPlateau r = new ReduceLrOnPlateau(s.initialLr(), s.factor(), s.patience(), s.threshold(), s.cooldown(),
                s.minLr());
        if (!(s.lr() >= 0.0) || Double.isInfinite(s.lr())) {
            throw new IllegalArgumentException("learning rate must be >= 0 and finite, got " + s.lr());
        }
        r.lr = s.lr();
        if (s.badEpochs() < 0 || s.cooldownLeft() < 0) {
            throw new IllegalArgumentException("plateau counters must be >= 0, got " + s.badEpochs()
                    + " and " + s.cooldownLeft());
        }
        r.best = s.best();
        r.badEpochs = s.badEpochs();
        r.cooldownLeft = s.cooldownLeft();
        return r;
    }
}
