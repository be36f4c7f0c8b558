package org.blora.core.objective;

import java.util.Arrays;

/**
 * f* of least absolute deviations, f(w) = (1/N) sum_i |x_i . w - y_i|, without a linear-programming library,
 * with a certificate of its accuracy.
 *
 * <p>Primal: iteratively reweighted least squares, w <- argmin sum_i c_i (x_i . w - y_i)^2 with weights
 * c_i = 1 / max(|r_i|, delta) and delta shrinking each pass, then a vertex polish: an LAD minimiser of N >= d
 * rows in general position interpolates d of them, so w solves X_S w = y_S for the d rows S with the smallest
 * residuals. Dual: for every v with X^T v = 0 and |v_i| <= 1, f(w) >= (1/N) sum_i v_i r_i(w) = -(1/N) v . y,
 * since |r| >= v r. Take v_i = sign(r_i) off S and solve X_S^T v_S = -sum_{i not in S} sign(r_i) x_i; if some
 * |v_i| > 1 (S was not the optimal vertex), v / max|v_i| is still feasible and still a lower bound. The reported
 * f* is the best primal value and its accuracy the gap to that lower bound; when S is optimal the gap is zero up
 * to rounding (evaluated at w as (1/N) ((X^T v) . w - v . y), so the residual of X^T v = 0 is accounted at w).
 */
public final class ReferenceSolve {
    private static final int IRLS_PASSES = 60;

    private ReferenceSolve() {
    }

    /** f* of least absolute deviations on the blocks' rows (needs at least as many rows as columns). */
    public static FStar leastAbsoluteDeviations(Iterable<DataBlock> blocks) {
        Rows rows = Rows.of(blocks);
        int n = rows.n;
        int d = rows.d;
        if (n < d) {
            throw new IllegalArgumentException("a reference solve of least absolute deviations needs at least as many"
                    + " rows as columns, got " + n + " rows and " + d + " columns");
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        double[] w = rows.weightedLeastSquares(weights);
        double delta = rows.meanAbsResidual(w);
        for (int pass = 0; pass < IRLS_PASSES && delta > 0.0; pass++) {
            double[] r = rows.residuals(w);
            for (int i = 0; i < n; i++) {
                weights[i] = 1.0 / Math.max(Math.abs(r[i]), delta);
            }
            w = rows.weightedLeastSquares(weights);
            delta *= 0.5;
        }
        int[] active = rows.smallestResiduals(w, d);
        double[] vertex = rows.interpolate(active);
        if (vertex != null && rows.meanAbsResidual(vertex) <= rows.meanAbsResidual(w)) {
            w = vertex;
        }
        double primal = rows.meanAbsResidual(w);
        double lower = rows.dualBound(w, rows.smallestResiduals(w, d));
        return new FStar(primal, Math.max(0.0, primal - lower), w,
                "least absolute deviations: reweighted least squares, vertex polish, dual certificate");
    }

    /** All rows gathered into one dense N x d matrix (the reference solve is for problems that fit in memory). */
    private record Rows(int n, int d, double[] x, double[] y) {
        static Rows of(Iterable<DataBlock> blocks) {
            int n = 0;
            int d = -1;
            for (DataBlock b : blocks) {
                if (d >= 0 && b.cols != d) {
                    throw new IllegalArgumentException("blocks must have the same number of columns, got " + d
                            + " and " + b.cols);
                }
                d = b.cols;
                n += b.rows;
            }
            if (n == 0) {
                throw new IllegalArgumentException("a reference solve needs at least one row, got none");
            }
            double[] x = new double[n * d];
            double[] y = new double[n];
            int at = 0;
            for (DataBlock b : blocks) {
                System.arraycopy(b.x, 0, x, at * d, b.rows * d);
                System.arraycopy(b.y, 0, y, at, b.rows);
                at += b.rows;
            }
            return new Rows(n, d, x, y);
        }

        double residual(int i, double[] w) {
            double s = -y[i];
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * w[j];
            }
            return s;
        }

        double[] residuals(double[] w) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = residual(i, w);
            }
            return r;
        }

        double meanAbsResidual(double[] w) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(residual(i, w));
            }
            return s / n;
        }

        /** argmin sum_i c_i (x_i . w - y_i)^2 from the normal equations. */
        double[] weightedLeastSquares(double[] c) {
            double[][] a = new double[d][d + 1];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double cx = c[i] * x[i * d + j];
                    for (int k = j; k < d; k++) {
                        a[j][k] += cx * x[i * d + k];
                    }
                    a[j][d] += cx * y[i];
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) {
                    a[j][k] = a[k][j];
                }
            }
            double[] w = solve(a);
            if (w == null) {
                throw new IllegalArgumentException("a reference solve needs columns of full rank; X^T X is singular");
            }
            return w;
        }

        /** The d rows with the smallest |x_i . w - y_i|. */
        int[] smallestResiduals(double[] w, int count) {
            double[] r = residuals(w);
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(Math.abs(r[a]), Math.abs(r[b])));
            int[] out = new int[count];
            for (int k = 0; k < count; k++) {
                out[k] = order[k];
            }
            return out;
        }

        /** w with x_i . w = y_i on the rows S; null when X_S is singular. */
        double[] interpolate(int[] s) {
            double[][] a = new double[d][d + 1];
            for (int k = 0; k < d; k++) {
                System.arraycopy(x, s[k] * d, a[k], 0, d);
                a[k][d] = y[s[k]];
            }
            return solve(a);
        }

        /** The dual lower bound (1/N) ((X^T v) . w - v . y) of the class comment, v feasible. */
        double dualBound(double[] w, int[] s) {
            boolean[] inS = new boolean[n];
            for (int i : s) {
                inS[i] = true;
            }
            double[] v = new double[n];
            double[] rhs = new double[d];
            for (int i = 0; i < n; i++) {
                if (!inS[i]) {
                    v[i] = Math.signum(residual(i, w));
                    for (int j = 0; j < d; j++) {
                        rhs[j] -= v[i] * x[i * d + j];
                    }
                }
            }
            double[][] a = new double[d][d + 1];
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    a[j][k] = x[s[k] * d + j]; // X_S^T
                }
                a[j][d] = rhs[j];
            }
            double[] vs = solve(a);
            if (vs != null) {
                for (int k = 0; k < d; k++) {
                    v[s[k]] = vs[k];
                }
            }
            double max = 1.0;
            for (double vi : v) {
                max = Math.max(max, Math.abs(vi));
            }
            double bound = 0.0;
            for (int i = 0; i < n; i++) {
                bound += (v[i] / max) * residual(i, w);
            }
            return bound / n;
        }
    }

    /** Solves the d x (d+1) augmented system by Gaussian elimination with partial pivoting; null if singular. */
    private static double[] solve(double[][] a) {
        int d = a.length;
        double scale = 0.0;
        for (double[] row : a) {
            for (int k = 0; k < d; k++) {
                scale = Math.max(scale, Math.abs(row[k]));
            }
        }
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            if (!(Math.abs(a[piv][col]) > 1e-14 * scale)) {
                return null;
            }
            double[] tmp = a[col];
            a[col] = a[piv];
            a[piv] = tmp;
            for (int r = col + 1; r < d; r++) {
                double f = a[r][col] / a[col][col];
                for (int k = col; k <= d; k++) {
                    a[r][k] -= f * a[col][k];
                }
            }
        }
        double[] w = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int k = r + 1; k < d; k++) {
                s -= a[r][k] * w[k];
            }
            w[r] = s / a[r][r];
        }
        return w;
    }
}
