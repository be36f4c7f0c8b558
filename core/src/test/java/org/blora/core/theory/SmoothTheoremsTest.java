package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.blora.core.compress.RandK;
import org.blora.core.compress.TopK;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.junit.jupiter.api.Test;

/**
 * Every smooth-case theorem evaluated where it can be checked: Bernoulli-LoRA (rank 1 on a 4 x 5 weight, p = 0.5,
 * so lambda^p = 0.225) runs locally with each estimator, at the largest step its theorem allows, on problems with
 * known L, mu and f*: quadratics f(w) = 1/2 (w - c)^T A (w - c) with A diagonal in [mu, L], a noiseless least
 * squares finite sum for PAGE, and four quadratic clients with different centres for the federated variants. Over
 * 40 seeds the sample mean of the measured quantity plus three standard errors must stay below the bound at
 * t = T/4, T/2 and T. The GD-PL check also fails when the bound forgets the sketch's slow-down (lambda^p = 1).
 */
class SmoothTheoremsTest {
    private static final Shape SHAPE = new Shape(4, 5);
    private static final int D = 20;
    private static final int SEEDS = 40;
    private static final int T = 400;
    private static final double MU = 0.2;
    private static final double L = 2.0;
    private static final BernoulliStep STEP = new BernoulliStep(SHAPE, 1, 0.5);
    private static final SketchConstants LAMBDAS = STEP.lambdas();
    private static final double[] A = new double[D];
    private static final double[] W0 = new SplittableRandom(99).doubles(D, -2, 2).toArray();

    static {
        for (int j = 0; j < D; j++) {
            A[j] = MU + (L - MU) * j / (D - 1);
        }
    }

    /** f(w) = 1/2 (w - c)^T A (w - c) + offset; f* = offset. */
    private record Quadratic(double[] c, double offset) {
        double[] grad(double[] w) {
            double[] g = new double[D];
            for (int j = 0; j < D; j++) {
                g[j] = A[j] * (w[j] - c[j]);
            }
            return g;
        }

        /** f(w) - f*. */
        double gap(double[] w) {
            double f = 0;
            for (int j = 0; j < D; j++) {
                f += 0.5 * A[j] * (w[j] - c[j]) * (w[j] - c[j]);
            }
            return f;
        }
    }

    private static final Quadratic Q = new Quadratic(new double[D], 0.0);

    // ---- measuring a run: W_0 .. W_T in, series indexed by t = 1..T out (iterates W_0 .. W_{t-1}) ----

    private static double[] gradAverage(Function<double[], double[]> grad, double[][] it) {
        double[] out = new double[T + 1];
        double sum = 0;
        for (int t = 1; t <= T; t++) {
            sum += Dense.normSq(grad.apply(it[t - 1]));
            out[t] = sum / t;
        }
        return out;
    }

    private static double[] gradMin(Function<double[], double[]> grad, double[][] it) {
        double[] out = new double[T + 1];
        double best = Double.POSITIVE_INFINITY;
        for (int t = 1; t <= T; t++) {
            best = Math.min(best, Dense.normSq(grad.apply(it[t - 1])));
            out[t] = best;
        }
        return out;
    }

    /** f(W_t) - f*. */
    private static double[] gapLast(Quadratic q, double[][] it) {
        double[] out = new double[T + 1];
        for (int t = 1; t <= T; t++) {
            out[t] = q.gap(it[t]);
        }
        return out;
    }

