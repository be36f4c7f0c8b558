package org.blora.core.compress;

/**
 * d signed powers of two (or zeros), each sent as 1 sign bit and the 11-bit IEEE-754 exponent field of a double:
 * {@code bits = d (1 + 11) = 12 d}. Field 0 encodes ±0; field e ∈ [1, 2046] encodes ±2^(e − 1023). A 12-bit code is
 * exactly the top 12 bits of the decoded double, so decoding is a shift.
 */
public final class NaturalMessage extends CompressedMessage {

    private static final long serialVersionUID = 1L;

    /** Bits per entry: sign plus exponent field. */
    static final int CODE_BITS = WireFormat.SIGN_BITS + WireFormat.EXPONENT_BITS;

    private final PackedCodes codes;

    NaturalMessage(PackedCodes codes) {
        if (codes.width() != CODE_BITS) {
            throw new IllegalArgumentException("natural codes must be " + CODE_BITS + " bits wide, got " + codes.width());
        }
        this.codes = codes;
    }

    static double decode(int code) {
        return Double.longBitsToDouble(((long) code) << 52);
    }

    @Override
    public int dimension() {
        return codes.size();
    }

    @Override
    public long bits() {
        return codes.bits();
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        int d = codes.size();
        for (int i = 0; i < d; i++) {
            int code = codes.get(i);
            if ((code & 0x7FF) != 0) {
                visitor.visit(i, decode(code));
            }
        }
    }

    @Override
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        int d = codes.size();
        for (int i = 0; i < d; i++) {
            int code = codes.get(i);
            if ((code & 0x7FF) != 0) {
                acc[i] += scale * decode(code);
            }
        }
    }

    @Override
    public String toString() {
        return "NaturalMessage(d=" + codes.size() + ")";
    }
}
