package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NaturalCompressionTest implements UnbiasedContract {

    @Override
    public NaturalCompression compressor() {
        return new NaturalCompression();
    }

    @Override
    public long expectedBits(int d) {
        return 12L * d;
    }

    /** Worst case of the ω = 1/8 bound: every mantissa is 1/3 (x = ±2^e · 4/3), where the bound is tight. */
    @Override
    public double[] statisticsVector() {
        double[] x = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? 1 : -1) * Math.scalb(4.0 / 3.0, i - 20);
        }
        return x;
    }

    @Test
    void boundIsAttainedAtMantissaOneThird() {
        double[] x = statisticsVector();
        MonteCarlo.Estimate e = MonteCarlo.squaredError(compressor(), x, draws(), 1005);
        double target = Vectors.squaredNorm(x) / 8.0;
        assertTrue(Math.abs(e.mean() - target) <= MonteCarlo.Z * e.standardError() + 1e-12 * target,
                "empirical " + e.mean() + " vs tight bound " + target);
    }

    @Test
    void everyEntryGoesToOneOfItsTwoNeighbouringPowersOfTwoWithTheSameSign() {
        double[] x = Vectors.sample(2000, 60);
        for (long seed = 0; seed < 20; seed++) {
            double[] q = compressor().compress(x, new SplittableRandom(seed)).toDense();
            for (int i = 0; i < x.length; i++) {
                if (x[i] == 0.0) {
                    assertEquals(0.0, q[i], 0.0);
                    continue;
                }
                double lower = Math.scalb(1.0, Math.getExponent(x[i]));
                double a = Math.abs(q[i]);
                assertTrue(a == lower || a == 2 * lower, x[i] + " -> " + q[i]);
                assertEquals(Math.signum(x[i]), Math.signum(q[i]), 0.0);
            }
        }
    }

    @Test
    void powersOfTwoAndZerosAreExactAndDrawNoRandomness() {
        double[] x = {0.0, -0.0, 1.0, -0.5, 1024.0, Double.MIN_NORMAL, -Math.scalb(1.0, 1023)};
        SplittableRandom rng = new SplittableRandom(61);
        double[] q = compressor().compress(x, rng).toDense();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.abs(x[i]), Math.abs(q[i]), 0.0);
        }
        assertEquals(new SplittableRandom(61).nextLong(), rng.nextLong(), "no draw consumed");
    }

    /** Subnormals round between 0 and ±2^-1022, unbiasedly. */
    @Test
    void subnormalsRoundToZeroOrMinNormalWithoutBias() {
        double x = -Double.MIN_NORMAL / 4;
        int n = 40_000;
        int up = 0;
        SplittableRandom rng = new SplittableRandom(62);
        for (int t = 0; t < n; t++) {
            double q = compressor().compress(new double[] {x}, rng).toDense()[0];
            assertTrue(q == 0.0 || q == -Double.MIN_NORMAL, "got " + q);
            if (q != 0.0) {
                up++;
            }
        }
        double se = Math.sqrt(n * 0.25 * 0.75);
        assertTrue(Math.abs(up - 0.25 * n) <= MonteCarlo.Z * se, "rounded up " + up + " of " + n);
    }

    @Test
    void meanIsExactForEntriesAcrossTheWholeExponentRange() {
        double[] x = {Math.scalb(1.7, 1000), Math.scalb(-1.1, -1000), 7.0, -0.1};
        assertNull(MonteCarlo.biasViolation(MonteCarlo.coordinateMeans(compressor(), x, 20_000, 1006), x));
    }

    @Test
    void rejectsEntriesThatWouldOverflowAndNonFiniteEntries() {
        for (double bad : new double[] {Double.MAX_VALUE, -Math.scalb(1.5, 1023), Double.NaN,
                Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> compressor().compress(new double[] {1.0, bad}, new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
        }
    }
}
