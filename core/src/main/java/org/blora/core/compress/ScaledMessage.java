package org.blora.core.compress;

/**
 * Another message with every decoded entry multiplied by a constant factor, {@code factor · v_i} (one rounding).
 * The factor (1/(ω+1) for {@link ScaledContractive}) is derived by both sides from the configuration and d, so it
 * costs no bits: {@code bits = inner.bits()}.
 */
public final class ScaledMessage extends CompressedMessage {

    private static final long serialVersionUID = 1L;

    private final CompressedMessage inner;
    private final double factor;

    ScaledMessage(CompressedMessage inner, double factor) {
        this.inner = inner;
        this.factor = factor;
    }

    /** {@code inner} with every decoded entry multiplied by {@code factor}, for a factor both sides know. */
    public static ScaledMessage of(CompressedMessage inner, double factor) {
        return new ScaledMessage(inner, factor);
    }

    public CompressedMessage inner() {
        return inner;
    }

    public double factor() {
        return factor;
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public long bits() {
        return inner.bits();
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        double f = factor;
        inner.forEachEntry((i, v) -> visitor.visit(i, f * v));
    }

    @Override
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        double f = factor;
        inner.forEachEntry((i, v) -> acc[i] += scale * (f * v));
    }

    @Override
    public String toString() {
        return "ScaledMessage(" + factor + " * " + inner + ")";
    }
}
