package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blora.config.RunConfig;
import org.blora.config.TrainSpec;
import org.blora.core.model.Module;
import org.blora.core.theory.SmoothnessConstants;
import org.blora.core.train.RoundRecord;
import org.junit.jupiter.api.Test;

/** The live check of Theorem 1 on a run's metrics rows: the bound, the measured average, and when it fails. */
class TheoryCheckTest {
    static final Module W = new Module("W", 16, 16, 0, true);

    static TrainSpec spec(String... sets) {
        RunConfig c = RunConfig.of(Map.of("data.features", "256", "lora.rank", "2", "lora.p", "0.5"));
        for (String s : sets) {
            c = c.with(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        return new TrainSpec(c);
    }

    static List<RoundRecord> rows(double loss0, double... gradNormSq) {
        List<RoundRecord> r = new ArrayList<>();
        for (int t = 0; t < gradNormSq.length; t++) {
            r.add(new RoundRecord(t, t, 0, t == 0 ? loss0 : 1.0, gradNormSq[t], 0.1, "A", 0, 0, 0));
        }
        return r;
    }

    @Test
    void boundIsTheoremOneWithTheSketchConstant() {
        TrainSpec s = spec();
        // lambda_min^p = r (p/m + (1-p)/n) = 2 (0.5/16 + 0.5/16) = 0.125; bound after t rounds 2 f(W0) / (gamma lambda t).
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, 5.0, rows(3.0, 4.0, 2.0, 1.0));
        assertEquals("gd", r.bound().name());
        assertEquals(2 * 3.0 / (0.1 * 0.125 * 2), r.perRow()[2], 1e-9);
        assertEquals(3.0, r.measured()[2], 1e-12, "average of rows 0 and 1");
        assertTrue(r.held());
    }

    @Test
    void gradientsAboveTheBoundAreReportedAsNotHeld() {
        TrainSpec s = spec();
        // f(W0) = 1e-3 allows at most 2e-3 / (0.1 * 0.125 * t) = 0.16 / t on the average; 1.0 every round breaks it.
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, 5.0, rows(1e-3, 1.0, 1.0, 1.0, 1.0));
        assertFalse(r.held());
        assertTrue(r.worstRatio() > 1, "ratio " + r.worstRatio());
    }

    @Test
    void runsOutsideTheTheoremsGetNoBound() {
        TrainSpec sgd = spec("optim.estimator=sgd");
        assertNull(TheoryCheck.of(sgd, sgd.chainSpec(100), W, 0.1, 5.0, rows(1.0, 1.0, 1.0)));
        TrainSpec sparse = spec("run.metrics.every=10");
        assertNull(TheoryCheck.of(sparse, sparse.chainSpec(100), W, 0.1, 5.0, rows(1.0, 1.0, 1.0)), "needs every round");
    }

    @Test
    void aRunNoTheoremCoversSaysWhichConditionItBreaks() {
        TrainSpec gd = spec();
        assertNull(TheoryCheck.uncovered(gd, gd.chainSpec(100), 1), "GD with metrics every round is covered");
        TrainSpec sparse = spec("run.metrics.every=10");
        assertEquals("the bound's measure needs f and ||grad f||^2 every round (run.metrics.every=1)",
                TheoryCheck.uncovered(sparse, sparse.chainSpec(100), 1));
        TrainSpec cola = spec("lora.method=cola");
        assertTrue(TheoryCheck.uncovered(cola, cola.chainSpec(100), 1).contains("not lora.method=cola"));
        TrainSpec adamw = spec("optim.optimizer=adamw");
        assertTrue(TheoryCheck.uncovered(adamw, adamw.chainSpec(100), 1).startsWith("AdamW steps"));
        TrainSpec polyak = spec("optim.step.rule=polyak", "optim.polyak.fstar=0");
        assertTrue(TheoryCheck.uncovered(polyak, polyak.chainSpec(100), 1).contains("model.loss=lad|hinge"));
        assertTrue(TheoryCheck.uncovered(gd, gd.chainSpec(100), 3).contains("MLP"), "several modules");
    }

    @Test
    void aStepAboveTheTheoremsConditionIsANoteInsteadOfABound() {
        TrainSpec big = spec();
        TheoryCheck.Result r = TheoryCheck.of(big, big.chainSpec(100), W, 0.5, 5.0, rows(1.0, 1.0, 1.0));
        assertNull(r.bound());
        assertEquals("the stepsize gamma = 0.5 exceeds 1/L = 0.2; the theorem does not cover it", r.note());
    }

