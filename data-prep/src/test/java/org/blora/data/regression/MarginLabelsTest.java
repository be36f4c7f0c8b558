package org.blora.data.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Sign labels with a margin: every generated row ends at least the margin from the hyperplane on its label's side,
 * so W* = u / margin has all margins >= 1 (hinge loss 0); rows already far from it are not moved.
 */
class MarginLabelsTest {
    private static final RegressionSpec SPEC = new RegressionSpec(500, 12, 12, 0, 0.5, 1.0, 0.0, 9);

    @Test
    void everyRowIsSeparatedWithTheMargin() {
        MarginLabels labels = new MarginLabels(SPEC, 0.2);
        double[] wStar = labels.minimiser();
        RegressionRows rows = RegressionGenerator.rows(SPEC, 0, 1);
        double[] x = new double[12];
        int moved = 0;
        int plus = 0;
        for (int i = 0; i < 500; i++) {
            rows.next(x);
            double[] before = x.clone();
            double y = labels.label(x);
            assertTrue(y == 1.0 || y == -1.0);
            plus += y > 0 ? 1 : 0;
            double margin = 0;
            for (int j = 0; j < 12; j++) {
                margin += y * x[j] * wStar[j];
            }
            assertTrue(margin >= 1.0 - 1e-12, "row " + i + " margin " + margin);
            moved += java.util.Arrays.equals(before, x) ? 0 : 1;
        }
        // About 16% of N(0, 1) projections fall within 0.2 of zero; both classes occur.
        assertTrue(moved > 40 && moved < 130, "moved " + moved);
        assertTrue(plus > 150 && plus < 350, "plus " + plus);
        double norm = 0;
        for (double v : wStar) {
            norm += v * v;
        }
        assertEquals(5.0, Math.sqrt(norm), 1e-12, "||W*|| = 1 / margin");
    }

    @Test
    void needsAPositiveMarginAndNonZeroCoefficients() {
        assertThrows(IllegalArgumentException.class, () -> new MarginLabels(SPEC, 0.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MarginLabels(new RegressionSpec(10, 4, 0, 0, 0.5, 1.0, 0.0, 1), 0.1));
        assertTrue(e.getMessage().contains("data.informative"), e.getMessage());
    }
}
