package org.blora.data.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RegressionGeneratorTest {

    @Test
    void rowsAreSplitEvenlyFirstPartitionsGetTheExtra() {
        RegressionSpec s = new RegressionSpec(10, 3, 1, 0, 0.5, 0, 0, 1);
        assertEquals(4, RegressionGenerator.rowsOf(s, 0, 3));
        assertEquals(3, RegressionGenerator.rowsOf(s, 1, 3));
        assertEquals(3, RegressionGenerator.rowsOf(s, 2, 3));
        assertEquals(0, RegressionGenerator.firstRowOf(s, 0, 3));
        assertEquals(4, RegressionGenerator.firstRowOf(s, 1, 3));
        assertEquals(7, RegressionGenerator.firstRowOf(s, 2, 3));
        RegressionSpec big = new RegressionSpec(1_000_003, 3, 1, 0, 0.5, 0, 0, 1);
        for (int parts : new int[] {1, 2, 7, 244, 1000}) {
            long next = 0;
            for (int p = 0; p < parts; p++) {
                assertEquals(next, RegressionGenerator.firstRowOf(big, p, parts));
                next += RegressionGenerator.rowsOf(big, p, parts);
            }
            assertEquals(big.rows(), next);
        }
    }

    @Test
    void samePartitionTwiceGivesIdenticalBits() {
        RegressionSpec s = new RegressionSpec(1000, 300, 100, 16, 0.8, 5, 3, 9);
        double[] x1 = new double[(int) RegressionGenerator.rowsOf(s, 2, 4) * 300];
        double[] y1 = new double[(int) RegressionGenerator.rowsOf(s, 2, 4)];
        double[] x2 = x1.clone();
        double[] y2 = y1.clone();
        RegressionGenerator.generatePartition(s, 2, 4, x1, y1);
        RegressionGenerator.generatePartition(s, 2, 4, x2, y2);
        assertArrayEquals(x1, x2);
        assertArrayEquals(y1, y2);
        double[] x3 = x1.clone();
        double[] y3 = y1.clone();
        RegressionGenerator.generatePartition(s, 1, 4, x3, y3);
        assertFalse(Arrays.equals(x1, x3), "partitions 1 and 2 must differ");
        // the streaming source yields the same rows
        RegressionRows rows = RegressionGenerator.rows(s, 2, 4);
        double[] row = new double[300];
        for (int i = 0; rows.hasNext(); i++) {
            assertEquals(y1[i], rows.next(row));
            assertArrayEquals(Arrays.copyOfRange(x1, i * 300, (i + 1) * 300), row);
        }
    }

    @Test
    void noiselessLabelIsExactlyXTimesWPlusBias() {
        for (int rank : new int[] {0, 8}) {
            RegressionSpec s = new RegressionSpec(500, 40, 10, rank, 0.5, 0.0, 3.25, 5);
            double[] w = RegressionGenerator.coefficients(s);
            int rows = (int) RegressionGenerator.rowsOf(s, 1, 2);
            double[] x = new double[rows * 40];
            double[] y = new double[rows];
            RegressionGenerator.generatePartition(s, 1, 2, x, y);
            for (int i = 0; i < rows; i++) {
                double dot = 0;
                for (int j = 0; j < 40; j++) {
                    dot += x[i * 40 + j] * w[j];
                }
                assertEquals(dot + 3.25, y[i], 0.0, "row " + i);
            }
            // noise only changes the labels, never the features
            RegressionSpec noisy = new RegressionSpec(500, 40, 10, rank, 0.5, 7.0, 3.25, 5);
            double[] xn = new double[rows * 40];
            double[] yn = new double[rows];
            RegressionGenerator.generatePartition(noisy, 1, 2, xn, yn);
            assertArrayEquals(x, xn);
            assertFalse(Arrays.equals(y, yn));
        }
    }

    @Test
    void coefficientsHaveInformativeEntriesInZeroToHundred() {
        RegressionSpec s = new RegressionSpec(10, 4096, 2048, 32, 0.9, 50, 10, 84);
        double[] w = RegressionGenerator.coefficients(s);
        int nonzero = 0;
        for (double v : w) {
            assertTrue(v >= 0 && v < 100);
            if (v != 0) {
                nonzero++;
            }
        }
        assertEquals(2048, nonzero);
        // positions are random, not the first 2048
        int inFirstHalf = 0;
        for (int j = 0; j < 2048; j++) {
            if (w[j] != 0) {
                inFirstHalf++;
            }
        }
        assertTrue(inFirstHalf > 900 && inFirstHalf < 1150, "informative among first half: " + inFirstHalf);
    }

    /**
     * N = 20000 ≫ d = 64, R = 8, tail 0.5: the singular values of X follow s_i. The relative error of σ_i is of
     * order √(d/N) ≈ 0.057 (Marchenko-Pastur); measured max 0.014 (Frobenius ratio 1.0005), asserted 0.08.
     * The Frobenius norm, a sum over all entries, matches within 1%.
     */
    @Test
    void singularValuesFollowTheLowRankProfile() {
        int n = 20_000;
        int d = 64;
        RegressionSpec s = new RegressionSpec(n, d, d, 8, 0.5, 1, 0, 3);
        int parts = 3;
        double[] gram = new double[d * d];
        for (int p = 0; p < parts; p++) {
            RegressionRows rows = RegressionGenerator.rows(s, p, parts);
            double[] x = new double[d];
            while (rows.hasNext()) {
                rows.next(x);
                for (int a = 0; a < d; a++) {
                    double xa = x[a];
                    for (int b = a; b < d; b++) {
                        gram[a * d + b] += xa * x[b];
                    }
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                gram[a * d + b] = gram[b * d + a];
            }
        }
        double[] eig = Jacobi.eigenvalues(gram, d);
        double[] sigma = new double[d];
        for (int i = 0; i < d; i++) {
            sigma[i] = Math.sqrt(Math.max(0, eig[d - 1 - i]));
        }
        double[] profile = RegressionGenerator.singularProfile(s);
        double worst = 0;
        double frobX = 0;
        double frobS = 0;
        for (int i = 0; i < d; i++) {
            worst = Math.max(worst, Math.abs(sigma[i] / profile[i] - 1));
            frobX += sigma[i] * sigma[i];
            frobS += profile[i] * profile[i];
        }
        System.out.printf("singular profile N=%d d=%d R=8: max relative error %.4f, Frobenius ratio %.5f, "
                + "sigma_0=%.5f (s_0=%.5f), sigma_63=%.5f (s_63=%.5f)%n",
                n, d, worst, frobX / frobS, sigma[0], profile[0], sigma[d - 1], profile[d - 1]);
        assertTrue(worst < 0.08, "max relative error " + worst);
        assertEquals(1.0, frobX / frobS, 0.01);
    }

    @Test
    void plainGaussianFeaturesWhenRankIsZero() {
        RegressionSpec s = new RegressionSpec(20_000, 8, 8, 0, 0.5, 1, 0, 4);
        MomentStats st = MomentStats.ofPartition(s, 0, 1);
        for (int j = 0; j < 8; j++) {
            assertEquals(0.0, st.featureMeans()[j], 0.03);
            assertEquals(1.0, st.featureStds()[j], 0.03);
        }
    }

    /** Speed of one core at the paper's width; printed, not asserted. */
    @Test
    void measureGenerationSpeedAtPaperWidth() {
        RegressionSpec s = new RegressionSpec(1_000_000, 4096, 4096, 64, 0.8, 20, 0, 42);
        int parts = 250;
        RegressionRows warm = RegressionGenerator.rows(s, 1, parts);
        double[] x = new double[4096];
        for (int i = 0; i < 300; i++) {
            warm.next(x);
        }
        long t0 = System.nanoTime();
        RegressionRows rows = RegressionGenerator.rows(s, 0, parts);
        int n = 1500;
        double sink = 0;
        for (int i = 0; i < n; i++) {
            sink += rows.next(x);
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("generation speed d=4096 R=64 (structured V): %.0f rows/s on one core (%d rows in %.3f s, %s)%n",
                n / sec, n, sec, sink == 0 ? "-" : "ok");
        long t1 = System.nanoTime();
        RegressionGenerator.transform(s);
        RegressionGenerator.coefficients(s);
        System.out.printf("per-task setup (V and w for d=4096): %.2f ms%n", (System.nanoTime() - t1) / 1e6);
    }
}