    private static void assertWithin(Bound bound, Function<SplittableRandom, double[]> measured) {
        double[][] series = new double[SEEDS][];
        for (int s = 0; s < SEEDS; s++) {
            series[s] = measured.apply(new SplittableRandom(1000 + s));
        }
        StringBuilder ratios = new StringBuilder(bound.name() + " measured/bound at T/4, T/2, T:");
        for (int t : new int[] {T / 4, T / 2, T}) {
            double mean = 0;
            for (double[] x : series) {
                mean += x[t] / SEEDS;
            }
            double var = 0;
            for (double[] x : series) {
                var += (x[t] - mean) * (x[t] - mean) / (SEEDS - 1);
            }
            double upper = mean + 3 * Math.sqrt(var / SEEDS);
            ratios.append(String.format(" %.3g", mean / bound.at(t)));
            assertTrue(upper <= bound.at(t), bound.name() + " at t=" + t + ": measured " + mean + " (+3 s.e. "
                    + upper + ") > bound " + bound.at(t));
        }
        System.out.println(ratios);
    }

    /** W_0 .. W_T of W -= gamma G_hat(G_t), the estimator advanced by {@code next} after each step. */
    private interface Estimator {
        /** G_0 at W_0. */
        double[] start(double[] w0, SplittableRandom rng);

