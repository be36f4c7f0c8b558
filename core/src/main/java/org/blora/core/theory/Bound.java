package org.blora.core.theory;

import java.util.function.LongToDoubleFunction;

/**
 * A theorem's upper bound on one {@link Measure} as a function of the round t >= 1, with the short name a run
 * writes to its {@code bound_name} column (e.g. {@code gd-pl}, {@code subgrad-const-avg}).
 */
public final class Bound {
    private final String name;
    private final Measure measure;
    private final LongToDoubleFunction value;

    Bound(String name, Measure measure, LongToDoubleFunction value) {
        this.name = name;
        this.measure = measure;
        this.value = value;
    }

    public String name() {
        return name;
    }

    public Measure measure() {
        return measure;
    }

    /** The bound after t >= 1 rounds. */
    public double at(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("a bound is stated after t >= 1 rounds, got t = " + t);
        }
        return value.applyAsDouble(t);
    }

    /** measured / bound after t rounds: at most 1 when the bound held (the bound_ratio of a run's summary). */
    public double ratio(double measured, long t) {
        return measured / at(t);
    }

    /** Whether the measured value is within the bound after t rounds (the bound_held of a run's summary). */
    public boolean held(double measured, long t) {
        return measured <= at(t);
    }
}
