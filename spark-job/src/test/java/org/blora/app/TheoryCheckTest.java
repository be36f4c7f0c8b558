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
        TrainSpec big = spec();
        assertNull(TheoryCheck.of(big, big.chainSpec(100), W, 0.5, 5.0, rows(1.0, 1.0, 1.0)), "gamma above 1/L");
    }
}
