package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.train.RoundRecord;
import org.junit.jupiter.api.Test;

/** Each measure after t rounds, from the rows of rounds before t (index t, NaN at 0), and its lookup by description. */
class MeasureTest {
    private static final double NAN = Double.NaN;

    private static List<RoundRecord> rows(double[] loss, double[] gradNormSq) {
        List<RoundRecord> r = new ArrayList<>();
        for (int t = 0; t < loss.length; t++) {
            r.add(new RoundRecord(t, t, 0, loss[t], gradNormSq[t], 0.1, "A", 0, 0, 0));
        }
        return r;
    }

    @Test
    void everyRowMeasureFromTheRoundsBehind() {
        List<RoundRecord> r = rows(new double[] {4, 2, 3, 1}, new double[] {8, 2, 5, 0.5});
        assertArrayEquals(new double[] {NAN, 8, 5, 5}, Measure.GRAD_SQ_AVERAGE.observed(r, 0), 0);
        assertArrayEquals(new double[] {NAN, 8, 2, 2}, Measure.GRAD_SQ_MIN.observed(r, 0), 0);
        assertArrayEquals(new double[] {NAN, 3, 1, 1}, Measure.GAP_BEST.observed(r, 1), 0);
        assertArrayEquals(new double[] {NAN, 1, 2, 0}, Measure.GAP_LAST.observed(r, 1), 0);
        assertThrows(IllegalStateException.class, () -> Measure.GAP_AVERAGE_ITERATE.observed(r, 0));
    }

    @Test
    void aMeasureIsFoundByItsDescription() {
        for (Measure m : Measure.values()) {
            assertEquals(m, Measure.described(m.description));
        }
        assertThrows(IllegalArgumentException.class, () -> Measure.described("f(W_T)"));
    }
}
