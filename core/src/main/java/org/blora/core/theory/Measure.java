package org.blora.core.theory;

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
}
