package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RandKTest implements UnbiasedContract {

    private static final double FRACTION = 0.1;

    @Override
    public RandK compressor() {
        return new RandK(FRACTION);
    }

    @Override
    public long expectedBits(int d) {
        long k = Math.max(1, Math.round(FRACTION * d));
        return k * (64 + Vectors.ceilLog2(d));
    }

    /** k = max(1, round(f d)); bits = k (64 + ceil(log2 d)); values written out by hand. */
    @ParameterizedTest(name = "d={0}, f={1}: k={2}, bits={3}")
    @CsvSource({
        "1, 0.5, 1, 64",
        "2, 0.5, 1, 65",
        "1000, 0.01, 10, 740",
        "1024, 0.25, 256, 18944",
        "1025, 0.001, 1, 75",
        "16777216, 0.001, 16777, 1476376",
        "7, 1.0, 7, 469"})
    void bitsForSeveralDimensionsAndK(int d, double f, int k, long bits) {
        RandK c = new RandK(f);
        assertEquals(k, c.k(d));
        if (d <= 4096) {
            CompressedMessage m = c.compress(Vectors.sample(d, 40), new SplittableRandom(1));
            assertEquals(bits, m.bits());
            assertEquals(k, ((SparseMessage) m).size());
        } else {
            assertEquals(bits, (long) k * (64 + WireFormat.indexBits(d)));
        }
    }

    @Test
    void keptValuesAreTheInputScaledByDOverK() {
        double[] x = Vectors.sample(1000, 41);
        SparseMessage m = (SparseMessage) compressor().compress(x, new SplittableRandom(3));
        int[] idx = m.indices();
        double[] values = m.values();
        for (int j = 0; j < idx.length; j++) {
            assertEquals(10.0 * x[idx[j]], values[j], 0.0);
        }
    }

    /** Rand-K meets its ω with equality, so the check is two-sided here: E||Q − x||² = (d/k − 1)||x||². */
    @Test
    void meanSquaredErrorEqualsOmegaExactlyInExpectation() {
        double[] x = statisticsVector();
        double target = compressor().omega(x.length) * Vectors.squaredNorm(x);
        MonteCarlo.Estimate e = MonteCarlo.squaredError(compressor(), x, draws(), 1004);
        assertTrue(Math.abs(e.mean() - target) <= MonteCarlo.Z * e.standardError(),
                "empirical " + e.mean() + " vs " + target + " (SE " + e.standardError() + ")");
    }

    @Test
    void omegaIsDOverKMinusOne() {
        assertEquals(9.0, new RandK(0.1).omega(1000), 0.0);
        assertEquals(0.0, new RandK(1.0).omega(17), 0.0);
        assertEquals(2.0, new RandK(0.3).omega(3), 0.0);
    }

    @ParameterizedTest
    @CsvSource({"10, 1", "10, 9", "1000, 3", "1000, 31", "1000, 32", "1000, 500", "100000, 100", "1, 1", "5, 5"})
    void samplesAreDistinctSortedAndInRange(int d, int k) {
        for (long seed = 0; seed < 50; seed++) {
            int[] s = RandK.sample(d, k, new SplittableRandom(seed));
            assertEquals(k, s.length);
            for (int j = 0; j < k; j++) {
                assertTrue(s[j] >= 0 && s[j] < d);
                assertTrue(j == 0 || s[j - 1] < s[j], "strictly increasing");
            }
        }
    }

    /** Both set structures consume the same draws, so the chosen set does not depend on the k/d switch. */
    @ParameterizedTest
    @CsvSource({"10, 3", "1000, 20", "1000, 700", "65536, 64"})
    void hashedAndBitSetFloydAgree(int d, int k) {
        for (long seed = 0; seed < 20; seed++) {
            assertArrayEquals(RandK.floydBitSet(d, k, new SplittableRandom(seed)),
                    RandK.floydHashed(d, k, new SplittableRandom(seed)));
        }
    }

    /** Every index is kept with probability k/d (Floyd's sampler is uniform). */
    @Test
    void inclusionFrequenciesAreUniform() {
        int d = 20;
        int k = 3;
        int n = 40_000;
        int[] count = new int[d];
        SplittableRandom rng = new SplittableRandom(42);
        for (int t = 0; t < n; t++) {
            for (int i : RandK.floydHashed(d, k, rng)) {
                count[i]++;
            }
        }
        double p = (double) k / d;
        double se = Math.sqrt(n * p * (1 - p));
        for (int i = 0; i < d; i++) {
            assertTrue(Math.abs(count[i] - n * p) <= MonteCarlo.Z * se, "index " + i + ": " + count[i]);
        }
    }

    @Test
    void smallKOnAHugeVectorKeepsExactlyKDistinctCoordinates() {
        double[] x = new double[1 << 22];
        x[12345] = 2.0;
        for (int t = 0; t < 100; t++) {
            SparseMessage m = (SparseMessage) new RandK(1e-6).compress(x, new SplittableRandom(t));
            assertEquals(4, m.size());
            assertEquals(4, java.util.Arrays.stream(m.indices()).distinct().count());
        }
    }

    @Test
    void rejectsFractionsOutsideZeroOne() {
        for (double f : new double[] {0.0, -0.1, 1.01, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RandK(f));
            assertTrue(e.getMessage().contains("fed.compressor.k"), e.getMessage());
        }
    }
}
