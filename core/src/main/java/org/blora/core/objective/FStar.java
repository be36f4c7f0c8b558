package org.blora.core.objective;

/**
 * The optimal value f* of a problem as known to a run: {@code value} is f at {@code minimiser} (so never below
 * the true f*), {@code accuracy} bounds value - f* (0 when f* is known by construction; otherwise the duality gap
 * of a certificate, exact up to floating-point rounding), {@code how} says where it came from.
 */
public record FStar(double value, double accuracy, double[] minimiser, String how) {
    public FStar {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("f* must be finite, got " + value);
        }
        if (!(accuracy >= 0.0) || Double.isInfinite(accuracy)) {
            throw new IllegalArgumentException("the accuracy of f* must be >= 0 and finite, got " + accuracy);
        }
    }
}
