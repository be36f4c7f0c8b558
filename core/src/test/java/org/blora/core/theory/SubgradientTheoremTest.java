package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.ConvexProblem;
import org.blora.core.optim.StepRule;
import org.junit.jupiter.api.Test;

/**
 * The convex non-smooth theorem checked statistically: over 40 seeds (coin and Gaussian sketch per step) the
 * mean suboptimality of Bernoulli-LoRA subgradient descent with the theorem's constant step stays below the
 * theorem's bound at T, with the sample mean's 3-standard-error margin; the same check fails with a step 300
 * times too large (best iterate) and with a broken bound (lambda multiplied instead of divided). The Polyak
 * bound is checked the same way.
 */
class SubgradientTheoremTest {
    private static final int SEEDS = 40;
    private static final int T = 1000;
    private static final Shape SHAPE = new Shape(6, 8);
    private static final ConvexProblem PROBLEM = ConvexProblem.noiselessLad(100, 48, 3);
    private static final BernoulliStep STEP = new BernoulliStep(SHAPE, 2, 0.5);

    /** Per seed: f(average iterate) - f* and min_t f(W_t) - f* over W_0 .. W_{T-1}. */
    private record Gaps(double[] average, double[] best) {
    }

    /** The sample mean of the gaps and its standard error (also used by SubgradientTrainerTest). */
    record Mean(double mean, double stdErr) {
        static Mean of(double[] x) {
            double m = 0;
            for (double v : x) {
                m += v / x.length;
            }
            double var = 0;
            for (double v : x) {
                var += (v - m) * (v - m) / (x.length - 1);
            }
            return new Mean(m, Math.sqrt(var / x.length));
        }

        /** Below the bound even at mean + 3 standard errors. */
        boolean below(double bound) {
            return mean + 3 * stdErr <= bound;
        }

        /** Above the bound even at mean - 3 standard errors. */
        boolean above(double bound) {
            return mean - 3 * stdErr > bound;
        }
    }

    private static Gaps run(double gamma) {
        double fStar = PROBLEM.fStar().value();
        Gaps gaps = new Gaps(new double[SEEDS], new double[SEEDS]);
        int d = PROBLEM.dim();
        for (int seed = 0; seed < SEEDS; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] w = new double[d];
            double[] avg = new double[d];
            double[] g = new double[d];
            double best = Double.POSITIVE_INFINITY;
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < d; j++) {
                    avg[j] += w[j] / T;
                }
                best = Math.min(best, PROBLEM.subgradient(w, g));
                STEP.apply(w, g, gamma, rng);
            }
            gaps.average[seed] = PROBLEM.value(avg) - fStar;
            gaps.best[seed] = best - fStar;
        }
        return gaps;
    }

    @Test
    void constantStepMeetsTheBoundAndTheCheckCanFail() {
        SketchConstants lambdas = STEP.lambdas();
        double r = PROBLEM.distanceToMinimiser(new double[PROBLEM.dim()]);
        double l0 = PROBLEM.lipschitz();
        double gamma = SubgradientBounds.bestConstantStep(r, l0, T, lambdas);
        Bound avgBound = SubgradientBounds.constantAverage(r, l0, gamma, lambdas);
        Bound bestBound = SubgradientBounds.constantBest(r, l0, gamma, lambdas);

        Gaps theory = run(gamma);
        Mean avg = Mean.of(theory.average);
        Mean best = Mean.of(theory.best);
        System.out.printf("subgrad-const, T=%d, lambda=%.4f: avg gap %.4f +- %.4f, best gap %.4f +- %.4f, bound %.4f%n",
                T, lambdas.lambdaMin(), avg.mean, avg.stdErr, best.mean, best.stdErr, avgBound.at(T));
        assertTrue(avg.below(avgBound.at(T)), avg + " vs " + avgBound.at(T));
        assertTrue(best.below(bestBound.at(T)), best + " vs " + bestBound.at(T));

        // A step 300x the theorem's: the best iterate stays above the bound the theorem's step guarantees.
        Mean tooLarge = Mean.of(run(300 * gamma).best);
        System.out.printf("  300x step: best gap %.4f +- %.4f%n", tooLarge.mean, tooLarge.stdErr);
        assertTrue(tooLarge.above(bestBound.at(T)), tooLarge + " vs " + bestBound.at(T));

        // A broken bound: lambda_min^p multiplied where the theorem divides by it (and on the floor term).
        double lambda = lambdas.lambdaMin();
        double broken = r * r * lambda / (2 * gamma * T) + gamma * l0 * l0 * lambda / 2;
        assertTrue(avg.above(broken), avg + " vs broken " + broken);
    }

    @Test
    void polyakStepMeetsItsBound() {
        for (ConvexProblem p : new ConvexProblem[] {PROBLEM, ConvexProblem.separableHinge(100, 48, 0.1, 5)}) {
            SketchConstants lambdas = STEP.lambdas();
            double[] w0 = new double[p.dim()];
            Bound bound = SubgradientBounds.polyak(p.distanceToMinimiser(w0), p.lipschitz(), lambdas);
            StepRule rule = StepRule.polyak(p.fStar().value(), lambdas.lambdaMin(), lambdas.lambdaMax());
            double[] best = new double[SEEDS];
            for (int seed = 0; seed < SEEDS; seed++) {
                SplittableRandom rng = new SplittableRandom(seed);
                double[] w = w0.clone();
                double[] g = new double[p.dim()];
                best[seed] = Double.POSITIVE_INFINITY;
                for (int t = 1; t <= 100; t++) {
                    double f = p.subgradient(w, g);
                    best[seed] = Math.min(best[seed], f - p.fStar().value());
                    double gamma = rule.gamma(f, g);
                    if (gamma == 0.0) {
                        break; // at the minimum
                    }
                    STEP.apply(w, g, gamma, rng);
                }
            }
            Mean m = Mean.of(best);
            assertTrue(m.below(bound.at(100)), p.name() + ": " + m + " vs " + bound.at(100));
        }
    }
}
