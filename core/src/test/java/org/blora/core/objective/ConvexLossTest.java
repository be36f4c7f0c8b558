package org.blora.core.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.junit.jupiter.api.Test;

/**
 * Least absolute deviations and hinge: subgradients equal central finite differences where the loss is
 * differentiable, and satisfy the subgradient inequality f(v) >= f(w) + g . (v - w) at a constructed kink
 * (which a vector outside the subdifferential violates: the check can fail).
 */
class ConvexLossTest {
    private static final int D = 5;
    private static final double H = 1e-6;

    private static DataBlock block(int rows, long seed, boolean pmOneLabels) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[rows * D];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < D; j++) {
                x[i * D + j] = rng.nextGaussian();
            }
            y[i] = pmOneLabels ? (rng.nextBoolean() ? 1.0 : -1.0) : rng.nextGaussian();
        }
        return new DataBlock(0, 100, rows, D, x, y);
    }

    private static double value(DataLoss loss, DataBlock b, double[] w) {
        return loss.accumulate(b, w, new double[D]);
    }

    private static void assertFiniteDifferences(DataLoss loss, DataBlock b, double[] w) {
        double[] g = new double[D];
        loss.accumulate(b, w, g);
        for (int j = 0; j < D; j++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[j] += H;
            wm[j] -= H;
            double fd = (value(loss, b, wp) - value(loss, b, wm)) / (2 * H);
            assertEquals(fd, g[j], 1e-6 * Math.max(1, Math.abs(fd)), "coordinate " + j);
        }
    }

    /** max over random v of f(w) + g . (v - w) - f(v): <= 0 (up to rounding) iff g passes as a subgradient. */
    private static double worstSubgradientViolation(DataLoss loss, DataBlock b, double[] w, double[] g) {
        SplittableRandom rng = new SplittableRandom(11);
        double fw = value(loss, b, w);
        double worst = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 2000; k++) {
            double scale = k % 2 == 0 ? 1e-3 : 1.0;
            double[] v = w.clone();
            double lin = fw;
            for (int j = 0; j < D; j++) {
                double step = scale * rng.nextGaussian();
                v[j] += step;
                lin += g[j] * step;
            }
            worst = Math.max(worst, lin - value(loss, b, v));
        }
        return worst;
    }

    @Test
    void leastAbsoluteDeviationsMatchesFiniteDifferencesAwayFromKinks() {
        DataBlock b = block(30, 1, false);
        double[] w = new SplittableRandom(2).doubles(D, -1, 1).toArray();
        assertFiniteDifferences(new LeastAbsoluteDeviations(), b, w);
    }

    @Test
    void hingeMatchesFiniteDifferencesAwayFromKinks() {
        DataBlock b = block(30, 3, true);
        double[] w = new SplittableRandom(4).doubles(D, -1, 1).toArray();
        assertFiniteDifferences(new Hinge(), b, w);
    }

    @Test
    void trainingModeEqualsEvaluationOnTheSameRows() {
        for (DataLoss loss : new DataLoss[] {new LeastAbsoluteDeviations(), new Hinge()}) {
            DataBlock b = block(20, 5, true);
            double[] w = new SplittableRandom(6).doubles(D, -1, 1).toArray();
            double[] gAll = new double[D];
            double fAll = loss.accumulate(b, w, gAll);
            int[] rows = new int[b.rows];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rows.length - 1 - i;
            }
            double[] gRows = new double[D];
            double fRows = loss.accumulateRows(b, rows, 0, rows.length, w, gRows, 7);
            assertEquals(fAll, fRows, 1e-12);
            assertArrayEquals(gAll, gRows, 1e-12);
        }
    }

    @Test
    void leastAbsoluteDeviationsSubgradientAtAKink() {
        DataBlock b = block(30, 7, false);
        double[] w = new SplittableRandom(8).doubles(D, -1, 1).toArray();
        // Row 4 passes exactly through w: its residual is 0, f is not differentiable there, sign(0) = 0.
        b.y[4] = Dense.dot(D, b.x, 4 * D, w, 0);
        DataLoss loss = new LeastAbsoluteDeviations();
        double[] g = new double[D];
        loss.accumulate(b, w, g);
        assertTrue(worstSubgradientViolation(loss, b, w, g) <= 1e-12, "sign(0) x_4 lies in [-1, 1] x_4");
        double[] broken = g.clone();
        Dense.axpy(D, 1.5, b.x, 4 * D, broken, 0); // 1.5 x_4 is outside [-1, 1] x_4
        assertTrue(worstSubgradientViolation(loss, b, w, broken) > 1e-6, "the check rejects a non-subgradient");
    }

    @Test
    void hingeSubgradientAtAKink() {
        DataBlock b = block(30, 9, true);
        double[] w = {1.0, 2.0, -0.5, 0.25, 3.0};
        // Row 6 has margin y x . w = 1 exactly (dyadic numbers, so no rounding): the hinge's kink.
        double[] x6 = {0.5, 0.25, 0.0, 0.0, 0.0};
        System.arraycopy(x6, 0, b.x, 6 * D, D);
        b.y[6] = 1.0;
        DataLoss loss = new Hinge();
        double[] g = new double[D];
        loss.accumulate(b, w, g);
        assertTrue(worstSubgradientViolation(loss, b, w, g) <= 1e-12, "0 lies in [-1, 0] y_6 x_6");
        double[] withRow = g.clone();
        Dense.axpy(D, -1.0, x6, 0, withRow, 0); // the other end, -y_6 x_6, is also valid
        assertTrue(worstSubgradientViolation(loss, b, w, withRow) <= 1e-12);
        double[] broken = g.clone();
        Dense.axpy(D, 1.0, x6, 0, broken, 0); // +y_6 x_6 is outside
        assertTrue(worstSubgradientViolation(loss, b, w, broken) > 1e-6, "the check rejects a non-subgradient");
    }

    @Test
    void hingeRejectsALabelOutsidePlusMinusOne() {
        DataBlock b = block(10, 10, true);
        b.y[3] = 0.0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Hinge().accumulate(b, new double[D], new double[D]));
        assertTrue(e.getMessage().contains("labels -1 or +1, row 103 has 0.0"), e.getMessage());
    }

    @Test
    void lipschitzConstantBoundsEverySubgradient() {
        DataBlock b = block(40, 12, true);
        double l0 = Lipschitz.meanRowNorm(List.of(b));
        SplittableRandom rng = new SplittableRandom(13);
        for (DataLoss loss : new DataLoss[] {new LeastAbsoluteDeviations(), new Hinge()}) {
            double largest = 0.0;
            for (int k = 0; k < 200; k++) {
                double[] g = new double[D];
                loss.accumulate(b, rng.doubles(D, -3, 3).toArray(), g);
                largest = Math.max(largest, Math.sqrt(Dense.normSq(g)) / b.rows);
            }
            assertTrue(largest <= l0, largest + " > " + l0);
            assertFalse(largest < 0.2 * l0, "the bound is not vacuous: " + largest + " vs " + l0);
        }
    }
}
