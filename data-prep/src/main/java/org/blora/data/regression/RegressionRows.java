package org.blora.data.regression;

import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The rows of one partition of a {@link RegressionSpec}, produced one at a time in O(d) memory, so a partition
 * of any size can be written or summarised without holding it. The sequence is exactly the one
 * {@link RegressionGenerator#generatePartition} stores. Not thread-safe.
 */
public final class RegressionRows {
    private final int d;
    private final SplittableRandom rng;
    private final OrthogonalTransform v;
    private final double[] rowScale;
    private final double[] w;
    private final double bias;
    private final double noise;
    private final long first;
    private final long count;
    private long produced;

    RegressionRows(RegressionSpec spec, int partition, int partitions) {
        this.d = spec.features();
        this.first = RegressionGenerator.firstRowOf(spec, partition, partitions);
        this.count = RegressionGenerator.rowsOf(spec, partition, partitions);
        this.rng = RegressionGenerator.dataStream(spec, partition);
        this.v = RegressionGenerator.transform(spec);
        this.w = RegressionGenerator.coefficients(spec);
        this.bias = spec.bias();
        this.noise = spec.noise();
        if (v == null) {
            rowScale = null;
        } else {
            double[] s = RegressionGenerator.singularProfile(spec);
            double invSqrtN = 1.0 / Math.sqrt(spec.rows());
            for (int i = 0; i < d; i++) {
                s[i] *= invSqrtN;
            }
            rowScale = s;
        }
    }

    /** Global index of the next row. */
    public long nextRowIndex() {
        return first + produced;
    }

    public boolean hasNext() {
        return produced < count;
    }

    /** Writes the next row's features into x (length d) and returns its label. */
    public double next(double[] x) {
        if (produced >= count) {
            throw new NoSuchElementException("partition exhausted after " + count + " rows");
        }
        if (x.length != d) {
            throw new IllegalArgumentException("row length " + x.length + " != features " + d);
        }
        for (int j = 0; j < d; j++) {
            x[j] = rng.nextGaussian();
        }
        if (v != null) {
            for (int j = 0; j < d; j++) {
                x[j] *= rowScale[j];
            }
            v.apply(x);
        }
        double dot = 0;
        for (int j = 0; j < d; j++) {
            dot += x[j] * w[j];
        }
        double g = rng.nextGaussian();
        produced++;
        return dot + bias + noise * g;
    }
}
