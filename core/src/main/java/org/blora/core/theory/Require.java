package org.blora.core.theory;

/** Argument checks of the theorem classes: one line naming the quantity, what it must be, and the value. */
final class Require {
    private Require() {
    }

    static double positive(String what, double v) {
        if (!(v > 0.0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
        }
        return v;
    }

    static double nonNegative(String what, double v) {
        if (!(v >= 0.0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be >= 0 and finite, got " + v);
        }
        return v;
    }

    static double unitInterval(String what, double v) {
        if (!(v > 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(what + " must be in (0, 1], got " + v);
        }
        return v;
    }

    /** gamma <= max, with the theorem's condition in the message. */
    static double stepAtMost(double gamma, double max, String condition) {
        positive("the stepsize gamma", gamma);
        if (gamma > max * (1 + 1e-12)) {
            throw new IllegalArgumentException("the stepsize gamma = " + gamma + " exceeds " + condition + " = " + max
                    + "; the theorem does not cover it");
        }
        return gamma;
    }
}
