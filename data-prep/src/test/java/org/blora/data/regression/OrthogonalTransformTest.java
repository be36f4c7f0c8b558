package org.blora.data.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OrthogonalTransformTest {

    /** max |VᵀV − I| over all entries, V built column by column as V e_j. */
    static double orthogonalityError(OrthogonalTransform v) {
        int d = v.dimension();
        double[][] cols = new double[d][];
        for (int j = 0; j < d; j++) {
            double[] e = new double[d];
            e[j] = 1;
            v.apply(e);
            cols[j] = e;
        }
        double worst = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += cols[a][i] * cols[b][i];
                }
                worst = Math.max(worst, Math.abs(dot - (a == b ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void structuredTransformIsOrthogonalOnSmallDimensions() {
        for (int d : new int[] {1, 2, 64, 100, 300}) {
            double err = orthogonalityError(StructuredHadamardTransform.random(d, new SplittableRandom(d)));
            assertTrue(err < 1e-12, "d=" + d + " max|VᵀV-I|=" + err);
        }
    }

    @Test
    void denseTransformIsOrthogonal() {
        for (int d : new int[] {1, 7, 50, 256}) {
            double err = orthogonalityError(DenseOrthogonalTransform.random(d, new SplittableRandom(d)));
            assertTrue(err < 1e-12, "d=" + d + " max|VᵀV-I|=" + err);
        }
    }

    @Test
    void normIsPreservedAtPaperSize() {
        for (int d : new int[] {4096, 5000}) {
            OrthogonalTransform v = OrthogonalTransform.random(d, new SplittableRandom(7));
            SplittableRandom rng = new SplittableRandom(11);
            for (int t = 0; t < 20; t++) {
                double[] x = new double[d];
                for (int i = 0; i < d; i++) {
                    x[i] = rng.nextGaussian() * (1 + i % 5);
                }
                double before = norm(x);
                v.apply(x);
                assertEquals(1.0, norm(x) / before, 1e-12, "d=" + d);
            }
        }
    }

    @Test
    void structuredTransformMixesEveryCoordinate() {
        int d = 4096;
        OrthogonalTransform v = OrthogonalTransform.random(d, new SplittableRandom(3));
        double[] e = new double[d];
        e[123] = 1;
        v.apply(e);
        double maxAbs = 0;
        for (double x : e) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        // a basis vector is spread over all coordinates: no entry keeps more than a small share of the energy
        assertTrue(maxAbs < 0.1, "max |V e_j| entry " + maxAbs);
    }

    @Test
    void sameStreamGivesSameTransform() {
        double[] a = basisImage(OrthogonalTransform.random(4096, new SplittableRandom(5)));
        double[] b = basisImage(OrthogonalTransform.random(4096, new SplittableRandom(5)));
        assertArrayEquals(a, b);
    }

    private static double[] basisImage(OrthogonalTransform v) {
        double[] e = new double[v.dimension()];
        e[0] = 1;
        v.apply(e);
        return e;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
