package org.blora.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.junit.jupiter.api.Test;

class SketchTest {
    private static final Shape SHAPE = new Shape(6, 9);

    private static double[] gaussian(int n, SplittableRandom rng) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextGaussian();
        }
        return out;
    }

    /** Explicit H_B = B (B^T B)^{-1} B^T for rank 2 via the 2x2 inverse: the textbook formula. */
    private static double[] explicitLeftProjector(double[] b, int m) {
        double a11 = 0, a12 = 0, a22 = 0;
        for (int i = 0; i < m; i++) {
            a11 += b[i * 2] * b[i * 2];
            a12 += b[i * 2] * b[i * 2 + 1];
            a22 += b[i * 2 + 1] * b[i * 2 + 1];
        }
        double det = a11 * a22 - a12 * a12;
        double i11 = a22 / det, i12 = -a12 / det, i22 = a11 / det;
        double[] h = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double bi0 = b[i * 2], bi1 = b[i * 2 + 1], bj0 = b[j * 2], bj1 = b[j * 2 + 1];
                h[i * m + j] = bi0 * (i11 * bj0 + i12 * bj1) + bi1 * (i12 * bj0 + i22 * bj1);
            }
        }
        return h;
    }

    @Test
    void trainedFactorStepEqualsProjectedStepLeft() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] g = gaussian(SHAPE.size(), rng);
        double[] bS = gaussian(SHAPE.m() * 2, rng);
        double gamma = 0.37;
        Link link = Sketch.left(SHAPE, bS, 2).step(g, gamma);
        double[] delta = new double[SHAPE.size()];
        link.addTo(delta);
        double[] h = explicitLeftProjector(bS, SHAPE.m());
        for (int i = 0; i < SHAPE.m(); i++) {
            for (int j = 0; j < SHAPE.n(); j++) {
                double hg = 0;
                for (int k = 0; k < SHAPE.m(); k++) {
                    hg += h[i * SHAPE.m() + k] * g[k * SHAPE.n() + j];
                }
                assertEquals(-gamma * hg, delta[i * SHAPE.n() + j], 1e-12);
            }
        }
        assertEquals(Side.A, link.side);
        assertEquals(2 * SHAPE.n(), link.trainedParams());
    }

    @Test
    void trainedFactorStepEqualsProjectedStepRight() {
        SplittableRandom rng = new SplittableRandom(8);
        double[] g = gaussian(SHAPE.size(), rng);
        double[] aS = gaussian(2 * SHAPE.n(), rng);
        double gamma = 0.5;
        Link link = Sketch.right(SHAPE, aS, 2).step(g, gamma);
        double[] delta = new double[SHAPE.size()];
        link.addTo(delta);
        // G H_A = (H_A G^T)^T, and H_A is the left projector of A_S^T (n x 2).
        double[] aT = new double[SHAPE.n() * 2];
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < SHAPE.n(); j++) {
                aT[j * 2 + k] = aS[k * SHAPE.n() + j];
            }
        }
        double[] h = explicitLeftProjector(aT, SHAPE.n());
        for (int i = 0; i < SHAPE.m(); i++) {
            for (int j = 0; j < SHAPE.n(); j++) {
                double gh = 0;
                for (int k = 0; k < SHAPE.n(); k++) {
                    gh += g[i * SHAPE.n() + k] * h[k * SHAPE.n() + j];
                }
                assertEquals(-gamma * gh, delta[i * SHAPE.n() + j], 1e-12);
            }
        }
        assertEquals(Side.B, link.side);
        assertEquals(SHAPE.m() * 2, link.trainedParams());
    }

    @Test
    void projectorsAreIdempotent() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] g = gaussian(SHAPE.size(), rng);
        double[] bS = gaussian(SHAPE.m() * 3, rng);
        double[] once = Sketch.left(SHAPE, bS, 3).projectedGradient(g);
        double[] twice = Sketch.left(SHAPE, bS, 3).projectedGradient(once);
        for (int i = 0; i < once.length; i++) {
            assertEquals(once[i], twice[i], 1e-12);
        }
    }

    /**
     * E[H_B] = (r/m) I for Gaussian B_S (Appendix B). Each entry of the Monte Carlo mean of H has standard
     * deviation at most 1/sqrt(draws) (entries of a projector lie in [-1, 1]); we allow 5 standard errors.
     */
    @Test
    void expectedProjectorIsRankOverDimensionTimesIdentity() {
        int m = 8;
        int r = 2;
        int draws = 40_000;
        Shape shape = new Shape(m, m);
        SplittableRandom rng = new SplittableRandom(11);
        double[] identity = new double[m * m];
        for (int i = 0; i < m; i++) {
            identity[i * m + i] = 1.0;
        }
        double[] meanLeft = new double[m * m];
        double[] meanRight = new double[m * m];
        GaussianSketch sketch = new GaussianSketch();
        for (int s = 0; s < draws; s++) {
            double[] hb = Sketch.left(shape, sketch.sampleLeft(m, r, rng), r).projectedGradient(identity);
            double[] ha = Sketch.right(shape, sketch.sampleRight(r, m, rng), r).projectedGradient(identity);
            for (int i = 0; i < m * m; i++) {
                meanLeft[i] += hb[i] / draws;
                meanRight[i] += ha[i] / draws;
            }
        }
        double tol = 5.0 / Math.sqrt(draws);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double expected = i == j ? (double) r / m : 0.0;
                assertEquals(expected, meanLeft[i * m + j], tol, "E[H_B] entry " + i + "," + j);
                assertEquals(expected, meanRight[i * m + j], tol, "E[H_A] entry " + i + "," + j);
            }
        }
        assertTrue(tol < 0.03);
    }
}
