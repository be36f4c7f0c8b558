package org.blora.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.chain.Step;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Mvr;
import org.blora.core.estimator.Page;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.sketch.GaussianSketch;
import org.junit.jupiter.api.Test;

/** A run stopped after any round and resumed from its {@link TrainerState} equals the uninterrupted run. */
class TrainerResumeTest {
    private static final Shape SHAPE = new Shape(4, 4);

    /** Records rows and a deep copy of every resumable state. */
    static final class Capture implements RoundListener {
        final List<RoundRecord> rows = new ArrayList<>();
        final List<TrainerState> states = new ArrayList<>();

        @Override
        public void onRound(RoundRecord record, LowRankChain chain) {
            rows.add(record);
        }

        @Override
        public void onState(TrainerState s, LowRankChain chain) {
            assertEquals(s.round(), chain.length(), "the state comes with exactly round links");
            states.add(new TrainerState(s.round(), s.epochs(), s.cumUplinkBits(), s.trainedParams(), s.wallMs(),
                    s.loss(), s.gradNormSq(), s.estimatorState() == null ? null : s.estimatorState().clone(),
                    s.methodState(), s.earlyStopping(), s.plateau(), s.divergence()));
        }
    }

    private static Trainer trainer(GradientEstimator est, int metricsEvery) {
        return new Trainer(new BernoulliLoRA(Method.BERNOULLI, SHAPE, 1, 0.5, new GaussianSketch(), 9), est,
                StepRule.constant(0.05), new NonConvexRegularizer(0.2), metricsEvery, 40, Double.POSITIVE_INFINITY, 0.0);
    }

    /** Rows without wall_ms, which is clock time. */
    private static List<String> deterministic(List<RoundRecord> rows) {
        List<String> out = new ArrayList<>();
        for (RoundRecord r : rows) {
            out.add(r.round() + "," + r.epoch() + "," + r.loss() + "," + r.gradNormSq() + "," + r.stepSize() + ","
                    + r.side() + "," + r.uplinkBits() + "," + r.downlinkBits() + "," + r.cumUplinkBits());
        }
        return out;
    }

    private void resumeEqualsUninterrupted(Supplier<GradientEstimator> estimator, int metricsEvery) {
        List<List<DataBlock>> data = TestProblems.regression(300, 16, 3, 11, 0.3);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Capture whole = new Capture();
        LowRankChain full = new LowRankChain(SHAPE, new double[16]);
        TrainResult wholeResult = trainer(estimator.get(), metricsEvery).run(oracle, full, whole);
        assertEquals(40, whole.states.size());
        for (int k : new int[] {1, 17, 39}) {
            TrainerState at = whole.states.get(k - 1);
            assertEquals(k, at.round());
            LowRankChain chain = new LowRankChain(SHAPE, new double[16]);
            for (int i = 0; i < k; i++) {
                chain.append(Step.of(i, full.links().get(i), full.layout()));
            }
            Capture rest = new Capture();
            TrainResult r = trainer(estimator.get(), metricsEvery).run(oracle, chain, rest, at);
            List<RoundRecord> joined = new ArrayList<>(whole.rows.subList(0, k));
            joined.addAll(rest.rows);
            assertEquals(deterministic(whole.rows), deterministic(joined), "resumed at round " + k);
            assertArrayEquals(full.w(), chain.w(), "merged W, resumed at round " + k);
            assertEquals(wholeResult.epochs(), r.epochs());
            assertEquals(wholeResult.totalUplinkBits(), r.totalUplinkBits());
            assertEquals(wholeResult.trainableParams(), r.trainableParams());
            assertEquals(wholeResult.gradNormSq(), r.gradNormSq());
        }
    }

    @Test
    void pageResumesExactly() {
        // PAGE carries G^{t-1} across rounds and mixes full and minibatch rounds.
        resumeEqualsUninterrupted(() -> new Page(4, 300, 20, 0.3), 3);
    }

    @Test
    void mvrResumesExactly() {
        resumeEqualsUninterrupted(() -> new Mvr(4, 300, 20, 0.2), 1);
    }

    @Test
    void withoutTheEstimatorStateTheRunDiffers() {
        // The check above can fail: dropping G^{t-1} changes the continuation.
        List<List<DataBlock>> data = TestProblems.regression(300, 16, 3, 11, 0.3);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        Capture whole = new Capture();
        LowRankChain full = new LowRankChain(SHAPE, new double[16]);
        trainer(new Mvr(4, 300, 20, 0.2), 1).run(oracle, full, whole);
        TrainerState at = whole.states.get(9);
        double[] wrong = at.estimatorState().clone();
        wrong[0] += 1e-3;
        LowRankChain chain = new LowRankChain(SHAPE, new double[16]);
        for (int i = 0; i < 10; i++) {
            chain.append(Step.of(i, full.links().get(i), full.layout()));
        }
        trainer(new Mvr(4, 300, 20, 0.2), 1).run(oracle, chain, new Capture(), new TrainerState(at.round(),
                at.epochs(), at.cumUplinkBits(), at.trainedParams(), at.wallMs(), at.loss(), at.gradNormSq(), wrong));
        assertEquals(false, java.util.Arrays.equals(full.w(), chain.w()));
    }

    @Test
    void chainMustMatchTheResumeRound() {
        LocalOracle oracle = new LocalOracle(TestProblems.regression(50, 16, 1, 1, 0.1), new LeastSquares());
        LowRankChain empty = new LowRankChain(SHAPE, new double[16]);
        TrainerState at5 = new TrainerState(5, 0.0, 0, 0, 0, Double.NaN, Double.NaN, null);
        assertThrows(IllegalArgumentException.class,
                () -> trainer(new Page(4, 50, 5, 0.3), 1).run(oracle, empty, new Capture(), at5));
    }
}
