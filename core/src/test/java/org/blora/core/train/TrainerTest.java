package org.blora.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Page;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.blora.core.sketch.GaussianSketch;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static final class Recorder implements RoundListener {
        final List<RoundRecord> rows = new ArrayList<>();

        @Override
        public void onRound(RoundRecord record, LowRankChain chain) {
            rows.add(record);
        }
    }

    private static double smoothness(GradientOracle oracle, int d, double lambda) {
        return SmoothnessEstimate.gramNorm(oracle, d, 1, 1e-10, 10_000).value() + 2 * lambda;
    }

    static TrainResult run(GradientOracle oracle, Shape shape, Method method, int rank, double p,
                           GradientEstimator est, double gamma, double lambda, int rounds, double tol,
                           Recorder rec, LowRankChain chain) {
        BernoulliLoRA bl = new BernoulliLoRA(method, shape, rank, p, new GaussianSketch(), 5);
        Trainer trainer = new Trainer(bl, est, StepRule.constant(gamma), new NonConvexRegularizer(lambda), 1,
                rounds, Double.POSITIVE_INFINITY, tol);
        return trainer.run(oracle, chain, rec);
    }

    @Test
    void pageWithQOneEqualsGdExactly() {
        List<List<DataBlock>> data = TestProblems.regression(300, 16, 3, 1, 0.1);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Shape shape = new Shape(4, 4);
        double gamma = 1.0 / smoothness(oracle, 16, 0.5);
        Recorder gd = new Recorder();
        LowRankChain cg = new LowRankChain(shape, new double[16]);
        run(oracle, shape, Method.BERNOULLI, 1, 0.5, new Gd(), gamma, 0.5, 40, 0, gd, cg);
        Recorder page = new Recorder();
        LowRankChain cp = new LowRankChain(shape, new double[16]);
        run(oracle, shape, Method.BERNOULLI, 1, 0.5, new Page(3, oracle.rows(), 10, 1.0), gamma, 0.5, 40, 0, page, cp);
        assertArrayEquals(cg.w(), cp.w());
        assertEquals(gd.rows.size(), page.rows.size());
        for (int i = 0; i < gd.rows.size(); i++) {
            assertEquals(gd.rows.get(i).gradNormSq(), page.rows.get(i).gradNormSq(), 0.0);
        }
    }

    @Test
    void fullRankSketchEqualsFullParameterGd() {
        List<List<DataBlock>> data = TestProblems.regression(200, 12, 2, 2, 0.1);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Shape shape = new Shape(3, 4);
        double gamma = 1.0 / smoothness(oracle, 12, 0.3);
        LowRankChain sketched = new LowRankChain(shape, new double[12]);
        run(oracle, shape, Method.BERNOULLI, 3, 0.5, new Gd(), gamma, 0.3, 30, 0, new Recorder(), sketched);
        LowRankChain full = new LowRankChain(shape, new double[12]);
        run(oracle, shape, Method.FPFT, 3, 0.5, new Gd(), gamma, 0.3, 30, 0, new Recorder(), full);
        // Right sketches of rank 3 < n = 4 are not full rank, so use p = 1 (left sketch, rank m = 3).
        LowRankChain left = new LowRankChain(shape, new double[12]);
        run(oracle, shape, Method.RAC, 3, 1.0, new Gd(), gamma, 0.3, 30, 0, new Recorder(), left);
        for (int j = 0; j < 12; j++) {
            assertEquals(full.w()[j], left.w()[j], 1e-12 * (1 + Math.abs(full.w()[j])));
        }
        // With p = 0.5 half the steps are rank-3 right projections in R^{3x4}: not full GD, but still a descent.
        assertTrue(sketched.length() == 30);
    }

    /**
     * Strongly convex least squares (lambda = 0): f is mu-PL with mu = lambda_min(X^T X / N). Theorem 1 (PL)
     * gives E[f(W^T) - f*] <= (1 - gamma mu lambda_min^p)^T (f(W^0) - f*) for gamma <= 1/L. Checked on the mean
     * over 40 independent sketch seeds; the mean's own spread is well inside the bound here (the bound holds
     * for every seed in these runs, so the check can only fail if the rate is really violated).
     */
    @Test
    void gdOnPlProblemMeetsLinearRate() {
        int d = 16;
        List<List<DataBlock>> data = TestProblems.regression(400, d, 2, 3, 0.5);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Shape shape = new Shape(4, 4);
        double l = SmoothnessEstimate.gramNorm(oracle, d, 1, 1e-12, 100_000).value();
        double mu = smallestEigenvalue(oracle, d, l);
        double[] wStar = LeastSquaresSolver.solve(data, d);
        double fStar = objective(oracle, wStar);
        double f0 = objective(oracle, new double[d]);
        int rounds = 60;
        double lambdaMin = 2 * (0.5 / 4 + 0.5 / 4);
        double bound = Math.pow(1 - mu / l * lambdaMin, rounds) * (f0 - fStar);
        double mean = 0;
        int seeds = 40;
        for (int s = 0; s < seeds; s++) {
            BernoulliLoRA bl = new BernoulliLoRA(Method.BERNOULLI, shape, 2, 0.5, new GaussianSketch(), 100 + s);
            Trainer tr = new Trainer(bl, new Gd(), StepRule.constant(1.0 / l), new NonConvexRegularizer(0), 1, rounds,
                    Double.POSITIVE_INFINITY, 0);
            LowRankChain chain = new LowRankChain(shape, new double[d]);
            tr.run(oracle, chain, new Recorder());
            mean += (objective(oracle, chain.w()) - fStar) / seeds;
        }
        assertTrue(mean <= bound, "mean suboptimality " + mean + " exceeds the PL bound " + bound);
        assertTrue(mean < 0.5 * (f0 - fStar), "no progress: " + mean + " vs " + (f0 - fStar));
    }

    @Test
    void smallProblemReachesTolerance() {
        // The acceptance problem: 2000 rows, 256 features, shape 16x16, rank 2, GD.
        List<List<DataBlock>> data = TestProblems.regression(2000, 256, 2, 4, 1.0);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Shape shape = new Shape(16, 16);
        // lambda = ||X^T X / N||_2 ("auto", as in the paper) and gamma = 1 / L_hat with L_hat = lambda + 2 lambda.
        double lambda = SmoothnessEstimate.gramNorm(oracle, 256, 1, 1e-6, 10_000).value();
        double gamma = 1.0 / (3 * lambda);
        Recorder rec = new Recorder();
        TrainResult res = run(oracle, shape, Method.BERNOULLI, 2, 0.5, new Gd(), gamma, lambda, 20_000, 1e-12, rec,
                new LowRankChain(shape, new double[256]));
        assertTrue(res.converged(), "stopped by " + res.stopReason() + " at ||grad||^2 = " + res.gradNormSq());
        assertTrue(res.gradNormSq() <= 1e-12);
    }

    static double objective(GradientOracle oracle, double[] w) {
        OracleResult r = OracleResult.sumInOrder(oracle.evaluate(OracleRequest.fullOnly(0), new Iterate(0, w, null, null)));
        return r.lossSum() / oracle.rows();
    }

    /** Smallest eigenvalue of X^T X / N by power iteration on (L I - X^T X / N). */
    static double smallestEigenvalue(GradientOracle oracle, int d, double l) {
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1.0);
        double est = 0;
        for (int it = 0; it < 20_000; it++) {
            double[] u = oracle.gramTimes(v);
            double nv = 0;
            for (int j = 0; j < d; j++) {
                u[j] = l * v[j] - u[j] / oracle.rows();
                nv += u[j] * u[j];
            }
            nv = Math.sqrt(nv);
            double next = 0;
            for (int j = 0; j < d; j++) {
                next += u[j] * v[j];
            }
            for (int j = 0; j < d; j++) {
                v[j] = u[j] / nv;
            }
            if (Math.abs(next - est) < 1e-14 * l) {
                est = next;
                break;
            }
            est = next;
        }
        return l - est;
    }

    /** An epoch budget of E with b/N = 1/100 stops after exactly 100 E rounds, although 0.01 is not exact in binary. */
    @Test
    void epochBudgetIsExactForFractionalEpochs() {
        List<List<DataBlock>> data = TestProblems.regression(1000, 16, 2, 6, 0.1);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Shape shape = new Shape(4, 4);
        BernoulliLoRA bl = new BernoulliLoRA(Method.BERNOULLI, shape, 1, 0.5, new GaussianSketch(), 5);
        Trainer tr = new Trainer(bl, new org.blora.core.estimator.Sgd(3, oracle.rows(), 10), StepRule.constant(0.01),
                new NonConvexRegularizer(0), 50, 1_000_000, 3.0, 0);
        TrainResult r = tr.run(oracle, new LowRankChain(shape, new double[16]), new Recorder());
        assertEquals(StopReason.EPOCH_BUDGET, r.stopReason());
        assertEquals(300, r.rounds());
    }

    /** Full-parameter GD at 4/L on least squares: the top eigendirection grows threefold per round. */
    private static Trainer blowingUp(LocalOracle oracle, Shape shape) {
        double gamma = 4.0 / smoothness(oracle, shape.size(), 0.0);
        BernoulliLoRA fpft = new BernoulliLoRA(Method.FPFT, shape, 1, 0.5, new GaussianSketch(), 5);
        return new Trainer(fpft, new Gd(), StepRule.constant(gamma), new NonConvexRegularizer(0), 1, 10_000,
                Double.POSITIVE_INFINITY, 0);
    }

    /**
     * A run that blows up stops as diverged once its loss or ||grad f||^2 exceeds run.diverge.factor times its
     * start, with finite values in its last row (so its outputs are usable); with the check off the same run goes
     * on until the values overflow.
     */
    @Test
    void aRunThatBlowsUpStopsAsDivergedBeforeItOverflows() {
        LocalOracle oracle = new LocalOracle(TestProblems.regression(200, 16, 2, 1, 0.1), new LeastSquares());
        Shape shape = new Shape(4, 4);
        Recorder rec = new Recorder();
        TrainResult r = blowingUp(oracle, shape).run(oracle, new LowRankChain(shape, new double[16]), rec);
        assertEquals(StopReason.DIVERGED, r.stopReason());
        RoundRecord first = rec.rows.get(0);
        RoundRecord last = rec.rows.get(rec.rows.size() - 1);
        assertTrue(Double.isFinite(last.loss()) && Double.isFinite(last.gradNormSq()), "stopped at " + last);
        assertTrue(last.loss() > 1e4 * first.loss() || last.gradNormSq() > 1e4 * first.gradNormSq(), "" + last);
        for (RoundRecord row : rec.rows.subList(0, rec.rows.size() - 1)) {
            assertTrue(row.loss() <= 1e4 * first.loss() && row.gradNormSq() <= 1e4 * first.gradNormSq(),
                    "round " + row.round() + " had exceeded the factor already");
        }
        assertTrue(r.rounds() < 40, "took " + r.rounds() + " rounds");

        Recorder off = new Recorder();
        TrainResult unchecked = blowingUp(oracle, shape).withDivergeFactor(0)
                .run(oracle, new LowRankChain(shape, new double[16]), off);
        assertEquals(StopReason.DIVERGED, unchecked.stopReason());
        RoundRecord overflow = off.rows.get(off.rows.size() - 1);
        assertTrue(!Double.isFinite(overflow.loss()) || !Double.isFinite(overflow.gradNormSq()), "" + overflow);
        assertTrue(unchecked.rounds() > 10 * r.rounds(), unchecked.rounds() + " vs " + r.rounds());
    }

    /** A resumed run judges divergence against the start of the run, which its state carries. */
    @Test
    void aResumedRunJudgesAgainstTheSameStart() {
        LocalOracle oracle = new LocalOracle(TestProblems.regression(200, 16, 2, 1, 0.1), new LeastSquares());
        Shape shape = new Shape(4, 4);
        List<Object[]> states = new ArrayList<>();
        Recorder rec = new Recorder();
        RoundListener withStates = new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain c) {
                rec.onRound(record, c);
            }

            @Override
            public void onState(TrainerState s, LowRankChain c) {
                states.add(new Object[] {s, List.copyOf(c.links()), c.w().clone(), c.wPrev().clone(), c.steps()});
            }
        };
        TrainResult whole = blowingUp(oracle, shape).run(oracle, new LowRankChain(shape, new double[16]), withStates);
        Object[] at = states.get(4);
        TrainerState s = (TrainerState) at[0];
        assertEquals(new Divergence(rec.rows.get(0).loss(), rec.rows.get(0).gradNormSq()), s.divergence());
        @SuppressWarnings("unchecked")
        java.util.function.Supplier<LowRankChain> chain = () -> LowRankChain.restore(
                org.blora.core.model.ModelLayout.single("W", 4, 4), new double[16],
                (List<org.blora.core.sketch.Link[]>) at[1], (double[]) at[2], (double[]) at[3], (int) at[4]);
        TrainResult resumed = blowingUp(oracle, shape).run(oracle, chain.get(), new Recorder(), s);
        assertEquals(whole.rounds(), resumed.rounds());
        assertEquals(StopReason.DIVERGED, resumed.stopReason());
        // Judged against the resume round instead, the run would have gone on longer.
        TrainerState forgetful = new TrainerState(s.round(), s.epochs(), s.cumUplinkBits(), s.trainedParams(),
                s.wallMs(), s.loss(), s.gradNormSq(), s.estimatorState(), s.methodState(), s.earlyStopping(),
                s.plateau(), null);
        TrainResult later = blowingUp(oracle, shape).run(oracle, chain.get(), new Recorder(), forgetful);
        assertTrue(later.rounds() > whole.rounds(), later.rounds() + " vs " + whole.rounds());
    }
}
