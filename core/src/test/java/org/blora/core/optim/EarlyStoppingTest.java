package org.blora.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scripted validation losses against Lightning's EarlyStopping(monitor="val_loss", mode="min"), by hand. */
class EarlyStoppingTest {
    /** Patience 3, min delta 0: an equal value is not an improvement; the third check in a row without one stops. */
    @Test
    void stopsAfterPatienceChecksWithoutImprovement() {
        EarlyStopping s = new EarlyStopping(3);
        double[] values = {5, 4, 4, 4.5, 3.9, 3.9, 4, 4};
        boolean[] stop = {false, false, false, false, false, false, false, true};
        int[] wait = {0, 0, 1, 2, 0, 1, 2, 3};
        for (int e = 0; e < values.length; e++) {
            assertEquals(stop[e], s.update(values[e]), "check " + e);
            assertEquals(wait[e], s.waitCount(), "check " + e);
        }
        assertEquals(3.9, s.best(), 0.0);
        assertTrue(s.stopped());
    }

    /** Min delta 0.1: an improvement must beat the best by more than 0.1. */
    @Test
    void minDelta() {
        EarlyStopping s = new EarlyStopping(2, 0.1);
        assertFalse(s.update(4.0));
        assertFalse(s.update(3.95));
        assertEquals(1, s.waitCount());
        assertFalse(s.update(3.8));
        assertEquals(0, s.waitCount());
        assertEquals(3.8, s.best(), 0.0);
        assertFalse(s.update(3.75));
        assertTrue(s.update(3.71));
    }

    /** A non-finite value stops at once (Lightning's check_finite); patience 0 stops at the first bad check. */
    @Test
    void nonFiniteStopsAtOnceAndPatienceZero() {
        EarlyStopping s = new EarlyStopping(40);
        assertFalse(s.update(1.0));
        assertTrue(s.update(Double.NaN));
        EarlyStopping z = new EarlyStopping(0);
        assertFalse(z.update(1.0));
        assertFalse(z.update(0.5));
        assertTrue(z.update(0.5));
    }

    @Test
    void stateSurvivesACheckpoint() throws Exception {
        EarlyStopping a = new EarlyStopping(3);
        a.update(2);
        a.update(2);
        EarlyStopping b = AdamWTest.roundTrip(a);
        assertEquals(1, b.waitCount());
        assertFalse(b.update(2));
        assertTrue(b.update(2));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(-1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(3, -0.1));
    }
}
