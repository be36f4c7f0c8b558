package org.blora.data.regression;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.SplittableRandom;
import org.netlib.util.intW;

/**
 * A dense Haar-distributed orthogonal matrix: the Q factor, with a positive diagonal of R, of a d×d standard
 * Gaussian matrix (the law of the V factor scikit-learn's {@code make_low_rank_matrix} builds with a QR).
 * LAPACK's Householder QR (dgeqrf, then dorgqr for Q) computes it; flipping the columns where R has a negative
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
        LAPACK lapack = LAPACK.getInstance();
        double[] tau = new double[d];
        intW info = new intW(0);
        double[] query = new double[1];
        lapack.dgeqrf(d, d, a, d, tau, query, -1, info);
        lapack.dorgqr(d, d, d, a, d, tau, query, -1, info);
        double[] work = new double[Math.max(d, (int) query[0])];
        lapack.dgeqrf(d, d, a, d, tau, work, work.length, info);
        check("dgeqrf", info);
        boolean[] flip = new boolean[d];
        for (int j = 0; j < d; j++) {
            flip[j] = a[j * d + j] < 0;
        }
        lapack.dorgqr(d, d, d, a, d, tau, work, work.length, info);
        check("dorgqr", info);
        double[] q = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = a[j * d + i];
                q[i * d + j] = flip[j] ? -v : v;
            }
        }
        return new DenseOrthogonalTransform(d, q);
    }

    private static void check(String routine, intW info) {
        if (info.val != 0) {
            throw new IllegalStateException(routine + " failed with info = " + info.val + " (expected 0)");
        }
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
