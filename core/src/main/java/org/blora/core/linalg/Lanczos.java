package org.blora.core.linalg;

import java.util.function.UnaryOperator;

/**
 * The largest eigenvalue of a symmetric positive semi-definite operator S = A / n, given as the product v -> A v,
 * by Lanczos with full reorthogonalisation: one product per Krylov vector, stopped when the largest Ritz value
 * changes by less than {@code relTol} relatively. The Ritz value after k products is at least the power
 * iteration's Rayleigh quotient after k products from the same start vector, and converges with the square root of
 * the gap ratio, so it takes a few dozen products where power iteration takes hundreds.
 */
public final class Lanczos {
    /** The estimate and the number of products it took. */
    public record Estimate(double value, int products) {
    }

    private Lanczos() {
    }

    /**
     * @param times   v -> A v (a fresh array; it is scaled in place)
     * @param n       the divisor of A
     * @param start   a unit start vector, kept as the first basis vector
     */
    public static Estimate largest(UnaryOperator<double[]> times, double n, double[] start, double relTol,
                                   int maxIterations) {
        int d = start.length;
        double[] v = start;
        int kMax = Math.min(maxIterations, d);
        double[][] basis = new double[kMax][];
        double[] alpha = new double[kMax];
        double[] beta = new double[kMax];
        double previous = Double.NaN;
        for (int k = 0; k < kMax; k++) {
            basis[k] = v;
            double[] u = times.apply(v);
            Dense.scale(1.0 / n, u);
            alpha[k] = Dense.dot(v, u);
            // Full reorthogonalisation (twice, for stability): u -= V (V^T u).
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= k; i++) {
                    Dense.axpy(-Dense.dot(basis[i], u), basis[i], u);
                }
            }
            double ritz = largestEigenvalue(alpha, beta, k + 1);
            beta[k] = Math.sqrt(Dense.normSq(u));
            if (beta[k] <= 1e-14 * Math.abs(ritz) || Math.abs(ritz - previous) <= relTol * Math.abs(ritz)) {
                return new Estimate(ritz, k + 1);
            }
            previous = ritz;
            Dense.scale(1.0 / beta[k], u);
            v = u;
        }
        return new Estimate(previous, kMax);
    }

    /**
     * Largest eigenvalue of the symmetric tridiagonal matrix with diagonal a[0..k) and off-diagonal b[0..k-1),
     * by bisection on the Sturm count to the last bit.
     */
    static double largestEigenvalue(double[] a, double[] b, int k) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            double r = (i > 0 ? Math.abs(b[i - 1]) : 0.0) + (i < k - 1 ? Math.abs(b[i]) : 0.0);
            lo = Math.min(lo, a[i] - r);
            hi = Math.max(hi, a[i] + r);
        }
        for (int it = 0; it < 200 && hi - lo > Math.ulp(Math.max(Math.abs(lo), Math.abs(hi))); it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (countAbove(a, b, k, mid) > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Number of eigenvalues greater than x (Sturm sequence of T - x I). */
    private static int countAbove(double[] a, double[] b, int k, double x) {
        int below = 0;
        double q = 1.0;
        for (int i = 0; i < k; i++) {
            double off = i > 0 ? b[i - 1] * b[i - 1] : 0.0;
            q = a[i] - x - (i > 0 ? off / q : 0.0);
            if (q == 0.0) {
                q = -Double.MIN_NORMAL;
            }
            if (q < 0) {
                below++;
            }
        }
        return k - below;
    }
}
