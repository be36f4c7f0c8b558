package org.blora.data.regression;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Count, per-feature mean and centred sum of squares (M2) of a block of rows, and the same for the labels.
 * Rows are added with Welford's update and blocks are merged with Chan et al.'s pairwise formula; both are exact
 * rewrites of "sum and sum of squares" that do not lose the variance to cancellation when |mean| ≫ std. Merging
 * is deterministic when blocks are merged in a fixed order (the caller's job: partition order).
 */
public final class MomentStats implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    private long n;
    private final double[] mean;
    private final double[] m2;
    private double yMean;
    private double yM2;

    public MomentStats(int features) {
        this.d = features;
        this.mean = new double[features];
        this.m2 = new double[features];
    }

    /** The statistics of partition {@code partition} of {@code partitions}, streamed row by row. */
    public static MomentStats ofPartition(RegressionSpec spec, int partition, int partitions) {
        MomentStats s = new MomentStats(spec.features());
        RegressionRows rows = RegressionGenerator.rows(spec, partition, partitions);
        double[] x = new double[spec.features()];
        while (rows.hasNext()) {
            double y = rows.next(x);
            s.add(x, y);
        }
        return s;
    }

    public void add(double[] x, double y) {
        n++;
        double inv = 1.0 / n;
        for (int j = 0; j < d; j++) {
            double delta = x[j] - mean[j];
            mean[j] += delta * inv;
            m2[j] += delta * (x[j] - mean[j]);
        }
        double dy = y - yMean;
        yMean += dy * inv;
        yM2 += dy * (y - yMean);
    }

    /** Adds {@code other}'s rows to this block's (this = this ∪ other) and returns this. */
    public MomentStats merge(MomentStats other) {
        if (other.d != d) {
            throw new IllegalArgumentException("cannot merge statistics of " + other.d + " and " + d + " features");
        }
        if (other.n == 0) {
            return this;
        }
        if (n == 0) {
            n = other.n;
            System.arraycopy(other.mean, 0, mean, 0, d);
            System.arraycopy(other.m2, 0, m2, 0, d);
            yMean = other.yMean;
            yM2 = other.yM2;
            return this;
        }
        double na = n;
        double nb = other.n;
        double total = na + nb;
        double wb = nb / total;
        double cross = na * nb / total;
        for (int j = 0; j < d; j++) {
            double delta = other.mean[j] - mean[j];
            mean[j] += delta * wb;
            m2[j] += other.m2[j] + delta * delta * cross;
        }
        double dy = other.yMean - yMean;
        yMean += dy * wb;
        yM2 += other.yM2 + dy * dy * cross;
        n += other.n;
        return this;
    }

    public int features() {
        return d;
    }

    public long count() {
        return n;
    }

    public double[] featureMeans() {
        return mean.clone();
    }

    /** Population standard deviations (divided by N, as NumPy's {@code std} and {@code StandardScaler}). */
    public double[] featureStds() {
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            s[j] = Math.sqrt(m2[j] / n);
        }
        return s;
    }

    public double labelMean() {
        return yMean;
    }

    public double labelStd() {
        return Math.sqrt(yM2 / n);
    }

    /** Mean of all N·d feature entries. */
    public double entryMean() {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += mean[j];
        }
        return s / d;
    }

    /** Population standard deviation of all N·d feature entries (within-feature plus between-feature parts). */
    public double entryStd() {
        double all = entryMean();
        double ss = 0;
        for (int j = 0; j < d; j++) {
            double dm = mean[j] - all;
            ss += m2[j] + n * dm * dm;
        }
        return Math.sqrt(ss / ((double) n * d));
    }

    @Override
    public String toString() {
        return "MomentStats{n=" + n + ", d=" + d + ", labelMean=" + yMean + ", labelStd=" + labelStd()
                + ", firstMeans=" + Arrays.toString(Arrays.copyOf(mean, Math.min(d, 3))) + "}";
    }
}
