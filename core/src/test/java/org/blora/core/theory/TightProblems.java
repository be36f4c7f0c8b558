package org.blora.core.theory;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastAbsoluteDeviations;
import org.blora.core.objective.LeastSquares;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;

/**
 * Problems on which a theorem's inequalities hold with (near) equality, as data for the train job's oracle
 * (least squares or least absolute deviations on rows w -> x_i . w, w = vec(W)), plus one non-smooth function
 * that no data loss of the job expresses. Each says which of the proof's inequalities it makes tight.
 */
final class TightProblems {
    private TightProblems() {
    }

    /**
     * f(w) = (L/2) ||w - c||^2 + offset: rows s e_j (j < d, s^2 = d L), each repeated with labels s (c_j + delta eps_k)
     * for the k offsets eps = +1, -1, +1, ... (k = 1: labels s c_j, offset 0; k even: offset L d delta^2 / 2).
     * Isotropic, so the descent lemma and the PL inequality (mu = L) are equalities, and a Gaussian sketch's
     * E||H g||^2 = lambda ||g||^2 is exact. Rows numbered from {@code firstRow}, all at {@code client}.
     */
    static DataBlock isotropic(int client, long firstRow, double l, double[] c, int k, double delta) {
        int d = c.length;
        if (k > 1 && k % 2 != 0) {
            throw new IllegalArgumentException("the label offsets +-delta need an even count, got " + k);
        }
        double s = Math.sqrt(d * l);
        int n = d * k;
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < k; r++) {
                int i = j * k + r;
                x[i * d + j] = s;
                y[i] = s * (c[j] + (k == 1 ? 0.0 : (r % 2 == 0 ? delta : -delta)));
            }
        }
        return new DataBlock(client, firstRow, n, d, x, y);
    }

    /** One client of least squares over the given blocks (rows numbered consecutively by the caller). */
    static LocalOracle leastSquares(DataBlock... clients) {
        List<List<DataBlock>> data = new ArrayList<>();
        for (DataBlock b : clients) {
            data.add(List.of(b));
        }
        return new LocalOracle(data, new LeastSquares());
    }

    /**
     * f(w) = 1/2 (x . w)^2 + delta^2 / 2 from two rows x with labels +delta and -delta: a minibatch of one row has
     * the noise -+delta x, of the same norm delta ||x|| everywhere (expected smoothness A = 0, B = 1,
     * C = delta^2 ||x||^2 with equality) and L = ||x||^2.
     */
    static DataBlock noisyDirection(double[] x, double delta) {
        int d = x.length;
        double[] xs = new double[2 * d];
        System.arraycopy(x, 0, xs, 0, d);
        System.arraycopy(x, 0, xs, d, d);
        return new DataBlock(0, 0, 2, d, xs, new double[] {delta, -delta});
    }

    /**
     * f(w) = (1/N) 1/2 (a x . w - a y)^2 from one row a x (||x|| = 1, a^2 = N L) and N - 1 zero rows: L = ||H|| = L,
     * while the rows' mean-square smoothness is Ltilde = sqrt(N) L, and a minibatch of one row has
     * Var(grad f_i(W') - grad f_i(W)) = (1 - 1/N) Ltilde^2 ||W' - W||^2 along x: PAGE's variance inequality is
     * nearly an equality.
     */
    static DataBlock outlier(int n, double l, double[] unit, double y) {
        int d = unit.length;
        double a = Math.sqrt(n * l);
        double[] x = new double[n * d];
        double[] ys = new double[n];
        for (int j = 0; j < d; j++) {
            x[j] = a * unit[j];
        }
        ys[0] = a * y;
        return new DataBlock(0, 0, n, d, x, ys);
    }

    /** f(w) = |x . w - y| (one row): convex, ||x||-Lipschitz, its subgradient sign(x . w - y) x of norm ||x||. */
    static LocalOracle absoluteValue(double[] x, double y) {
        return new LocalOracle(List.of(List.of(new DataBlock(0, 0, 1, x.length, x.clone(), new double[] {y}))),
                new LeastAbsoluteDeviations());
    }

    /**
     * f(w) = L0 max_j |w_j| (f* = 0 at w = 0), subgradient L0 sign(w_j) e_j at the first j of largest |w_j|: from
     * w = a (1, ..., 1) each Polyak step zeroes one coordinate while f stays L0 a, so the gaps are equal for
     * d rounds, the case where min_t (f_t - f*) <= sqrt(mean of (f_t - f*)^2) is an equality.
     */
    static GradientOracle maxAbs(double l0) {
        return new GradientOracle() {
            @Override
            public long rows() {
                return 1;
            }

            @Override
            public int clients() {
                return 1;
            }

            @Override
            public List<OracleResult> evaluate(OracleRequest request, Iterate at) {
                double[] w = at.w();
                int arg = 0;
                for (int j = 1; j < w.length; j++) {
                    if (Math.abs(w[j]) > Math.abs(w[arg])) {
                        arg = j;
                    }
                }
                double[] g = new double[w.length];
                g[arg] = l0 * Math.signum(w[arg]);
                return List.of(OracleResult.builder().gradSum(g).lossSum(l0 * Math.abs(w[arg])).build());
            }

            @Override
            public List<double[]> gramTimesPerClient(double[] v) {
                throw new UnsupportedOperationException("max |w_j| has no Gram matrix");
            }

            @Override
            public List<double[]> clientStates() {
                return java.util.Collections.singletonList(null);
            }

            @Override
            public void restoreClientStates(List<double[]> states) {
            }
        };
    }
}
