package org.blora.core.compress;

/**
 * k (index, value) pairs of a d-vector, indices strictly increasing; the other entries are zero.
 * {@code bits = k (64 + ceil(log2 d))}: one double and one {@code ceil(log2 d)}-bit index per kept coordinate
 * (k itself follows from the configuration and d, so it is not sent).
 */
public final class SparseMessage extends CompressedMessage {

    private static final long serialVersionUID = 1L;

    private final int dimension;
    private final int[] indices;
    private final double[] values;

    /** Takes ownership of the arrays; indices must be strictly increasing in [0, d). */
    SparseMessage(int dimension, int[] indices, double[] values) {
        this.dimension = dimension;
        this.indices = indices;
        this.values = values;
    }

    /** The number k of kept coordinates. */
    public int size() {
        return indices.length;
    }

    /** A copy of the kept indices, increasing. */
    public int[] indices() {
        return indices.clone();
    }

    /** A copy of the kept values, aligned with {@link #indices()}. */
    public double[] values() {
        return values.clone();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long bits() {
        return (long) indices.length * (WireFormat.FLOAT_BITS + WireFormat.indexBits(dimension));
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        for (int j = 0; j < indices.length; j++) {
            visitor.visit(indices[j], values[j]);
        }
    }

    @Override
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        for (int j = 0; j < indices.length; j++) {
            acc[indices[j]] += scale * values[j];
        }
    }

    @Override
    public String toString() {
        return "SparseMessage(d=" + dimension + ", k=" + indices.length + ")";
    }
}
