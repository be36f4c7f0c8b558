package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.Gd;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.ConvexProblem;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The convex non-smooth theorems through the code path of the train job: {@link Trainer} with the Bernoulli-LoRA
 * chain method (coin and Gaussian sketch from the run seed's streams), GD on the clients' subgradients through
 * {@link LocalOracle}, the step rules {@link StepRule#subgradientConstant} and {@link StepRule#polyak}, and the
 * best and average iterates of {@link IterateSummary}. Over 40 run seeds the mean gaps, plus 3 standard errors,
 * stay below the bounds at T; a step 300x the theorem's breaks the best-iterate bound; Polyak with the true f*
 * reaches 1e-6 of the starting gap.
 */
class SubgradientTrainerTest {
    private static final int SEEDS = 40;
    private static final int T = 400;
    private static final ConvexProblem LAD = ConvexProblem.noiselessLad(100, 48, 3);
    private static final ModelLayout LAYOUT = ModelLayout.single("W", 6, 8);
    private static final int RANK = 2;
    private static final double P = 0.5;
    private static final SketchConstants LAMBDAS = SketchConstants.gaussian(6, 8, RANK, P);

    private record Gaps(double best, double average) {
    }

    private static Gaps run(ConvexProblem problem, StepRule rule, int rounds, long seed) {
        LocalOracle oracle = new LocalOracle(List.of(List.of(problem.data())), problem.loss());
        ChainMethod method = ChainMethod.of(ChainSpec.paper(Method.BERNOULLI, RANK, P, new GaussianSketch(), seed, 1), LAYOUT);
        Trainer trainer = new Trainer(method, new Gd(), rule, new NonConvexRegularizer(0.0), 1, rounds,
                Double.POSITIVE_INFINITY, 0.0);
        LowRankChain chain = new LowRankChain(LAYOUT, new double[LAYOUT.size()]);
        IterateSummary iterates = new IterateSummary(chain.w());
        trainer.run(oracle, chain, new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain c) {
                iterates.onRound(record, Double.isNaN(record.stepSize()) ? null : c.w());
            }
        });
        double fStar = problem.fStar().value();
        return new Gaps(iterates.bestLoss() - fStar, problem.value(iterates.average()) - fStar);
    }

    /** mean + 3 standard errors (above = false) or mean - 3 standard errors (above = true). */
    private static double edge(double[] x, boolean lower) {
        SubgradientTheoremTest.Mean m = SubgradientTheoremTest.Mean.of(x);
        return lower ? m.mean() - 3 * m.stdErr() : m.mean() + 3 * m.stdErr();
    }

    private static double[][] gaps(StepRule rule) {
        double[] best = new double[SEEDS];
        double[] avg = new double[SEEDS];
        for (int s = 0; s < SEEDS; s++) {
            Gaps g = run(LAD, rule, T, s + 1);
            best[s] = g.best();
            avg[s] = g.average();
        }
        return new double[][] {best, avg};
    }

    @Test
    void theoremsConstantStepMeetsBothBoundsAndATooLargeStepFails() {
        double r = LAD.distanceToMinimiser(new double[LAD.dim()]);
        double l0 = LAD.lipschitz();
        StepRule rule = StepRule.subgradientConstant(r, l0, LAMBDAS.lambdaMax(), T);
        double gamma = rule.gamma(0.0, null);
        Bound best = SubgradientBounds.constantBest(r, l0, gamma, LAMBDAS);
        Bound avg = SubgradientBounds.constantAverage(r, l0, gamma, LAMBDAS);
        double[][] g = gaps(rule);
        System.out.printf("trainer subgrad-const T=%d: best gap <= %.4f, avg gap <= %.4f (3 s.e.), bound %.4f%n",
                T, edge(g[0], false), edge(g[1], false), best.at(T));
        assertTrue(edge(g[0], false) <= best.at(T), edge(g[0], false) + " vs " + best.at(T));
        assertTrue(edge(g[1], false) <= avg.at(T), edge(g[1], false) + " vs " + avg.at(T));

        double[][] tooLarge = gaps(StepRule.constant(300 * gamma));
        System.out.printf("  300x step: best gap >= %.4f%n", edge(tooLarge[0], true));
        assertTrue(edge(tooLarge[0], true) > best.at(T), edge(tooLarge[0], true) + " vs " + best.at(T));
    }

    @Test
    void polyakWithTheTrueFStarReachesAMillionthOfTheStartingGap() {
        for (ConvexProblem p : new ConvexProblem[] {LAD, ConvexProblem.separableHinge(100, 48, 0.1, 5)}) {
            double gap0 = p.value(new double[p.dim()]) - p.fStar().value();
            Gaps g = run(p, StepRule.polyak(p.fStar().value(), LAMBDAS.lambdaMin(), LAMBDAS.lambdaMax()), 5_000, 7);
            assertTrue(g.best() <= 1e-6 * gap0, p.name() + ": best gap " + g.best() + " vs start " + gap0);
        }
    }
}