        /** G_{t+1} from G_t, W_t and W_{t+1}. */
        double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng);
    }

    private static double[][] run(Estimator est, double gamma, SplittableRandom rng) {
        double[][] it = new double[T + 1][];
        it[0] = W0.clone();
        double[] g = est.start(it[0], rng);
        for (int t = 0; t < T; t++) {
            it[t + 1] = it[t].clone();
            STEP.apply(it[t + 1], g, gamma, rng);
            g = est.next(g, it[t], it[t + 1], rng);
        }
        return it;
    }

    private static final Estimator GD = new Estimator() {
        @Override
        public double[] start(double[] w0, SplittableRandom rng) {
            return Q.grad(w0);
        }

        @Override
        public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
            return Q.grad(wNext);
        }
    };

    @Test
    void gradientDescent() {
        double gamma = GdBounds.maxStep(L);
        double delta0 = Q.gap(W0);
        assertWithin(GdBounds.nonConvex(delta0, gamma, L, LAMBDAS), rng -> gradAverage(Q::grad, run(GD, gamma, rng)));
        Function<SplittableRandom, double[]> gap = rng -> gapLast(Q, run(GD, gamma, rng));
        assertWithin(GdBounds.pl(delta0, gamma, L, MU, LAMBDAS), gap);
        Bound forgetsTheSketch = GdBounds.pl(delta0, gamma, L, MU, SketchConstants.fullFineTuning());
        assertThrows(AssertionError.class, () -> assertWithin(forgetsTheSketch, gap));
    }

    @Test
    void stochasticGradientDescent() {
        double sigma = 0.3;
        double c = D * sigma * sigma; // E||g||^2 = ||grad f||^2 + d sigma^2: A = 0, B = 1, C = d sigma^2
        double gamma = SgdBounds.maxStep(L, 1.0, LAMBDAS);
        Estimator sgd = new Estimator() {
            @Override
            public double[] start(double[] w0, SplittableRandom rng) {
                return noisy(Q.grad(w0), sigma, rng);
            }

            @Override
            public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
                return noisy(Q.grad(wNext), sigma, rng);
            }
        };
        double delta0 = Q.gap(W0);
        assertWithin(SgdBounds.nonConvex(delta0, gamma, L, 0.0, 1.0, c, LAMBDAS),
                rng -> gradMin(Q::grad, run(sgd, gamma, rng)));
        assertWithin(SgdBounds.pl(delta0, gamma, L, MU, 0.0, 1.0, c, LAMBDAS), rng -> gapLast(Q, run(sgd, gamma, rng)));
    }

    private static double[] noisy(double[] g, double sigma, SplittableRandom rng) {
        for (int j = 0; j < g.length; j++) {
            g[j] += sigma * rng.nextGaussian();
        }
        return g;
    }

    @Test
    void momentumVarianceReduction() {
        double sigma = 0.3;
        double b = 0.2;
        double sigmaSq = D * sigma * sigma;
        // grad f_xi(W) = grad f(W) + sigma xi with the same xi at both points: mean-square smoothness Ltilde = L.
        double gamma = VarianceReducedBounds.mvrMaxStep(L, L, b, LAMBDAS);
        Estimator mvr = new Estimator() {
            @Override
            public double[] start(double[] w0, SplittableRandom rng) {
                return noisy(Q.grad(w0), sigma, rng);
            }

            @Override
            public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
                double[] out = Q.grad(wNext);
                double[] old = Q.grad(w);
                for (int j = 0; j < D; j++) {
                    double xi = sigma * rng.nextGaussian();
                    out[j] += xi + (1 - b) * (g[j] - old[j] - xi);
                }
                return out;
            }
        };
        // G_0 = ||G_0 - grad f(W_0)||^2 has expectation d sigma^2, and the bound is linear in it.
        assertWithin(VarianceReducedBounds.mvr(Q.gap(W0), sigmaSq, gamma, L, L, b, sigmaSq, LAMBDAS),
                rng -> gradAverage(Q::grad, run(mvr, gamma, rng)));
    }

    @Test
    void page() {
        int n = 60;
        int batch = 4;
        double q = (double) batch / (n + batch);
        SplittableRandom data = new SplittableRandom(5);
        double[][] x = new double[n][];
        double[] wStar = data.doubles(D, -1, 1).toArray();
        double[] y = new double[n];
        double avgSmoothSq = 0;
        for (int i = 0; i < n; i++) {
            x[i] = data.doubles(D, -1, 1).toArray();
            y[i] = Dense.dot(x[i], wStar);
            avgSmoothSq += Math.pow(Dense.normSq(x[i]), 2) / n; // L_i = ||x_i||^2
        }
        // f(w) = (1/2N) ||X w - y||^2, f* = 0 at w*; L = lambda_max(X^T X / N) by power iteration.
        Function<double[], double[]> grad = w -> {
            double[] g = new double[D];
            for (int i = 0; i < n; i++) {
                Dense.axpy(D, (Dense.dot(x[i], w) - y[i]) / n, x[i], 0, g, 0);
            }
            return g;
        };
        double[] v = data.doubles(D, -1, 1).toArray();
        double lHat = 0;
        for (int k = 0; k < 500; k++) {
            double[] hv = new double[D];
            for (int i = 0; i < n; i++) {
                Dense.axpy(D, Dense.dot(x[i], v) / n, x[i], 0, hv, 0);
            }
            lHat = Math.sqrt(Dense.normSq(hv) / Dense.normSq(v));
            v = hv;
        }
        double gamma = VarianceReducedBounds.pageMaxStep(lHat, Math.sqrt(avgSmoothSq), q, batch, LAMBDAS);
        Estimator page = new Estimator() {
            @Override
            public double[] start(double[] w0, SplittableRandom rng) {
                return grad.apply(w0);
            }

            @Override
            public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
                if (rng.nextDouble() < q) {
                    return grad.apply(wNext);
                }
                double[] out = g.clone();
                double[] diff = Dense.minus(wNext, w);
                for (int k = 0; k < batch; k++) {
                    int i = rng.nextInt(n);
                    Dense.axpy(D, Dense.dot(x[i], diff) / batch, x[i], 0, out, 0);
                }
                return out;
            }
        };
        double delta0 = 0;
        for (int i = 0; i < n; i++) {
            delta0 += 0.5 * Math.pow(Dense.dot(x[i], W0) - y[i], 2) / n;
        }
        assertWithin(VarianceReducedBounds.page(delta0, 0.0, gamma, lHat, Math.sqrt(avgSmoothSq), q, batch, LAMBDAS),
                rng -> gradAverage(grad, run(page, gamma, rng)));
    }

    // ---- federated: M quadratic clients f_l = 1/2 (w - c_l)^T A (w - c_l), f = mean, f_l* = 0 ----

    private static final int M = 4;
    private static final double[][] CENTRES = new double[M][];
    private static final double[] MEAN_CENTRE = new double[D];
    private static final Quadratic F;

    static {
        SplittableRandom rng = new SplittableRandom(17);
        for (int l = 0; l < M; l++) {
            CENTRES[l] = rng.doubles(D, -1, 1).toArray();
            Dense.axpy(1.0 / M, CENTRES[l], MEAN_CENTRE);
        }
        double fStar = 0;
        for (int l = 0; l < M; l++) {
            fStar += new Quadratic(MEAN_CENTRE, 0).gap(CENTRES[l]) / M;
        }
        F = new Quadratic(MEAN_CENTRE, fStar);
    }

    private static double[] clientGrad(int l, double[] w) {
        return new Quadratic(CENTRES[l], 0).grad(w);
    }

    @Test
    void quantizedGradientDescent() {
        RandK randK = new RandK(0.25);
        double omega = randK.omega(D);
        double gamma = FederatedBounds.qgdMaxStep(L, L, omega, M, T, LAMBDAS);
        Estimator qgd = new Estimator() {
            @Override
            public double[] start(double[] w0, SplittableRandom rng) {
                return next(null, null, w0, rng);
            }

            @Override
            public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
                double[] out = new double[D];
                for (int l = 0; l < M; l++) {
                    Dense.axpy(1.0 / M, randK.compress(clientGrad(l, wNext), rng).toDense(), out);
                }
                return out;
            }
        };
        // Delta_inf = f* - mean_l f_l* = f*, the clients' heterogeneity.
        assertWithin(FederatedBounds.qgd(F.gap(W0), gamma, L, L, omega, M, F.offset(), LAMBDAS),
                rng -> gradMin(F::grad, run(qgd, gamma, rng)));
    }

    @Test
    void marina() {
        RandK randK = new RandK(0.25);
        double omega = randK.omega(D);
        double q = 0.2;
        double gamma = FederatedBounds.marinaMaxStep(L, L, omega, q, M, LAMBDAS);
        Estimator marina = new Estimator() {
            @Override
            public double[] start(double[] w0, SplittableRandom rng) {
                return F.grad(w0);
            }

            @Override
            public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
                if (rng.nextDouble() < q) {
                    return F.grad(wNext);
                }
                double[] out = g.clone();
                for (int l = 0; l < M; l++) {
                    double[] diff = Dense.minus(clientGrad(l, wNext), clientGrad(l, w));
                    Dense.axpy(1.0 / M, randK.compress(diff, rng).toDense(), out);
                }
                return out;
            }
        };
        assertWithin(FederatedBounds.marina(F.gap(W0), 0.0, gamma, L, L, omega, q, M, LAMBDAS),
                rng -> gradAverage(F::grad, run(marina, gamma, rng)));
    }

    @Test
    void ef21() {
        TopK topK = new TopK(0.25);
        double alpha = topK.alpha(D);
        double gamma = FederatedBounds.ef21MaxStep(L, L, alpha, LAMBDAS);
        double[][][] local = new double[1][][]; // the clients' G_l, reset by start
        Estimator ef21 = new Estimator() {
            @Override
            public double[] start(double[] w0, SplittableRandom rng) {
                local[0] = new double[M][];
                for (int l = 0; l < M; l++) {
                    local[0][l] = clientGrad(l, w0);
                }
                return F.grad(w0);
            }

            @Override
            public double[] next(double[] g, double[] w, double[] wNext, SplittableRandom rng) {
                double[] out = g.clone();
                for (int l = 0; l < M; l++) {
                    double[] c = topK.compress(Dense.minus(clientGrad(l, wNext), local[0][l]), rng).toDense();
                    Dense.axpy(1.0, c, local[0][l]);
                    Dense.axpy(1.0 / M, c, out);
                }
                return out;
            }
        };
        assertWithin(FederatedBounds.ef21(F.gap(W0), 0.0, gamma, L, L, alpha, LAMBDAS),
                rng -> gradAverage(F::grad, run(ef21, gamma, rng)));
    }
}
