package org.blora.data.regression;

import java.util.SplittableRandom;
import org.blora.core.linalg.Lapack;

/**
 * A dense Haar-distributed orthogonal matrix: the Q factor, with a positive diagonal of R, of a d×d standard
 * Gaussian matrix (the law of the V factor scikit-learn's {@code make_low_rank_matrix} builds with a QR).
 * LAPACK's Householder QR ({@link Lapack#qr}) computes it; flipping the columns where R has a negative
 * diagonal entry makes the factorisation unique, so Q is Haar-distributed. Applying it costs d² flops, so it is
 * used for small d only.
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
        // Column-major d×d Gaussian matrix, as LAPACK wants it.
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        Lapack.Qr qr = Lapack.qr(a, d, d);
        boolean[] flip = new boolean[d];
        for (int j = 0; j < d; j++) {
            flip[j] = qr.r()[j + j * d] < 0;
        }
        double[] q = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = qr.q()[j * d + i];
                q[i * d + j] = flip[j] ? -v : v;
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
