package org.blora.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernels against reference loops written straight from the summation order {@link Kernels} documents: bit
 * for bit (the order is the contract), and against exact arithmetic to a stated tolerance (the order is a
 * reasonable one). Lengths and sizes are chosen to hit every vector body, remainder and tail.
 */
class KernelsTest {
    @BeforeAll
    static void vectorLoopsRun() throws InterruptedException {
        Kernels.awaitVectorLoops();
    }

    private static final int[] LENGTHS = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 100, 255, 1029, 4099};

    private static double[] random(int n, long seed) {
        return new SplittableRandom(seed).doubles(n, -1, 1).toArray();
    }

    /** The documented order: 16 partial sums by index mod 16, then p_j += p_{j+8}, += p_{j+4}, += p_{j+2}, p0+p1. */
    static double referenceDot(int n, double[] a, int offA, double[] b, int offB) {
        double[] p = new double[16];
        for (int i = 0; i < n; i++) {
            p[i % 16] += a[offA + i] * b[offB + i];
        }
        for (int h = 8; h >= 1; h >>= 1) {
            for (int j = 0; j < h; j++) {
                p[j] += p[j + h];
            }
        }
        return p[0];
    }

    /** What a BLAS without a fixed order may do: one running sum. */
    private static double sequentialDot(int n, double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void dotFollowsTheDocumentedOrderBitForBit() {
        for (int n : LENGTHS) {
            double[] a = random(n + 5, n);
            double[] b = random(n + 3, n + 1000);
            assertEquals(Double.doubleToRawLongBits(referenceDot(n, a, 5, b, 3)),
                    Double.doubleToRawLongBits(Kernels.dot(n, a, 5, b, 3)), "dot over " + n);
            assertEquals(Double.doubleToRawLongBits(referenceDot(n, a, 0, a, 0)),
                    Double.doubleToRawLongBits(Dense.normSq(java.util.Arrays.copyOf(a, n))), "normSq over " + n);
        }
    }

    @Test
    void bitEqualityCanFailOnAnotherOrder() {
        // The bit-for-bit checks here and in CrossHostBitsTest would catch a kernel that sums in another order:
        // a running sum of the same products gives other bits on this data.
        double[] a = random(4099, 7);
        double[] b = random(4099, 8);
        assertNotEquals(Double.doubleToRawLongBits(sequentialDot(4099, a, b)),
                Double.doubleToRawLongBits(Kernels.dot(4099, a, 0, b, 0)));
    }

    @Test
    void dotIsAccurate() {
        // |error| <= n eps sum|a_i b_i| holds for any order; the tree order's bound is far smaller, but this is the
        // one we rely on. Checked against the exact sum in BigDecimal.
        for (int n : LENGTHS) {
            double[] a = random(n, 3 * n + 1);
            double[] b = random(n, 3 * n + 2);
            BigDecimal exact = BigDecimal.ZERO;
            double absSum = 0;
            for (int i = 0; i < n; i++) {
                exact = exact.add(new BigDecimal(a[i]).multiply(new BigDecimal(b[i])));
                absSum += Math.abs(a[i] * b[i]);
            }
            double err = Math.abs(Kernels.dot(n, a, 0, b, 0) - exact.round(MathContext.DECIMAL128).doubleValue());
            assertTrue(err <= n * 0x1p-52 * absSum + Double.MIN_VALUE, "dot over " + n + " off by " + err);
        }
    }

    @Test
    void dotRowsIsDotPerRow() {
        int d = 1029;
        double[] x = random(11 * d + 7, 11);
        double[] w = random(d + 2, 12);
        for (int count = 0; count <= 11; count++) {
            int[] off = new int[count];
            for (int k = 0; k < count; k++) {
                off[k] = 7 + ((k * 5) % 11) * d; // rows out of order, as a minibatch gathers them
            }
            double[] out = new double[count];
            Kernels.dotRows(d, x, off, count, w, 2, out);
            for (int k = 0; k < count; k++) {
                assertEquals(Double.doubleToRawLongBits(referenceDot(d, x, off[k], w, 2)),
                        Double.doubleToRawLongBits(out[k]), "row " + k + " of " + count);
            }
        }
    }

    @Test
    void addRowsAddsEachRowInTurn() {
        // Every grouping of the vector loops: groups of 8 and 4 rows and single rows, in every combination.
        for (int count : new int[] {1, 3, 4, 7, 8, 12, 13, 16, 17}) {
            addRowsAddsEachRowInTurn(count);
        }
    }

    private static void addRowsAddsEachRowInTurn(int count) {
        for (int n : LENGTHS) {
            double[] x = random(count * n + 1, n + 5);
            double[] c = random(count, n + 6);
            int[] off = new int[count];
            for (int k = 0; k < count; k++) {
                off[k] = 1 + ((k * 7) % count) * n;
            }
            double[] y = random(n + 4, n + 7);
            double[] expected = y.clone();
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < count; k++) {
                    expected[4 + j] += c[k] * x[off[k] + j];
                }
            }
            Kernels.addRows(n, x, off, c, count, y, 4);
            assertArrayEquals(expected, y, 0.0, "addRows of " + count + " rows over " + n);
            double[] z = random(n + 2, n + 8);
            double[] zExpected = z.clone();
            for (int j = 0; j < n; j++) {
                zExpected[2 + j] += c[0] * x[1 + j];
            }
            Kernels.axpy(n, c[0], x, 1, z, 2);
            assertArrayEquals(zExpected, z, 0.0, "axpy over " + n);
        }
    }

    private static final int[][] GEMM_SIZES = {{1, 1, 1}, {3, 5, 7}, {4, 8, 16}, {9, 17, 5}, {13, 11, 29},
            {16, 32, 64}, {37, 19, 23}, {0, 4, 4}, {4, 4, 0}};

    @Test
    void gemmFamilyIsTheNaiveTripleLoopBitForBit() {
        for (int[] s : GEMM_SIZES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            double[] a = random(m * k + 3, m + 31L * n + 7L * k);
            double[] b = random(k * n + 2, m + 31L * n + 7L * k + 1);
            double[] c0 = random(m * n + 1, 5);
            double[] nn = c0.clone();
            double[] expected = c0.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = expected[1 + i * n + j];
                    for (int l = 0; l < k; l++) {
                        acc += a[3 + i * k + l] * b[2 + l * n + j];
                    }
                    expected[1 + i * n + j] = acc;
                }
            }
            Kernels.gemm(m, n, k, a, 3, b, 2, nn, 1);
            assertArrayEquals(expected, nn, 0.0, "gemm " + m + "x" + n + "x" + k);

            // The same product with A stored transposed (k x m) and with B stored transposed (n x k).
            double[] at = new double[m * k];
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) {
                    at[l * m + i] = a[3 + i * k + l];
                }
            }
            double[] tn = c0.clone();
            Kernels.gemmTN(m, n, k, at, 0, b, 2, tn, 1);
            assertArrayEquals(expected, tn, 0.0, "gemmTN " + m + "x" + n + "x" + k);
            double[] bt = new double[n * k + 4];
            for (int l = 0; l < k; l++) {
                for (int j = 0; j < n; j++) {
                    bt[4 + j * k + l] = b[2 + l * n + j];
                }
            }
            double[] nt = c0.clone();
            Kernels.gemmNT(m, n, k, a, 3, bt, 4, nt, 1);
            assertArrayEquals(expected, nt, 0.0, "gemmNT " + m + "x" + n + "x" + k);
        }
    }

    @Test
    void gemmCheckCanFail() {
        // A product that sums l in another order (here: backwards) differs from the naive loop in the last bits,
        // so the bit-for-bit gemm check above is not vacuous.
        int m = 13;
        int n = 11;
        int k = 29;
        double[] a = random(m * k, 1);
        double[] b = random(k * n, 2);
        double[] c = new double[m * n];
        Kernels.gemm(m, n, k, a, 0, b, 0, c, 0);
        double[] backwards = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int l = k - 1; l >= 0; l--) {
                    backwards[i * n + j] += a[i * k + l] * b[l * n + j];
                }
            }
        }
        assertArrayEquals(backwards, c, 1e-12);
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> assertArrayEquals(backwards, c, 0.0));
    }

    @Test
    void gemmRejectsArraysTooShort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(3, 4, 5, new double[15], 1, new double[20], 0, new double[12], 0));
        assertEquals("gemm m=3 n=4 k=5 needs 15, 20, 12 entries after the offsets of A, B, C, got 14, 20, 12",
                e.getMessage());
    }
}
