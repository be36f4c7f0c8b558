package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopKTest implements ContractiveContract {

    private static final double FRACTION = 0.2;

    @Override
    public TopK compressor() {
        return new TopK(FRACTION);
    }

    @Override
    public long expectedBits(int d) {
        return Math.max(1, Math.round(FRACTION * d)) * (64L + Vectors.ceilLog2(d));
    }

    @Override
    public int contractionDraws() {
        return 100;
    }

    @ParameterizedTest(name = "d={0}, f={1}: k={2}, bits={3}")
    @CsvSource({"1, 0.3, 1, 64", "3, 0.5, 2, 132", "1000, 0.01, 10, 740", "4096, 0.05, 205, 15580", "513, 0.002, 1, 74"})
    void bitsForSeveralDimensionsAndK(int d, double f, int k, long bits) {
        TopK c = new TopK(f);
        assertEquals(k, c.k(d));
        CompressedMessage m = c.compress(Vectors.sample(d, 50), new SplittableRandom(1));
        assertEquals(bits, m.bits());
        assertEquals(k, ((SparseMessage) m).size());
    }

    /** Reference: sort all indices by (|x| descending, index ascending), keep the first k. */
    private static int[] reference(double[] x, int k) {
        return IntStream.range(0, x.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -Math.abs(x[i])).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    @Test
    void selectsTheSameIndicesAsAFullSortIncludingTies() {
        SplittableRandom r = new SplittableRandom(51);
        for (int trial = 0; trial < 300; trial++) {
            int d = 1 + r.nextInt(200);
            double[] x = new double[d];
            boolean manyTies = trial % 2 == 0;
            for (int i = 0; i < d; i++) {
                x[i] = manyTies ? (r.nextInt(7) - 3) * 0.5 : r.nextGaussian();
            }
            double f = 0.001 + r.nextDouble() * 0.999;
            TopK c = new TopK(f);
            SparseMessage m = (SparseMessage) c.compress(x, new SplittableRandom(0));
            assertArrayEquals(reference(x, c.k(d)), m.indices(), "trial " + trial + " d=" + d + " f=" + f);
            double[] values = m.values();
            int[] idx = m.indices();
            for (int j = 0; j < idx.length; j++) {
                assertEquals(x[idx[j]], values[j], 0.0);
            }
        }
    }

    @Test
    void tiesGoToTheSmallerIndex() {
        double[] x = {1.0, -3.0, 2.0, 3.0, -2.0, 3.0, 0.0};
        assertArrayEquals(new int[] {1, 3}, ((SparseMessage) new TopK(2.0 / 7).compress(x, null)).indices());
        assertArrayEquals(new int[] {1, 3, 5}, ((SparseMessage) new TopK(3.0 / 7).compress(x, null)).indices());
        assertArrayEquals(new int[] {1, 2, 3, 5}, ((SparseMessage) new TopK(4.0 / 7).compress(x, null)).indices());
    }

    /** Deterministic: ||C(x) − x||² is exactly the sum of the dropped squares. */
    @Test
    void errorIsTheSumOfTheDroppedSquares() {
        double[] x = Vectors.sample(1000, 52);
        SparseMessage m = (SparseMessage) new TopK(0.05).compress(x, null);
        double[] sortedSquares = Arrays.stream(x).map(v -> v * v).sorted().toArray();
        double dropped = 0.0;
        for (int i = 0; i < 1000 - 50; i++) {
            dropped += sortedSquares[i];
        }
        double[] dense = m.toDense();
        double err = 0.0;
        for (int i = 0; i < 1000; i++) {
            err += (dense[i] - x[i]) * (dense[i] - x[i]);
        }
        assertEquals(dropped, err, 1e-12 * Vectors.squaredNorm(x));
        assertEquals(0.05, new TopK(0.05).alpha(1000), 0.0);
    }

    @Test
    void largeVectorKeepsEntriesAtLeastAsLargeAsEveryDroppedOne() {
        int d = 1 << 22;
        double[] x = new double[d];
        SplittableRandom r = new SplittableRandom(53);
        for (int i = 0; i < d; i++) {
            x[i] = r.nextGaussian();
        }
        SparseMessage m = (SparseMessage) new TopK(0.01).compress(x, null);
        boolean[] kept = new boolean[d];
        double minKept = Double.POSITIVE_INFINITY;
        for (int i : m.indices()) {
            kept[i] = true;
            minKept = Math.min(minKept, Math.abs(x[i]));
        }
        for (int i = 0; i < d; i++) {
            assertTrue(kept[i] || Math.abs(x[i]) <= minKept);
        }
        assertEquals(41943, m.size());
    }

    @Test
    void rejectsNonFiniteEntries() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            for (int pos : new int[] {0, 5, 99}) {
                double[] x = Vectors.sample(100, 54);
                x[pos] = bad;
                assertThrows(IllegalArgumentException.class, () -> new TopK(0.1).compress(x, null), bad + " at " + pos);
            }
        }
    }

    @Test
    void ignoresTheRandomStream() {
        double[] x = Vectors.sample(300, 55);
        CompressorContract.assertBitIdentical(new TopK(0.1).compress(x, new SplittableRandom(1)).toDense(),
                new TopK(0.1).compress(x, new SplittableRandom(2)).toDense(), "Top-K is deterministic");
    }
}
