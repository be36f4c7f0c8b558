package org.blora.core.objective;

import java.util.Arrays;

/**
 * f* of least absolute deviations, f(w) = (1/N) sum_i |x_i . w - y_i|, without a linear-programming library,
 * with a certificate of its accuracy.
 *
 * <p>Primal: iteratively reweighted least squares, w <- argmin sum_i c_i (x_i . w - y_i)^2 with weights
 * c_i = 1 / max(|r_i|, delta) and delta halving each pass, then a vertex polish: an LAD minimiser of N >= d
 * rows in general position interpolates d of them, so w solves X_S w = y_S; starting from the d rows S with the
 * smallest residuals, simplex pivots exchange rows of S until the vertex dual below is feasible (kept when it
 * is better than the reweighted w). Dual: for every v with X^T v = 0 and |v_i| <= 1,
 * f(w) >= (1/N) sum_i v_i r_i(w) = -(1/N) v . y, since |r| >= v r. Two such v are tried, each divided by
 * max(1, max_i |v_i|) to make it feasible: v = C r(w) from the last reweighted solve, whose normal equations are
 * X^T C r(w) = 0 (|v_i| close to 1 on large residuals, r_i / delta on small ones, so the gap is O(delta)), and the
 * vertex's v_i = sign(r_i) off S with X_S^T v_S = -sum_{i not in S} v_i x_i (exact when S is optimal). The
 * reported f* is the best primal value and its accuracy the gap to the best lower bound, exact up to rounding
 * (the bound is evaluated at w, so the rounding residual of X^T v = 0 enters only through w - w*).
 */
public final class ReferenceSolve {
    /** delta halves each pass down to this fraction of its start; below it the weighted system is too stiff. */
    private static final double DELTA_FLOOR = 1e-9;
    /** Bound on the simplex pivots of the polish (each improves f; a few suffice from the reweighted start). */
    private static final int MAX_PIVOTS_PER_COLUMN = 20;

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
        if (w == null) {
            throw new IllegalArgumentException("a reference solve needs columns of full rank; X^T X is singular");
        }
        double start = rows.meanAbsResidual(w);
        for (double delta = start; delta >= DELTA_FLOOR * start && delta > 0.0; delta *= 0.5) {
            double[] r = rows.residuals(w);
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                next[i] = 1.0 / Math.max(Math.abs(r[i]), delta);
            }
            double[] solved = rows.weightedLeastSquares(next);
            if (solved == null) {
                break;
            }
            weights = next;
            w = solved;
        }
        // The last solve's normal equations X^T C r(w) = 0 make v = C r(w) a dual direction.
        double[] r = rows.residuals(w);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = weights[i] * r[i];
        }
        double lower = rows.dualBound(v, w);
        int[] active = rows.pivot(rows.smallestResiduals(w, d), MAX_PIVOTS_PER_COLUMN * d);
        double[] vertex = rows.interpolate(active);
        if (vertex != null) {
            lower = Math.max(lower, rows.dualBound(rows.vertexDual(vertex, active), vertex));
            if (rows.meanAbsResidual(vertex) <= rows.meanAbsResidual(w)) {
                w = vertex;
            }
        }
        double primal = rows.meanAbsResidual(w);
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

        /** argmin sum_i c_i (x_i . w - y_i)^2 from the normal equations; null when they are singular. */
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
            return solve(a);
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

        /**
         * Simplex pivots from the vertex S: while some |v_k| > 1 in the vertex dual, move along the edge that
         * frees row k (X_S delta = sign(v_k) e_k, slope 1 - |v_k| < 0) to the breakpoint where the slope turns
         * non-negative (a weighted median), where the row whose residual reaches zero replaces k.
         */
        int[] pivot(int[] s, int maxPivots) {
            s = s.clone();
            for (int it = 0; it < maxPivots; it++) {
                double[] w = interpolate(s);
                if (w == null) {
                    return s;
                }
                double[] v = vertexDual(w, s);
                int k = 0;
                for (int j = 1; j < d; j++) {
                    if (Math.abs(v[s[j]]) > Math.abs(v[s[k]])) {
                        k = j;
                    }
                }
                if (Math.abs(v[s[k]]) <= 1.0) {
                    return s;
                }
                double[][] a = new double[d][d + 1];
                for (int j = 0; j < d; j++) {
                    System.arraycopy(x, s[j] * d, a[j], 0, d);
                }
                a[k][d] = Math.signum(v[s[k]]);
                double[] delta = solve(a);
                if (delta == null) {
                    return s;
                }
                boolean[] inS = new boolean[n];
                for (int i : s) {
                    inS[i] = true;
                }
                int cross = 0;
                int[] row = new int[n];
                double[] at = new double[n];
                double[] rise = new double[n];
                for (int i = 0; i < n; i++) {
                    double xd = 0.0;
                    for (int j = 0; j < d; j++) {
                        xd += x[i * d + j] * delta[j];
                    }
                    double r = residual(i, w);
                    if (!inS[i] && xd != 0.0 && r * xd <= 0.0) {
                        // Row i's residual reaches zero at t = -r / xd; its slope turns from -|xd| to +|xd|.
                        at[cross] = -r / xd;
                        rise[cross] = (r == 0.0 ? 1.0 : 2.0) * Math.abs(xd);
                        row[cross++] = i;
                    }
                }
                Integer[] order = new Integer[cross];
                for (int c = 0; c < cross; c++) {
                    order[c] = c;
                }
                Arrays.sort(order, (p, q) -> Double.compare(at[p], at[q]));
                double slope = 1.0 - Math.abs(v[s[k]]);
                int entering = -1;
                for (int c : order) {
                    slope += rise[c];
                    if (slope >= 0.0) {
                        entering = row[c];
                        break;
                    }
                }
                if (entering < 0) {
                    return s;
                }
                s[k] = entering;
            }
            return s;
        }

        /** v_i = sign(r_i) off the vertex rows S, and X_S^T v_S = -sum_{i not in S} v_i x_i (zero if singular). */
        double[] vertexDual(double[] w, int[] s) {
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
            return v;
        }

        /** The lower bound (1/N) sum_i v_i r_i(w) / max(1, max_i |v_i|) for a v with X^T v = 0. */
        double dualBound(double[] v, double[] w) {
            double max = 1.0;
            for (double vi : v) {
                max = Math.max(max, Math.abs(vi));
            }
            double bound = 0.0;
            for (int i = 0; i < n; i++) {
                bound += v[i] * residual(i, w);
            }
            return bound / (max * n);
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
