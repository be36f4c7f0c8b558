package org.blora.core.compress;

import java.util.Arrays;

/**
 * An uncompressed vector: d doubles, {@code bits = 64 d}. What {@link Identity} sends and what MARINA's
 * synchronisation rounds send.
 */
public final class DenseMessage extends CompressedMessage {

    private static final long serialVersionUID = 1L;

    private final double[] values;

    private DenseMessage(double[] values) {
        this.values = values;
    }

    /** A message holding a copy of {@code x}. */
    public static DenseMessage copyOf(double[] x) {
        return new DenseMessage(x.clone());
    }

    @Override
    public int dimension() {
        return values.length;
    }

    @Override
    public long bits() {
        return (long) WireFormat.FLOAT_BITS * values.length;
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        for (int i = 0; i < values.length; i++) {
            visitor.visit(i, values[i]);
        }
    }

    @Override
    public void addTo(double[] acc, double scale) {
        requireAccumulator(acc);
        for (int i = 0; i < values.length; i++) {
            acc[i] += scale * values[i];
        }
    }

    @Override
    public double[] toDense() {
        return values.clone();
    }

    @Override
    public String toString() {
        return "DenseMessage(d=" + values.length + ", " + Arrays.toString(Arrays.copyOf(values, Math.min(8, values.length)))
                + (values.length > 8 ? "...)" : ")");
    }
}
