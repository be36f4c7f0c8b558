package org.blora.data.regression;

import java.util.SplittableRandom;

/**
 * A structured random orthogonal matrix V = Π_{k=1..ROUNDS} (H_k D_k P_k): P_k a uniform random permutation,
 * D_k a diagonal of independent random signs, H_k a normalised Walsh-Hadamard transform (the "structured
 * orthogonal random features" construction, Yu et al., NeurIPS 2016, which uses three rounds of H D).
 *
 * <p>Why it keeps the spectrum: every factor is orthogonal (a permutation, ±1 signs, and H/√m with HᵀH = m I),
 * so V is orthogonal and XᵀX = V (S ZᵀZ S) Vᵀ has exactly the eigenvalues of S ZᵀZ S; only the directions
 * change. Three rounds spread every coordinate over all others (a single H D already does), which is what
 * "random directions" needs here; V is not Haar-distributed, which the generated data cannot detect through
 * second moments.
 *
 * <p>When d is a power of two, H_k is the m = d Hadamard transform. Otherwise, with m the largest power of two
 * below d, H_k applies the m-point transform to coordinates [0, m) and then to [d − m, d); each window is
 * orthogonal on its coordinates and the identity elsewhere, and together they cover every coordinate, so the
 * product is still orthogonal and mixing. Cost per vector: O(ROUNDS · d log d); state: ROUNDS permutations and
 * sign vectors.
 */
public final class StructuredHadamardTransform implements OrthogonalTransform {
    private static final long serialVersionUID = 1L;

    /** Number of (permutation, signs, Hadamard) rounds. */
    public static final int ROUNDS = 3;

    private final int d;
    private final int m;
    private final int[][] perm;
    private final double[][] signs;
    private final double scale;
    private transient double[] scratch;

    private StructuredHadamardTransform(int d, int[][] perm, double[][] signs) {
        this.d = d;
        this.m = Integer.highestOneBit(d);
        this.perm = perm;
        this.signs = signs;
        this.scale = 1.0 / Math.sqrt(m);
    }

    public static StructuredHadamardTransform random(int d, SplittableRandom rng) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + d);
        }
        int[][] perm = new int[ROUNDS][];
        double[][] signs = new double[ROUNDS][];
        for (int k = 0; k < ROUNDS; k++) {
            int[] p = new int[d];
            for (int i = 0; i < d; i++) {
                p[i] = i;
            }
            for (int i = d - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            double[] s = new double[d];
            for (int i = 0; i < d; i++) {
                s[i] = rng.nextBoolean() ? 1.0 : -1.0;
            }
            perm[k] = p;
            signs[k] = s;
        }
        return new StructuredHadamardTransform(d, perm, signs);
    }

    @Override
    public int dimension() {
        return d;
    }

    /** Not thread-safe (one scratch buffer); give each task its own instance. */
    @Override
    public void apply(double[] v) {
        if (v.length != d) {
            throw new IllegalArgumentException("vector length " + v.length + " != dimension " + d);
        }
        if (scratch == null) {
            scratch = new double[d];
        }
        double[] t = scratch;
        for (int k = 0; k < ROUNDS; k++) {
            int[] p = perm[k];
            double[] s = signs[k];
            for (int i = 0; i < d; i++) {
                t[i] = s[i] * v[p[i]];
            }
            System.arraycopy(t, 0, v, 0, d);
            hadamard(v, 0);
            if (m != d) {
                hadamard(v, d - m);
            }
        }
    }

    /** In-place normalised fast Walsh-Hadamard transform of v[off, off + m). */
    private void hadamard(double[] v, int off) {
        for (int h = 1; h < m; h <<= 1) {
            for (int i = off, end = off + m; i < end; i += h << 1) {
                for (int j = i, je = i + h; j < je; j++) {
                    double a = v[j];
                    double b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
        for (int i = off, end = off + m; i < end; i++) {
            v[i] *= scale;
        }
    }
}
