package org.blora.data.regression;

import java.util.SplittableRandom;

/**
 * A dense Haar-distributed orthogonal matrix: the Q factor, with a positive diagonal of R, of a d×d standard
 * Gaussian matrix (the law of the V factor scikit-learn's {@code make_low_rank_matrix} builds with a QR).
 * Orthonormalised by classical Gram-Schmidt with one re-orthogonalisation pass, which is orthogonal to machine
 * precision. Applying it costs d² flops, so it is used for small d only.
 */
public final class DenseOrthogonalTransform implements OrthogonalTransform {
    private static final long serialVersionUID = 1L;

    private final int d;
    /** Row-major d×d. */
    private final double[] q;

    private DenseOrthogonalTransform(int d, double[] q) {
        this.d = d;
        this.q = q;
    }

    public static DenseOrthogonalTransform random(int d, SplittableRandom rng) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + d);
        }
        // Columns are stored as rows of c (c[j*d + i] = Q[i][j]) for contiguous access.
        double[] c = new double[d * d];
        for (int i = 0; i < c.length; i++) {
            c[i] = rng.nextGaussian();
        }
        for (int j = 0; j < d; j++) {
            int oj = j * d;
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    int ok = k * d;
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += c[ok + i] * c[oj + i];
                    }
                    for (int i = 0; i < d; i++) {
                        c[oj + i] -= dot * c[ok + i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += c[oj + i] * c[oj + i];
            }
            double inv = 1.0 / Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                c[oj + i] *= inv;
            }
        }
        double[] q = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i * d + j] = c[j * d + i];
            }
        }
        return new DenseOrthogonalTransform(d, q);
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public void apply(double[] v) {
        if (v.length != d) {
            throw new IllegalArgumentException("vector length " + v.length + " != dimension " + d);
        }
        double[] in = v.clone();
        for (int i = 0; i < d; i++) {
            int o = i * d;
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += q[o + j] * in[j];
            }
            v[i] = s;
        }
    }
}
