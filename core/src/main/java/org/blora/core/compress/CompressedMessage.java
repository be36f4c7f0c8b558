package org.blora.core.compress;

import java.io.Serializable;

/**
 * What a client sends: a compressed d-vector that knows its exact size on the wire and how to add itself into a
 * sum.
 *
 * <p>Subclasses hold sparse or quantised data (indices and values, packed signs and exponents, packed levels),
 * never a dense copy except {@link DenseMessage}. Decoding is defined once, by {@link #forEachEntry}; {@link #addTo}
 * and {@link #toDense} agree with it bit for bit: after {@code addTo(acc, s)} every {@code acc[i]} equals
 * {@code acc0[i] + s * toDense()[i]} exactly (up to the sign of a zero: entries not visited are left as they are).
 * Messages are immutable.
 */
public abstract class CompressedMessage implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Receives the decoded entries of a message. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(int index, double value);
    }

    /** The dimension d of the vector this message encodes. */
    public abstract int dimension();

    /**
     * The exact number of bits this message takes on the wire (the formula is in each compressor's class comment;
     * widths in {@link WireFormat}).
     */
    public abstract long bits();

    /**
     * Visits every entry that may be non-zero, in increasing index order, with its decoded value. Entries not
     * visited are zero.
     */
    public abstract void forEachEntry(EntryVisitor visitor);

    /**
     * {@code acc += scale * decoded}, touching only visited entries and building no dense copy. Subclasses that
     * override this for speed must compute {@code acc[i] += scale * value} with the value of {@link #forEachEntry}.
     */
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        forEachEntry((i, v) -> acc[i] += scale * v);
    }

    /** The decoded vector as a new dense array of length d. */
    public double[] toDense() {
        double[] dense = new double[dimension()];
        forEachEntry((i, v) -> dense[i] = v);
        return dense;
    }

    /** The squared l2 norm of the decoded vector. */
    public double squaredNorm() {
        double[] sum = {0.0};
        forEachEntry((i, v) -> sum[0] += v * v);
        return sum[0];
    }

    protected final void requireAccumulator(double[] acc) {
        if (acc.length != dimension()) {
            throw new IllegalArgumentException(
                    "accumulator length " + acc.length + " does not match message dimension " + dimension());
        }
    }
}
