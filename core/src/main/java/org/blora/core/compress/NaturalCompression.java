package org.blora.core.compress;

import java.util.SplittableRandom;

/**
 * Natural compression (Horváth, Ho, Horváth, Sahu, Canini, Richtárik, "Natural compression for distributed deep
 * learning", 2019, eq. (4)): each entry x = ±2^e (1 + m), m ∈ [0, 1), goes to ±2^(e+1) with probability m and to
 * ±2^e otherwise, so E C(x) = x and E (C(x) − x)² = 4^e m (1 − m) ≤ x²/8, i.e. ω = 1/8 (worst case m = 1/3).
 *
 * <p>The coin is exact: m·2^52 is the 52-bit mantissa M and the entry rounds up iff a uniform 52-bit integer is
 * below M. Entries that already are powers of two (M = 0) and zeros consume no randomness.
 *
 * <p>Wire format ({@link NaturalMessage}): per entry 1 sign bit + the 11-bit exponent field of a double,
 * {@code bits = 12 d}; mantissas are not sent (they are zero). Edge cases:
 * <ul>
 *   <li>zero (either sign) is exponent field 0 and stays zero;</li>
 *   <li>subnormal entries (|x| &lt; 2^-1022) have no power-of-two neighbour below that an exponent field can name,
 *       so they round unbiasedly between 0 and ±2^-1022 (still E C(x) = x; their variance, below 2^-2046, is
 *       outside the ω bound, which holds for vectors of zeros and normal doubles);</li>
 *   <li>|x| &gt; 2^1023 would round up to 2^1024, not a finite double: rejected, as are NaN and infinities.</li>
 * </ul>
 */
public final class NaturalCompression implements UnbiasedCompressor {

    private static final long serialVersionUID = 1L;

    private static final long MANTISSA_MASK = (1L << 52) - 1;
    private static final int MAX_FINITE_EXPONENT_FIELD = 0x7FE;

    @Override
    public CompressedMessage compress(double[] x, SplittableRandom rng) {
        int d = Checks.requireNonEmpty(x);
        PackedCodes codes = new PackedCodes(d, NaturalMessage.CODE_BITS);
        for (int i = 0; i < d; i++) {
            long raw = Double.doubleToRawLongBits(x[i]);
            int sign = (int) (raw >>> 63);
            int exponent = (int) ((raw >>> 52) & 0x7FF);
            long mantissa = raw & MANTISSA_MASK;
            if (exponent == 0x7FF) {
                throw Checks.nonFinite(name(), i, x[i]);
            }
            if (mantissa != 0) {
                if (exponent == MAX_FINITE_EXPONENT_FIELD) {
                    throw new IllegalArgumentException(name() + ": entry " + i + " = " + x[i]
                            + " exceeds 2^1023 and could round up to 2^1024, which is not a finite double");
                }
                // Subnormal (exponent field 0): value M·2^-1074 between 0 and 2^-1022 = 2^52·2^-1074; normal:
                // 2^e(1 + M/2^52) between 2^e and 2^(e+1). In both cases round up with probability M/2^52.
                boolean up = (rng.nextLong() >>> 12) < mantissa;
                if (up) {
                    exponent++;
                } else if (exponent == 0) {
                    sign = 0;
                }
            } else if (exponent == 0) {
                sign = 0;
            }
            codes.set(i, (sign << WireFormat.EXPONENT_BITS) | exponent);
        }
        return new NaturalMessage(codes);
    }

    @Override
    public double omega(int d) {
        return 1.0 / 8.0;
    }

    @Override
    public String name() {
        return "natural";
    }

    @Override
    public String toString() {
        return name();
    }
}
