package org.blora.core.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The certified f* of least absolute deviations and the synthetic problems' known minima. */
class ReferenceSolveTest {

    @Test
    void noisyLadIsSolvedWithAnExactCertificate() {
        for (int[] nd : new int[][] {{60, 12}, {200, 48}, {400, 10}}) {
            ConvexProblem p = ConvexProblem.lad(nd[0], nd[1], 0.5, nd[0] + nd[1]);
            FStar f = p.fStar();
            assertTrue(f.accuracy() <= 1e-12, nd[0] + "x" + nd[1] + ": certified gap " + f.accuracy());
            assertEquals(p.value(f.minimiser()), f.value(), 1e-15);
            // No point does better than the certified lower bound, near the minimiser or far from it.
            SplittableRandom rng = new SplittableRandom(1);
            for (int k = 0; k < 500; k++) {
                double scale = k % 2 == 0 ? 1e-4 : 1.0;
                double[] w = f.minimiser().clone();
                for (int j = 0; j < w.length; j++) {
                    w[j] += scale * rng.nextGaussian();
                }
                assertTrue(p.value(w) >= f.value() - f.accuracy() - 1e-14, "f(w) = " + p.value(w) + " < f* = " + f.value());
            }
        }
    }

    @Test
    void knownMinimaAreMinima() {
        ConvexProblem lad = ConvexProblem.noiselessLad(50, 8, 2);
        assertEquals(0.0, lad.value(lad.fStar().minimiser()), 1e-13);
        ConvexProblem hinge = ConvexProblem.separableHinge(80, 8, 0.2, 3);
        assertEquals(0.0, hinge.value(hinge.fStar().minimiser()));
        DataBlock b = hinge.data();
        for (int i = 0; i < b.rows; i++) {
            double margin = 0.0;
            for (int j = 0; j < b.cols; j++) {
                margin += b.y[i] * b.x[i * b.cols + j] * hinge.fStar().minimiser()[j];
            }
            assertTrue(margin >= 1.0 - 1e-12, "row " + i + " margin " + margin);
        }
    }

    @Test
    void tooFewRowsIsOneClearLine() {
        DataBlock b = new DataBlock(0, 0, 3, 5, new double[15], new double[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceSolve.leastAbsoluteDeviations(List.of(b)));
        assertEquals("a reference solve of least absolute deviations needs at least as many rows as columns, got 3"
                + " rows and 5 columns", e.getMessage());
    }
}
