package org.blora.core.linalg;

/**
 * Thin QR factorisation X = Q R of a tall matrix given by its r columns (each of length len >= r), by classical
 * Gram-Schmidt with one re-orthogonalisation pass ("CGS2"), which is orthogonal to working precision for the
 * well-conditioned Gaussian sketches used here. O(len * r^2); r is the LoRA rank, so this is cheap.
 */
public final class ThinQR implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Orthonormal columns q[k][i], k < r. */
    public final double[][] q;
    /** Upper-triangular r x r factor, r[k][l] with l >= k. */
    public final double[][] r;

    private ThinQR(double[][] q, double[][] r) {
        this.q = q;
        this.r = r;
    }

    public static ThinQR of(double[][] columns) {
        int rank = columns.length;
        int len = columns[0].length;
        if (rank > len) {
            throw new IllegalArgumentException("thin QR needs at least as many rows as columns: " + len + " < " + rank);
        }
        double[][] q = new double[rank][];
        double[][] r = new double[rank][rank];
        for (int k = 0; k < rank; k++) {
            double[] v = columns[k].clone();
            for (int pass = 0; pass < 2; pass++) {
                for (int l = 0; l < k; l++) {
                    double c = Dense.dot(q[l], v);
                    r[l][k] += c;
                    Dense.axpy(-c, q[l], v);
                }
            }
            double norm = Math.sqrt(Dense.normSq(v));
            if (!(norm > 0.0)) {
                throw new ArithmeticException("sketch is rank deficient at column " + k);
            }
            r[k][k] = norm;
            Dense.scale(1.0 / norm, v);
            q[k] = v;
        }
        return new ThinQR(q, r);
    }

    /** Solves R X = Y in place for X; Y is r x n row-major. */
    public void solveUpperInPlace(double[] y, int n) {
        int rank = r.length;
        for (int k = rank - 1; k >= 0; k--) {
            for (int l = k + 1; l < rank; l++) {
                Dense.axpy(n, -r[k][l], y, l * n, y, k * n);
            }
            double inv = 1.0 / r[k][k];
            for (int j = 0; j < n; j++) {
                y[k * n + j] *= inv;
            }
        }
    }
}
