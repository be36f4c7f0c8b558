package org.blora.core.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.oracle.GradientOracle;

/**
 * ||X^T X / N||_2 on the data, one oracle stage (a product X^T X v) per step: power iteration, or Lanczos, which
 * the job uses (a few stages where power iteration needs hundreds), each stopped when the estimate changes by less
 * than {@code relTol} relatively. {@code stages} counts the oracle stages. This is the paper's lambda ("auto") and, plus the
 * regulariser's curvature bound 2 lambda, the L_hat of the theory stepsize gamma = c / L_hat.
 */
public final class SmoothnessEstimate {
    private SmoothnessEstimate() {
    }

    public record Result(double value, int stages) {
    }

    /** The common start vector of both methods: a unit Gaussian vector from the SMOOTHNESS stream. */
    private static double[] startVector(int d, long seed) {
        return startVector(d, RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.SMOOTHNESS));
    }

    private static double[] startVector(int d, SplittableRandom rng) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = rng.nextGaussian();
        }
        Dense.scale(1.0 / Math.sqrt(Dense.normSq(v)), v);
        return v;
    }

    public static Result gramNorm(GradientOracle oracle, int d, long seed, double relTol, int maxIterations) {
        double[] v = startVector(d, seed);
        double n = oracle.rows();
        double previous = Double.NaN;
        for (int it = 1; it <= maxIterations; it++) {
            double[] u = oracle.gramTimes(v);
            double rayleigh = Dense.dot(v, u) / n;
            double norm = Math.sqrt(Dense.normSq(u));
            if (norm == 0.0) {
                return new Result(0.0, it);
            }
            Dense.scale(1.0 / norm, u);
            v = u;
            if (Math.abs(rayleigh - previous) <= relTol * Math.abs(rayleigh)) {
                return new Result(rayleigh, it);
            }
            previous = rayleigh;
        }
        return new Result(previous, maxIterations);
    }

    /**
     * The same norm by Lanczos with full reorthogonalisation: one oracle stage per Krylov vector, stopped when
     * the largest Ritz value changes by less than {@code relTol} relatively. The Ritz value after k stages is at
     * least the power iteration's Rayleigh quotient after k stages from the same start vector, and converges
     * with the square root of the gap ratio, so it takes a few dozen stages where power iteration takes hundreds.
     */
    public static Result lanczos(GradientOracle oracle, int d, long seed, double relTol, int maxIterations) {
        return lanczos(oracle::gramTimes, oracle.rows(), startVector(d, seed), relTol, maxIterations);
    }

    /**
     * ||X_l^T X_l / N_l||_2 of one client's rows, by the same Lanczos on the rows in memory (no oracle stage: a
     * Spark task runs it for its own client), from the unit Gaussian start vector of the client's SMOOTHNESS
     * stream, so the value depends only on (seed, client) and the rows.
     */
    public static Result clientGramNorm(List<DataBlock> blocks, DataLoss loss, int d, long seed, int client,
                                        double relTol) {
        long n = 0;
        for (DataBlock b : blocks) {
            n += b.rows;
        }
        if (n == 0) {
            throw new IllegalArgumentException("client " + client + " has no rows");
        }
        UnaryOperator<double[]> gram = v -> {
            double[] out = new double[d];
            for (DataBlock b : blocks) {
                loss.addGramTimes(b, v, out);
            }
            return out;
        };
        return lanczos(gram, n, startVector(d, RandomStreams.of(seed, 0, client, Purpose.SMOOTHNESS)), relTol, d);
    }

    private static Result lanczos(UnaryOperator<double[]> gramTimes, double n, double[] start, double relTol,
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
            double[] u = gramTimes.apply(v);
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
                return new Result(ritz, k + 1);
            }
            previous = ritz;
            Dense.scale(1.0 / beta[k], u);
            v = u;
        }
        return new Result(previous, kMax);
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
