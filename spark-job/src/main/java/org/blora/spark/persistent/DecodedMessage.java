package org.blora.spark.persistent;

import org.blora.core.compress.CompressedMessage;

/**
 * A client's message as it arrives from a persistent task: the entries the client's message visits, with their
 * values, and its bit count. It adds exactly what the original adds ({@link CompressedMessage}'s contract), and
 * counts the bits the original counted.
 */
final class DecodedMessage extends CompressedMessage {
    private static final long serialVersionUID = 1L;

    private final int dimension;
    private final long bits;
    /** The visited indices in increasing order; null when every index 0..d-1 is visited. */
    private final int[] index;
    private final double[] values;

    DecodedMessage(int dimension, long bits, int[] index, double[] values) {
        if (index == null ? values.length != dimension : index.length != values.length) {
            throw new IllegalArgumentException("a message of dimension " + dimension + " with "
                    + (index == null ? "dense" : index.length + " indexed") + " values: " + values.length);
        }
        for (int k = 0; index != null && k < index.length; k++) {
            if (index[k] < 0 || index[k] >= dimension || (k > 0 && index[k] <= index[k - 1])) {
                throw new IllegalArgumentException("message index " + index[k] + " out of order or range " + dimension);
            }
        }
        this.dimension = dimension;
        this.bits = bits;
        this.index = index;
        this.values = values;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long bits() {
        return bits;
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        for (int k = 0; k < values.length; k++) {
            visitor.visit(index == null ? k : index[k], values[k]);
        }
    }

    @Override
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        for (int k = 0; k < values.length; k++) {
            acc[index == null ? k : index[k]] += scale * values[k];
        }
    }
}
