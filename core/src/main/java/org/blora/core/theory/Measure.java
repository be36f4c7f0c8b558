package org.blora.core.theory;

import java.util.List;
import org.blora.core.train.RoundRecord;

/**
 * The quantity a bound is on, as a run measures it after t rounds (iterates W_0 .. W_{t-1} behind it).
 * Every theorem bounds the expectation; the minimum over rounds is bounded whenever the average is
 * (E min_s X_s <= min_s E X_s <= average_s E X_s).
 */
public enum Measure {
    /** (1/t) sum_{s < t} ||grad f(W_s)||^2. */
    GRAD_SQ_AVERAGE("average of ||grad f(W_s)||^2 over s < t"),
    /** min_{s < t} ||grad f(W_s)||^2. */
    GRAD_SQ_MIN("min of ||grad f(W_s)||^2 over s < t"),
    /** f(W_t) - f*. */
    GAP_LAST("f(W_t) - f*"),
    /** f(W_bar_t) - f* with W_bar_t = (1/t) sum_{s < t} W_s. */
    GAP_AVERAGE_ITERATE("f(average of W_s over s < t) - f*"),
    /** min_{s < t} f(W_s) - f*. */
    GAP_BEST("min of f(W_s) over s < t, minus f*");

    public final String description;

    Measure(String description) {
        this.description = description;
    }

    /**
     * The measure after t rounds for t = 0 .. rows - 1, from a run's metrics rows (row s holds f(W_s) and
     * ||grad f(W_s)||^2): index t, NaN at t = 0 where no round is behind. {@code fStar} is what the gaps subtract
     * (unused by the gradient measures). The live theory check and the plots of a bound both read it from here.
     *
     * @throws IllegalStateException for {@link #GAP_AVERAGE_ITERATE}, which needs f at the average iterate
     */
    public double[] observed(List<RoundRecord> rows, double fStar) {
        double[] m = new double[rows.size()];
        if (m.length == 0) {
            return m;
        }
        m[0] = Double.NaN;
        double gradSum = 0;
        double gradMin = Double.POSITIVE_INFINITY;
        double lossMin = Double.POSITIVE_INFINITY;
        for (int t = 1; t < m.length; t++) {
            RoundRecord prev = rows.get(t - 1);
            gradSum += prev.gradNormSq();
            gradMin = Math.min(gradMin, prev.gradNormSq());
            lossMin = Math.min(lossMin, prev.loss());
            m[t] = switch (this) {
                case GRAD_SQ_AVERAGE -> gradSum / t;
                case GRAD_SQ_MIN -> gradMin;
                case GAP_BEST -> lossMin - fStar;
                case GAP_LAST -> rows.get(t).loss() - fStar;
                case GAP_AVERAGE_ITERATE -> throw new IllegalStateException(
                        "the average-iterate gap needs f at the average iterate, which the metrics rows do not hold");
            };
        }
        return m;
    }

    /** The measure of that {@link #description} (as a run's summary.json names it in {@code bound_measure}). */
    public static Measure described(String description) {
        for (Measure m : values()) {
            if (m.description.equals(description)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + description + "' is not the description of a bound's measure");
    }
}
