package org.blora.core.compress;

/**
 * A QSGD message: the l2 norm as one double and, per entry, a sign bit and a level l ∈ {0, …, s} in
 * {@code ceil(log2(s + 1))} bits; entry i decodes to {@code sign · l · (norm / s)}.
 * {@code bits = 64 + d (1 + ceil(log2(s + 1)))} (fixed-width codes, no Elias coding).
 */
public final class QsgdMessage extends CompressedMessage {

    private static final long serialVersionUID = 1L;

    private final double norm;
    private final int levels;
    private final PackedCodes codes;

    QsgdMessage(double norm, int levels, PackedCodes codes) {
        this.norm = norm;
        this.levels = levels;
        this.codes = codes;
    }

    /** Width of one entry's code: sign bit plus level bits. */
    static int codeBits(int levels) {
        return WireFormat.SIGN_BITS + WireFormat.ceilLog2((long) levels + 1);
    }

    /** The transmitted l2 norm. */
    public double norm() {
        return norm;
    }

    /** The number of levels s. */
    public int levels() {
        return levels;
    }

    @Override
    public int dimension() {
        return codes.size();
    }

    @Override
    public long bits() {
        return WireFormat.FLOAT_BITS + codes.bits();
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        int d = codes.size();
        int levelBits = codes.width() - 1;
        int levelMask = (1 << levelBits) - 1;
        double step = norm / levels;
        for (int i = 0; i < d; i++) {
            int code = codes.get(i);
            int level = code & levelMask;
            if (level != 0) {
                double v = level * step;
                visitor.visit(i, (code >>> levelBits) != 0 ? -v : v);
            }
        }
    }

    @Override
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        int d = codes.size();
        int levelBits = codes.width() - 1;
        int levelMask = (1 << levelBits) - 1;
        double step = norm / levels;
        for (int i = 0; i < d; i++) {
            int code = codes.get(i);
            int level = code & levelMask;
            if (level != 0) {
                double v = level * step;
                acc[i] += scale * ((code >>> levelBits) != 0 ? -v : v);
            }
        }
    }

    @Override
    public String toString() {
        return "QsgdMessage(d=" + codes.size() + ", s=" + levels + ", norm=" + norm + ")";
    }
}
