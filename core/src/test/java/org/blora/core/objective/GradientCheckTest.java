package org.blora.core.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.train.TestProblems;
import org.junit.jupiter.api.Test;

/** Central finite differences against every analytic gradient (data term, minibatch rows, regulariser). */
class GradientCheckTest {
    private static final double H = 1e-6;

    @Test
    void leastSquaresFullAndRowGradients() {
        List<List<DataBlock>> data = TestProblems.regression(50, 6, 1, 3, 0.3);
        DataBlock b = data.get(0).get(0);
        LeastSquares loss = new LeastSquares();
        double[] w = new SplittableRandom(1).doubles(6, -1, 1).toArray();
        double[] g = new double[6];
        loss.accumulate(b, w, g);
        int[] rows = {3, 7, 19};
        double[] gr = new double[6];
        loss.accumulateRows(b, rows, 0, rows.length, w, gr, 0);
        for (int j = 0; j < 6; j++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[j] += H;
            wm[j] -= H;
            double fd = (loss.accumulate(b, wp, new double[6]) - loss.accumulate(b, wm, new double[6])) / (2 * H);
            assertEquals(fd, g[j], 1e-6 * Math.max(1, Math.abs(fd)));
            double fdr = (loss.accumulateRows(b, rows, 0, 3, wp, new double[6], 0)
                    - loss.accumulateRows(b, rows, 0, 3, wm, new double[6], 0)) / (2 * H);
            assertEquals(fdr, gr[j], 1e-6 * Math.max(1, Math.abs(fdr)));
        }
    }

    @Test
    void gramTimesIsTheGradientOfTheQuadraticForm() {
        List<List<DataBlock>> data = TestProblems.regression(40, 5, 1, 4, 0.0);
        DataBlock b = data.get(0).get(0);
        double[] v = {0.3, -1, 2, 0.5, -0.2};
        double[] out = new double[5];
        new LeastSquares().addGramTimes(b, v, out);
        for (int j = 0; j < 5; j++) {
            double s = 0;
            for (int i = 0; i < b.rows; i++) {
                double xv = 0;
                for (int k = 0; k < 5; k++) {
                    xv += b.x[i * 5 + k] * v[k];
                }
                s += b.x[i * 5 + j] * xv;
            }
            assertEquals(s, out[j], 1e-10 * Math.max(1, Math.abs(s)));
        }
    }

    @Test
    void regulariserGradient() {
        NonConvexRegularizer reg = new NonConvexRegularizer(2.5);
        double[] w = {-2, -0.5, 0, 0.3, 1.7};
        double[] g = new double[5];
        reg.addGradient(w, 1.0, g);
        for (int j = 0; j < 5; j++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[j] += H;
            wm[j] -= H;
            double fd = (reg.value(wp) - reg.value(wm)) / (2 * H);
            assertEquals(fd, g[j], 1e-7);
        }
    }
}
