package org.blora.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Scripted validation losses against the learning rates PyTorch's ReduceLROnPlateau gives (worked by hand). */
class ReduceLrOnPlateauTest {
    /**
     * patience 2, factor 0.5, threshold 1e-4 (relative): 9 -> 8.9995 is not an improvement (it must beat
     * 9 (1 - 1e-4) = 8.9991), so with 9 -> 9.5 it is the third bad epoch, more than the patience: halve.
     */
    @Test
    void reducesAfterMoreThanPatienceBadEpochsWithARelativeThreshold() {
        ReduceLrOnPlateau s = new ReduceLrOnPlateau(1.0, 0.5, 2, 1e-4, 0, 0.0);
        double[] values = {10, 9, 9, 8.9995, 9.5, 8.99, 9, 9, 9};
        double[] lrs = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25};
        for (int e = 0; e < values.length; e++) {
            assertEquals(lrs[e], s.step(values[e]), 0.0, "epoch " + e);
        }
        assertEquals(8.99, s.best(), 0.0);
        assertEquals(0, s.badEpochs());
    }

    /** PyTorch's default patience 10: ten flat epochs are tolerated, the eleventh reduces by 10. */
    @Test
    void defaultPatienceOfTen() {
        ReduceLrOnPlateau s = ReduceLrOnPlateau.withPatience(2e-4, 10);
        s.step(1.0);
        for (int e = 0; e < 10; e++) {
            assertEquals(2e-4, s.step(1.0), 0.0);
        }
        assertEquals(2e-5, s.step(1.0), 1e-20);
    }

    /** Cooldown 2: the two epochs after a reduction do not count, even when bad. */
    @Test
    void cooldownIgnoresBadEpochs() {
        ReduceLrOnPlateau s = new ReduceLrOnPlateau(1.0, 0.1, 0, 1e-4, 2, 0.0);
        double[] values = {5, 6, 7, 7, 7};
        double[] lrs = {1, 0.1, 0.1, 0.1, 0.01};
        for (int e = 0; e < values.length; e++) {
            assertEquals(lrs[e], s.step(values[e]), 1e-15, "epoch " + e);
        }
    }

    /** The rate stops at min lr; a decrease smaller than 1e-8 is not applied; NaN never improves. */
    @Test
    void minLrEpsAndNaN() {
        ReduceLrOnPlateau s = new ReduceLrOnPlateau(1.0, 0.1, 0, 1e-4, 0, 0.05);
        s.step(1);
        assertEquals(0.1, s.step(2), 1e-15);
        assertEquals(0.05, s.step(3), 0.0);
        assertEquals(0.05, s.step(Double.NaN), 0.0);
        ReduceLrOnPlateau tiny = new ReduceLrOnPlateau(1e-8, 0.1, 0, 1e-4, 0, 0.0);
        tiny.step(1);
        assertEquals(1e-8, tiny.step(2), 0.0);
    }

    @Test
    void stateSurvivesACheckpoint() throws Exception {
        ReduceLrOnPlateau a = new ReduceLrOnPlateau(1.0, 0.5, 1, 1e-4, 1, 0.0);
        double[] values = {3, 2, 2, 2, 2, 1, 1, 1, 1};
        for (int e = 0; e < 4; e++) {
            a.step(values[e]);
        }
        ReduceLrOnPlateau b = AdamWTest.roundTrip(a);
        for (int e = 4; e < values.length; e++) {
            assertEquals(a.step(values[e]), b.step(values[e]), 0.0);
        }
        assertEquals(a.badEpochs(), b.badEpochs());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau(1, 1.0, 10, 1e-4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau(1, 0.1, -1, 1e-4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau(1, 0.1, 10, -1e-4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau(-1, 0.1, 10, 1e-4, 0, 0));
    }
}
