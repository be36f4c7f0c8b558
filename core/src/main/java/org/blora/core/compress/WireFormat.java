package org.blora.core.compress;

/**
 * The widths every message uses to count its bits, in one place so that all compressors agree.
 *
 * <p>Only what varies from message to message is counted: values, indices, norms, signs, exponents, levels.
 * What both sides derive from the configuration and d (k, s, ω, the scaling d/k or 1/(ω+1), the message kind)
 * costs nothing. Values are IEEE-754 doubles because the project runs in double precision throughout (the
 * literature's bit counts use 32-bit floats; substitute {@link #FLOAT_BITS} for 32 there).
 */
public final class WireFormat {

    /** Bits of one transmitted real value (norm, kept coordinate, dense entry): an IEEE-754 double. */
    public static final int FLOAT_BITS = 64;

    /** Bits of the exponent field of a double, what natural compression sends per entry besides the sign. */
    public static final int EXPONENT_BITS = 11;

    /** Bits of a sign. */
    public static final int SIGN_BITS = 1;

    private WireFormat() {
    }

    /** Bits of one coordinate index in [0, d): {@code ceil(log2 d)}, which is 0 for d = 1. */
    public static int indexBits(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
        return ceilLog2(d);
    }

    /** {@code ceil(log2 n)} for n ≥ 1, exactly (integer arithmetic). */
    static int ceilLog2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }
}
