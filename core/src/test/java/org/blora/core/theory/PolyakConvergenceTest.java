package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.ConvexProblem;
import org.blora.core.optim.StepRule;
import org.junit.jupiter.api.Test;

/**
 * The Polyak step with the true f* drives f(W_t) - f* below 1e-6 of its start on problems with a known minimum,
 * full-parameter and with Bernoulli-LoRA's random rank-r projections (these problems are sharp, f - f* >=
 * c ||W - W*||, where Polyak converges linearly). With f* overestimated the same check fails.
 */
class PolyakConvergenceTest {
    private static final double TARGET = 1e-6;

    /** Rounds until f - f* <= TARGET (f(W_0) - f*), or -1 if the budget ran out or the step became 0. */
    private static int roundsToTarget(ConvexProblem p, BernoulliStep step, double fStarUsed, int budget, long seed) {
        SketchConstants lambdas = step.lambdas();
        StepRule rule = StepRule.polyak(fStarUsed, lambdas.lambdaMin(), lambdas.lambdaMax());
        double fStar = p.fStar().value();
        double[] w = new double[p.dim()];
        double[] g = new double[p.dim()];
        double gap0 = p.value(w) - fStar;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = 0; t < budget; t++) {
            double f = p.subgradient(w, g);
            if (f - fStar <= TARGET * gap0) {
                return t;
            }
            double gamma = rule.gamma(f, g);
            if (gamma == 0.0) {
                return -1; // W never moves again
            }
            step.apply(w, g, gamma, rng);
        }
        return -1;
    }

    private static void assertConverges(ConvexProblem p, Shape shape, int budget) {
        for (BernoulliStep step : new BernoulliStep[] {BernoulliStep.full(shape), new BernoulliStep(shape, 2, 0.5),
                new BernoulliStep(shape, 1, 1.0)}) {
            int rounds = roundsToTarget(p, step, p.fStar().value(), budget, 7);
            assertTrue(rounds >= 0, p.name() + " rank " + step.rank + ": f - f* not below " + TARGET
                    + " of its start in " + budget + " rounds");
        }
    }

    @Test
    void noiselessLeastAbsoluteDeviations() {
        assertConverges(ConvexProblem.noiselessLad(100, 48, 3), new Shape(6, 8), 5_000);
    }

    @Test
    void separableHinge() {
        assertConverges(ConvexProblem.separableHinge(100, 48, 0.1, 5), new Shape(6, 8), 5_000);
    }

    @Test
    void noisyLeastAbsoluteDeviationsWithTheCertifiedFStar() {
        ConvexProblem p = ConvexProblem.lad(60, 12, 0.5, 4);
        assertTrue(p.fStar().value() > 0.1 && p.fStar().accuracy() < 1e-12, p.fStar().toString());
        assertConverges(p, new Shape(3, 4), 40_000);
    }

    @Test
    void anOverestimatedFStarStopsShortOfTheTarget() {
        ConvexProblem p = ConvexProblem.lad(60, 12, 0.5, 4);
        BernoulliStep step = new BernoulliStep(new Shape(3, 4), 2, 0.5);
        assertTrue(roundsToTarget(p, step, p.fStar().value(), 40_000, 7) >= 0);
        int wrong = roundsToTarget(p, step, p.fStar().value() + 1e-3, 40_000, 7);
        assertTrue(wrong < 0, "converged in " + wrong + " rounds with f* overestimated by 1e-3");
    }
}