    @Test
    void sgdBoundUsesTheMeasuredConstantsAndTheLowestLoss() {
        TrainSpec s = spec("optim.estimator=sgd", "optim.batch=10");
        TheoryCheck.Constants k = new TheoryCheck.Constants(100, new SmoothnessConstants(4.0, 3.0), null, Double.NaN);
        // A = L_max (N - b)/(b (N - 1)) = 4 * 90 / 990, C = 2 A min f(W_s) = 2 A * 1, lambda = 0.125, L = 5.
        double a = 4.0 * 90 / 990;
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, 5.0, null, k, rows(3.0, 4.0, 2.0, 1.0));
        assertEquals("sgd; f* <= min f(W_s) used in C", r.name());
        double expected = Math.pow(1 + 5 * 0.01 * 0.125 * a, 2) * 2 * 3.0 / (0.1 * 0.125 * 2) + 5 * 0.1 * 2 * a * 1.0;
        assertEquals(expected, r.perRow()[2], 1e-9 * expected);
        assertEquals(2.0, r.measured()[2], 0.0, "min of rows 0 and 1");
        assertNull(TheoryCheck.of(s, s.chainSpec(100), W, 0.1, 5.0, null, null, rows(3.0, 4.0)), "no constants, no bound");
    }

    @Test
    void mvrVarianceIsTwiceAOfTheHighestLossAndAStepAboveItsConditionIsANote() {
        TrainSpec s = spec("optim.estimator=mvr", "optim.batch=10", "optim.mvr.b=0.5");
        TheoryCheck.Constants k = new TheoryCheck.Constants(100, new SmoothnessConstants(4.0, 3.0), null, Double.NaN);
        double a = 4.0 * 90 / 990;
        // gamma <= 1 / (L + Ltilde (1 - b) sqrt(2 lambda / b)) = 1 / (5 + 1.5 sqrt(0.5)).
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, 5.0, null, k, rows(3.0, 4.0, 2.0, 1.0));
        assertEquals(2 * 3.0 / (0.1 * 0.125 * 2) + 2 * 0.5 * (2 * a * 3.0), r.perRow()[2], 1e-9);
        TheoryCheck.Result big = TheoryCheck.of(s, s.chainSpec(100), W, 0.2, 5.0, null, k, rows(3.0, 4.0, 2.0));
        assertNull(big.bound());
        assertTrue(big.note().contains("1 / (L + Ltilde (1 - b) sqrt(2 lambda_max / b))"), big.note());
    }

    static List<RoundRecord> lossRows(double... loss) {
        List<RoundRecord> r = new ArrayList<>();
        for (int t = 0; t < loss.length; t++) {
            r.add(new RoundRecord(t, t, 0, loss[t], 1.0, 0.1, "A", 0, 0, 0));
        }
        return r;
    }

    @Test
    void subgradientConstantStepBoundsTheBestGap() {
        TrainSpec s = spec("model.loss=lad", "optim.step.rule=constant", "optim.step.size=0.1");
        ConvexFacts facts = new ConvexFacts(2.0, "given", new org.blora.core.objective.FStar(0.5, 0.0, null, "given"),
                3.0, "given");
        // lambda = 0.125; bound R^2 / (2 gamma lambda t) + gamma L0^2 / 2 = 9 / (0.025 t) + 0.2.
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, Double.NaN, facts, null, lossRows(2.0, 1.0, 1.5, 0.6));
        assertEquals("subgrad-const-best", r.name());
        assertEquals(9 / (0.025 * 3) + 0.2, r.perRow()[3], 1e-9);
        assertEquals(0.5, r.measured()[3], 1e-12, "min of f(W_0..W_2) minus f*");
        assertTrue(r.held());
        // A loss far above f* + bound is reported as not held.
        TheoryCheck.Result bad = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, Double.NaN, facts, null, lossRows(1e4, 1e4, 1e4));
        assertFalse(bad.held());
    }

    @Test
    void subgradientBoundWithoutFStarUsesZeroAndSaysSo() {
        TrainSpec s = spec("model.loss=lad", "optim.step.rule=constant", "optim.step.size=0.1");
        ConvexFacts facts = new ConvexFacts(2.0, "given", null, 3.0, "optim.subgradient.r");
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), W, 0.1, Double.NaN, facts, null, lossRows(2.0, 1.0));
        assertEquals("subgrad-const-best; f* >= 0 used", r.name());
        assertEquals(2.0, r.measured()[1], 1e-12);
        TrainSpec polyak = spec("model.loss=lad", "optim.step.rule=polyak", "optim.polyak.fstar=0.1");
        assertNull(TheoryCheck.of(polyak, polyak.chainSpec(100), W, Double.NaN, Double.NaN,
                new ConvexFacts(2.0, "given", null, Double.NaN, "unknown"), null, lossRows(2.0, 1.0)), "no R: no bound");
    }
}
