package org.blora.core.optim;

import java.io.Serializable;

/**
 * Lightning's EarlyStopping on a value to minimise (validation loss): a check improves when
 * value + minDelta &lt; best; training stops after {@code patience} checks in a row without improvement, or at
 * once when the value is not finite. {@link #state()} and {@link #of(State)} carry it through a checkpoint.
 */
public final class EarlyStopping implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int patience;
    private final double minDelta;

    private double best = Double.POSITIVE_INFINITY;
    private int wait;
    private boolean stopped;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0.0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("early-stopping min delta must be >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Lightning's default min delta 0. */
    public EarlyStopping(int patience) {
        this(patience, 0.0);
    }

    /** Records one check's value; returns true when training should stop now. */
    public boolean update(double value) {
        if (!Double.isFinite(value)) {
            stopped = true;
        } else if (value + minDelta < best) {
            best = value;
            wait = 0;
        } else if (++wait >= patience) {
            stopped = true;
        }
        return stopped;
    }

    public boolean stopped() {
        return stopped;
    }

    public double best() {
        return best;
    }

    /** Checks since the last improvement. */
    public int waitCount() {
        return wait;
    }

    /** Everything the object holds: its settings and its counters after the checks so far. */
    public record State(int patience, double minDelta, double best, int waitCount, boolean stopped) {
    }

    public State state() {
        return new State(patience, minDelta, best, wait, stopped);
    }

    /** The object {@link #state()} was taken from, as it was then. */
    public static EarlyStopping of(State s) {
        EarlyStopping e = new EarlyStopping(s.patience(), s.minDelta());
        if (s.waitCount() < 0) {
            throw new IllegalArgumentException("early-stopping wait count must be >= 0, got " + s.waitCount());
        }
        e.best = s.best();
        e.wait = s.waitCount();
        e.stopped = s.stopped();
        return e;
    }
}
