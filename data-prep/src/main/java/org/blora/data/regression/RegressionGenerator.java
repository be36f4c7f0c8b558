package org.blora.data.regression;

import java.util.SplittableRandom;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * Synthetic linear-regression data with scikit-learn {@code make_regression} semantics, generated partition by
 * partition so that no node ever holds more than one partition (or, through {@link RegressionRows}, one row).
 *
 * <h2>Model</h2>
 * <ul>
 *   <li>{@code effectiveRank = 0}: every row x ~ N(0, I_d), as {@code make_regression} without
 *       {@code effective_rank}.</li>
 *   <li>{@code effectiveRank = R > 0}: x = V diag(s) z / √N with z ~ N(0, I_d), V the orthogonal
 *       {@link OrthogonalTransform} shared by all partitions, and the profile of {@code make_low_rank_matrix}
 *       s_i = (1 − tail)·exp(−(i/R)²) + tail·exp(−0.1·i/R), i = 0..d−1. scikit-learn builds X = U S Vᵀ with
 *       orthonormal U (N×d), whose rows are close to N(0, I/N); replacing them by independent z/√N keeps every
 *       row independent (hence streamable and partitionable) and gives XᵀX = V S (ZᵀZ/N) S Vᵀ ≈ V S² Vᵀ, i.e.
 *       singular values ≈ s_i with a relative error of order √(d/N) (exactly s_i in scikit-learn).</li>
 *   <li>Ground truth w: {@code informative} entries equal to 100·U(0, 1), the rest 0. scikit-learn puts them on
 *       the first features and then shuffles the feature order; here their positions are drawn directly as a
 *       uniformly random subset (partial Fisher-Yates), which is the same law.</li>
 *   <li>Label y = Σ_j x_j w_j (summed in index order) + bias + noise·g, g ~ N(0, 1). g is drawn even when
 *       noise = 0, so X does not depend on noise or bias, and with noise = 0 the label is exactly x·w + bias.</li>
 *   <li>Row order: rows are i.i.d., so scikit-learn's row shuffle has no counterpart.</li>
 * </ul>
 *
 * <h2>Randomness and determinism</h2>
 * V and w come from {@code RandomStreams.of(seed, 0, DRIVER, INIT)} (split into one child stream each), so every
 * executor rebuilds the same V and w from the spec. Partition p of P draws its rows, in order, from
 * {@code RandomStreams.of(seed, 0, p, DATA)}: the same (spec, p, P) always gives the same bits, on any executor
 * and after any retry, but the data set as a whole depends on (spec, P): regenerating it with another partition
 * count gives different (identically distributed) rows. The values are not those of scikit-learn for the same
 * seed (different generator); the distribution is.
 *
 * <h2>Splitting</h2>
 * N rows are split as evenly as possible: partition p gets ⌊N/P⌋ rows, plus one if p &lt; N mod P.
 */
public final class RegressionGenerator {
    /** Bumped whenever the generated values for a given spec change; part of {@link RegressionSpec#cacheKey()}. */
    public static final int VERSION = 1;

    private RegressionGenerator() {
    }

    /** Number of rows of partition {@code partition} of {@code partitions}. */
    public static long rowsOf(RegressionSpec spec, int partition, int partitions) {
        checkPartition(partition, partitions);
        long q = spec.rows() / partitions;
        long r = spec.rows() % partitions;
        return q + (partition < r ? 1 : 0);
    }

    /** Global index of the first row of partition {@code partition} of {@code partitions}. */
    public static long firstRowOf(RegressionSpec spec, int partition, int partitions) {
        checkPartition(partition, partitions);
        long q = spec.rows() / partitions;
        long r = spec.rows() % partitions;
        return partition * q + Math.min(partition, r);
    }

    /**
     * Fills x (row-major, rowsOf × d) and y (rowsOf) with partition {@code partition} of {@code partitions}.
     * The arrays may be longer than needed; the rest is left untouched.
     */
    public static void generatePartition(RegressionSpec spec, int partition, int partitions, double[] x, double[] y) {
        long rows = rowsOf(spec, partition, partitions);
        int d = spec.features();
        if (rows * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions + " has " + rows
                    + " rows x " + d + " features, too many for one array; use more partitions or RegressionRows");
        }
        if (x.length < rows * d || y.length < rows) {
            throw new IllegalArgumentException("need x.length >= " + rows * d + " and y.length >= " + rows
                    + ", got " + x.length + " and " + y.length);
        }
        RegressionRows it = rows(spec, partition, partitions);
        double[] row = new double[d];
        for (int i = 0; i < rows; i++) {
            y[i] = it.next(row);
            System.arraycopy(row, 0, x, i * d, d);
        }
    }

    /** A streaming source of the rows of one partition (O(d) memory). */
    public static RegressionRows rows(RegressionSpec spec, int partition, int partitions) {
        return new RegressionRows(spec, partition, partitions);
    }

    /**
     * The profile s_i = (1 − tail)·exp(−(i/R)²) + tail·exp(−0.1·i/R), i = 0..d−1, of {@code make_low_rank_matrix};
     * all ones when the effective rank is 0 (plain Gaussian features).
     */
    public static double[] singularProfile(RegressionSpec spec) {
        int d = spec.features();
        double[] s = new double[d];
        double r = spec.effectiveRank();
        double tail = spec.tailStrength();
        for (int i = 0; i < d; i++) {
            s[i] = r == 0 ? 1.0 : (1 - tail) * Math.exp(-(i / r) * (i / r)) + tail * Math.exp(-0.1 * i / r);
        }
        return s;
    }

    /** The true coefficients w (length d): {@code informative} entries 100·U(0, 1) at random positions. */
    public static double[] coefficients(RegressionSpec spec) {
        SplittableRandom init = initStream(spec);
        init.split(); // the transform's stream
        SplittableRandom rng = init.split();
        int d = spec.features();
        int[] idx = new int[d];
        for (int i = 0; i < d; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < spec.informative(); i++) {
            int j = i + rng.nextInt(d - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        double[] w = new double[d];
        for (int i = 0; i < spec.informative(); i++) {
            w[idx[i]] = 100.0 * rng.nextDouble();
        }
        return w;
    }

    /** The shared orthogonal V, or null when the effective rank is 0. A new instance per call (not thread-safe). */
    public static OrthogonalTransform transform(RegressionSpec spec) {
        if (spec.effectiveRank() == 0) {
            return null;
        }
        return OrthogonalTransform.random(spec.features(), initStream(spec).split());
    }

    static SplittableRandom initStream(RegressionSpec spec) {
        return RandomStreams.of(spec.seed(), 0, RandomStreams.DRIVER, Purpose.INIT);
    }

    static SplittableRandom dataStream(RegressionSpec spec, int partition) {
        return RandomStreams.of(spec.seed(), 0, partition, Purpose.DATA);
    }

    static void checkPartition(int partition, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition must be in [0, " + partitions + "), got " + partition);
        }
    }
}
