package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.objective.RowNorms;
import org.junit.jupiter.api.Test;

/**
 * The measured constants of the stochastic bounds on small data, against direct computations: the
 * expected-smoothness inequality E||g||^2 <= 2A(f - f*) + B||grad f||^2 + C of a minibatch drawn without replacement
 * with A = L_max (N - b)/(b (N - 1)), B = 1, C = 2A f*, with E||g||^2 exact (every b-subset enumerated), and the
 * per-row and per-client L_max and Ltilde.
 */
class ExpectedSmoothnessTest {
    private static final int N = 9;
    private static final int B = 3;

    /** Row i of x (n x d row-major), label y_i: f_i = omega (x_i.w - y_i)^2 / 2 + lambda R(w). */
    private static double[] rowGradient(double[] x, double[] y, int i, int d, double omega, double[] w,
                                        NonConvexRegularizer reg) {
        double r = -y[i];
        for (int j = 0; j < d; j++) {
            r += x[i * d + j] * w[j];
        }
        double[] g = new double[d];
        for (int j = 0; j < d; j++) {
            g[j] = omega * r * x[i * d + j];
        }
        reg.addGradient(w, 1.0, g);
        return g;
    }

    private static double f(double[] x, double[] y, int d, double omega, double[] w, NonConvexRegularizer reg) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            double r = -y[i];
            for (int j = 0; j < d; j++) {
                r += x[i * d + j] * w[j];
            }
            s += omega * r * r / 2;
        }
        return s / y.length + reg.value(w);
    }

    /** E||g_S||^2 over all b-subsets S of the N rows, g_S = (1/b) sum_{i in S} grad f_i, and ||grad f||^2. */
    private static double[] secondMoment(double[] x, double[] y, int d, double omega, double[] w,
                                         NonConvexRegularizer reg) {
        double[][] g = new double[N][];
        double[] full = new double[d];
        for (int i = 0; i < N; i++) {
            g[i] = rowGradient(x, y, i, d, omega, w, reg);
            Dense.axpy(1.0 / N, g[i], full);
        }
        double sum = 0;
        int count = 0;
        for (int mask = 0; mask < 1 << N; mask++) {
            if (Integer.bitCount(mask) != B) {
                continue;
            }
            double[] gs = new double[d];
            for (int i = 0; i < N; i++) {
                if ((mask & 1 << i) != 0) {
                    Dense.axpy(1.0 / B, g[i], gs);
                }
            }
            sum += Dense.normSq(gs);
            count++;
        }
        return new double[] {sum / count, Dense.normSq(full)};
    }

    private static DataBlock block(double[] x, double[] y, int d) {
        return new DataBlock(0, 0, y.length, d, x, y);
    }

    @Test
    void minibatchExpectedSmoothnessHoldsAtEveryPoint() {
        int d = 3;
        SplittableRandom rng = new SplittableRandom(7);
        double[] x = new double[N * d];
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            double scale = 0.5 + 2 * rng.nextDouble();
            for (int j = 0; j < d; j++) {
                x[i * d + j] = scale * rng.nextGaussian();
            }
            y[i] = 3 * rng.nextGaussian();
        }
        double omega = 1.7;
        NonConvexRegularizer reg = new NonConvexRegularizer(0.8);
        double lMax = SmoothnessConstants.rows(List.of(RowNorms.of(List.of(block(x, y, d)))), new double[] {omega},
                reg.lambda).lMax();
        double a = SgdBounds.minibatchA(lMax, N, B);
        for (int k = 0; k < 20; k++) {
            double[] w = new double[d];
            for (int j = 0; j < d; j++) {
                w[j] = 4 * rng.nextGaussian();
            }
            double[] m = secondMoment(x, y, d, omega, w, reg);
            // 2A(f - f*) + C with C = 2A f* is 2A f, whatever f* is.
            double rhs = 2 * a * f(x, y, d, omega, w, reg) + m[1];
            assertTrue(m[0] <= rhs, "E||g||^2 = " + m[0] + " > " + rhs + " at " + java.util.Arrays.toString(w));
        }
    }

    @Test
    void aSmallerAFailsAtTheLeastSquaresMinimiserOfEqualNormRows() {
        // Unit rows (cos t_i, sin t_i), lambda = 0: at the least-squares minimiser grad f = 0 and the minibatch
        // variance is (N - b)/(b (N - 1)) (1/N) sum r_i^2 = 2 A f exactly, so 0.9 A breaks the inequality.
        int d = 2;
        double[] x = new double[N * d];
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            double t = 0.7 * i + 0.3;
            x[2 * i] = Math.cos(t);
            x[2 * i + 1] = Math.sin(t);
            y[i] = 1 + (i % 3) - 0.5 * i;
        }
        double s11 = 0;
        double s12 = 0;
        double s22 = 0;
        double b1 = 0;
        double b2 = 0;
        for (int i = 0; i < N; i++) {
            s11 += x[2 * i] * x[2 * i];
            s12 += x[2 * i] * x[2 * i + 1];
            s22 += x[2 * i + 1] * x[2 * i + 1];
            b1 += x[2 * i] * y[i];
            b2 += x[2 * i + 1] * y[i];
        }
        double det = s11 * s22 - s12 * s12;
        double[] w = {(s22 * b1 - s12 * b2) / det, (s11 * b2 - s12 * b1) / det};
        NonConvexRegularizer none = new NonConvexRegularizer(0.0);
        double lMax = SmoothnessConstants.rows(List.of(RowNorms.of(List.of(block(x, y, d)))), new double[] {1.0}, 0.0)
                .lMax();
        assertEquals(1.0, lMax, 1e-12);
        double a = SgdBounds.minibatchA(lMax, N, B);
        double[] m = secondMoment(x, y, d, 1.0, w, none);
        double fw = f(x, y, d, 1.0, w, none);
        assertTrue(m[1] < 1e-20, "minimiser: ||grad f||^2 = " + m[1]);
        assertEquals(2 * a * fw, m[0], 1e-12 * m[0], "the inequality is tight here");
        assertTrue(m[0] > 2 * 0.9 * a * fw + m[1], "a smaller A fails");
    }

    @Test
    void qgdExpectedSmoothnessWithTheMeasuredClientSmoothness() {
        // G = (1/N) sum_l omega_l Q(s_l) + lambda grad R with s_l = X_l^T (X_l w - y_l): for unbiased independent Q
        // with E||Q(x) - x||^2 = omega_Q ||x||^2 exactly (Rand-K), E||G||^2 = ||grad f||^2 + (omega_Q / N^2)
        // sum_l omega_l^2 ||s_l||^2, which must be <= ||grad f||^2 + 2 (omega_Q L_max / M) f.
        int d = 4;
        int[] sizes = {6, 9, 15};
        int m = sizes.length;
        long n = 30;
        SplittableRandom rng = new SplittableRandom(11);
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        double[] gram = new double[m];
        long[] rows = new long[m];
        for (int l = 0; l < m; l++) {
            double[] x = new double[sizes[l] * d];
            double[] y = new double[sizes[l]];
            for (int i = 0; i < sizes[l]; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (l + 1) * rng.nextGaussian();
                }
                y[i] = 2 * rng.nextGaussian();
            }
            xs.add(x);
            ys.add(y);
            rows[l] = sizes[l];
            gram[l] = org.blora.core.train.SmoothnessEstimate.clientGramNorm(List.of(block(x, y, d)),
                    new org.blora.core.objective.LeastSquares(), d, 1, l, 1e-13).value();
        }
        NonConvexRegularizer reg = new NonConvexRegularizer(0.4);
        double omegaQ = new org.blora.core.compress.RandK(0.25).omega(d);
        for (double[] weights : new double[][] {{1, 1, 1}, {30.0 / (3 * 6), 30.0 / (3 * 9), 30.0 / (3 * 15)}}) {
            double lMax = SmoothnessConstants.clients(gram, rows, weights, reg.lambda).lMax();
            for (int k = 0; k < 10; k++) {
                double[] w = new double[d];
                for (int j = 0; j < d; j++) {
                    w[j] = 3 * rng.nextGaussian();
                }
                double[] full = new double[d];
                reg.addGradient(w, 1.0, full);
                double variance = 0;
                double f = reg.value(w);
                for (int l = 0; l < m; l++) {
                    double[] s = new double[d];
                    for (int i = 0; i < sizes[l]; i++) {
                        double[] g = rowGradient(xs.get(l), ys.get(l), i, d, 1.0, w, new NonConvexRegularizer(0));
                        Dense.axpy(1.0, g, s);
                    }
                    Dense.axpy(weights[l] / n, s, full);
                    variance += omegaQ * weights[l] * weights[l] * Dense.normSq(s) / ((double) n * n);
                    f += weights[l] * sizes[l] * (f(xs.get(l), ys.get(l), d, 1.0, w, new NonConvexRegularizer(0))) / n;
                }
                double rhs = Dense.normSq(full) + 2 * omegaQ * lMax / m * f;
                assertTrue(Dense.normSq(full) + variance <= rhs, "E||G||^2 above the QGD expected smoothness");
            }
        }
    }

    @Test
    void perRowAndPerClientConstantsMatchADirectComputation() {
        SplittableRandom rng = new SplittableRandom(3);
        int d = 4;
        int[] sizes = {5, 11};
        double lambda = 0.6;
        List<RowNorms> norms = new ArrayList<>();
        List<double[]> rowNormSq = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            double[] x = new double[sizes[c] * d];
            double[] sq = new double[sizes[c]];
            for (int i = 0; i < sizes[c]; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (c + 1) * rng.nextGaussian();
                    sq[i] += x[i * d + j] * x[i * d + j];
                }
            }
            // Two blocks per client: the statistics add up over a client's blocks.
            int half = sizes[c] / 2;
            norms.add(RowNorms.of(List.of(
                    new DataBlock(c, 0, half, d, java.util.Arrays.copyOfRange(x, 0, half * d), new double[half]),
                    new DataBlock(c, half, sizes[c] - half, d, java.util.Arrays.copyOfRange(x, half * d, x.length),
                            new double[sizes[c] - half]))));
            rowNormSq.add(sq);
        }
        // fed.weighting=uniform: omega_l = N / (M N_l).
        double[] weights = {16.0 / (2 * 5), 16.0 / (2 * 11)};
        double max = 0;
        double sumSq = 0;
        for (int c = 0; c < 2; c++) {
            for (double s : rowNormSq.get(c)) {
                double li = weights[c] * s + 2 * lambda;
                max = Math.max(max, li);
                sumSq += li * li;
            }
        }
        SmoothnessConstants rows = SmoothnessConstants.rows(norms, weights, lambda);
        assertEquals(max, rows.lMax(), 1e-12 * max);
        assertEquals(Math.sqrt(sumSq / 16), rows.lTilde(), 1e-12 * rows.lTilde());

        // Per client: L_l = (M omega_l N_l / N) ||X_l^T X_l / N_l|| + 2 lambda; uniform weighting makes it
        // ||X_l^T X_l / N_l|| + 2 lambda, rows weighting (M N_l / N) ||X_l^T X_l / N_l|| + 2 lambda.
        double[] gram = {2.0, 5.0};
        SmoothnessConstants uniform = SmoothnessConstants.clients(gram, new long[] {5, 11}, weights, lambda);
        assertEquals(5.0 + 2 * lambda, uniform.lMax(), 1e-12);
        assertEquals(Math.sqrt((Math.pow(2.0 + 1.2, 2) + Math.pow(5.0 + 1.2, 2)) / 2), uniform.lTilde(), 1e-12);
        SmoothnessConstants byRows = SmoothnessConstants.clients(gram, new long[] {5, 11}, new double[] {1, 1}, lambda);
        assertEquals(2.0 * 11 / 16 * 5.0 + 1.2, byRows.lMax(), 1e-12);
    }
}
