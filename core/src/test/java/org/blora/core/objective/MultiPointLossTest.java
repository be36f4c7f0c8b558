package org.blora.core.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.federated.FedRound;
import org.blora.core.linalg.Kernels;
import org.blora.core.oracle.ClientCompute;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The least-squares pass over K points at once against K single-point passes, bit for bit: in the kernel (per
 * block, with row and column counts that are not multiples of the 16-row block or the 16 partial sums) and in
 * what a client returns for full-gradient, minibatch and Gram requests together ({@link ClientCompute#evaluatePoints}
 * against {@link ClientCompute#evaluate} per request).
 */
class MultiPointLossTest {
    @BeforeAll
    static void vectorLoopsRun() throws InterruptedException {
        Kernels.awaitVectorLoops();
    }

    private static final int[] POINTS = {1, 2, 3, 5, 8};
    private static final int[] ROWS = {1, 15, 16, 17, 40, 100};
    private static final int[] COLS = {1, 7, 16, 33, 259};

    private static DataBlock block(long firstRow, int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new DataBlock(0, firstRow, rows, cols, r.doubles((long) rows * cols, -1, 1).toArray(),
                r.doubles(rows, -2, 2).toArray());
    }

    private static double[][] points(int k, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] w = new double[k][];
        for (int p = 0; p < k; p++) {
            w[p] = r.doubles(d, -1, 1).toArray();
        }
        return w;
    }

    /** The single-point pass as the class documents it: per 16-row block, the residuals, then g += X_b^T r. */
    private static double referencePass(DataBlock b, double[] w, double[] grad) {
        int[] off = new int[16];
        double[] r = new double[16];
        double loss = 0.0;
        for (int start = 0; start < b.rows; start += 16) {
            int count = Math.min(16, b.rows - start);
            for (int k = 0; k < count; k++) {
                off[k] = (start + k) * b.cols;
            }
            Kernels.dotRows(b.cols, b.x, off, count, w, 0, r);
            for (int k = 0; k < count; k++) {
                r[k] -= b.y[start + k];
                loss += 0.5 * r[k] * r[k];
            }
            Kernels.addRows(b.cols, b.x, off, r, count, grad, 0);
        }
        return loss;
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), what + " [" + i + "]");
        }
    }

    @Test
    void kPointPassEqualsKSinglePointPassesBitForBit() {
        LeastSquares ls = new LeastSquares();
        for (int k : POINTS) {
            for (int rows : ROWS) {
                for (int cols : COLS) {
                    String what = "K=" + k + " rows=" + rows + " cols=" + cols;
                    DataBlock b = block(0, rows, cols, 31L * rows + cols);
                    double[][] w = points(k, cols, k * 1000L + rows);
                    // Start from a non-zero gradient, as for a client's second block.
                    double[][] fused = points(k, cols, 7);
                    double[][] single = points(k, cols, 7);
                    double[][] reference = points(k, cols, 7);
                    double[] loss = new double[k];
                    ls.accumulatePoints(b, w, fused, loss);
                    for (int p = 0; p < k; p++) {
                        double l = ls.accumulate(b, w[p], single[p]);
                        double ref = referencePass(b, w[p], reference[p]);
                        assertBits(new double[] {ref, ref}, new double[] {l, loss[p]}, what + " loss of point " + p);
                        assertBits(reference[p], single[p], what + " single-point gradient " + p);
                        assertBits(single[p], fused[p], what + " fused gradient " + p);
                    }
                }
            }
        }
    }

    @Test
    void aClientsResultsForKRequestsEqualItsResultsRequestByRequest() {
        LeastSquares ls = new LeastSquares();
        int d = 37;
        List<DataBlock> blocks = new ArrayList<>();
        long first = 0;
        for (int rows : new int[] {33, 16, 7, 50}) {
            blocks.add(block(first, rows, d, first + 1));
            first += rows;
        }
        long[] batch = {0, 5, 32, 33, 40, 49, 55, 56, 100};
        for (int k : POINTS) {
            double[][] w = points(k, d, 99 + k);
            double[][] wPrev = points(k, d, 199 + k);
            OracleRequest[] reqs = new OracleRequest[k];
            for (int p = 0; p < k; p++) {
                // GD rounds (the gradient is sent), metric-only passes (it is not), PAGE's minibatch rounds at
                // both points and metric rounds, and a Gram pass of the smoothness estimate side by side.
                reqs[p] = switch (p % 5) {
                    case 0 -> new OracleRequest(3 + p, true, true, null, false, null, null);
                    case 1 -> OracleRequest.fullOnly(5);
                    case 2 -> new OracleRequest(7, false, false, batch, true, null, null);
                    case 3 -> new OracleRequest(8, true, false, batch, true, null, null);
                    default -> OracleRequest.gramTimes(wPrev[p]);
                };
            }
            OracleResult[] together = ClientCompute.evaluatePoints(reqs, blocks, ls, w, wPrev, d);
            for (int p = 0; p < k; p++) {
                OracleResult one = ClientCompute.evaluate(reqs[p], 0, blocks, ls, w[p], wPrev[p], d, null).result();
                String what = "K=" + k + " request " + p;
                assertBits(new double[] {one.lossSum(), one.correct()},
                        new double[] {together[p].lossSum(), together[p].correct()}, what);
                for (double[][] pair : new double[][][] {{one.gradSum(), together[p].gradSum()},
                        {one.batchGradSum(), together[p].batchGradSum()},
                        {one.batchPrevGradSum(), together[p].batchPrevGradSum()}}) {
                    if (pair[0] == null) {
                        assertEquals(null, pair[1], what);
                    } else {
                        assertBits(pair[0], pair[1], what);
                    }
                }
                assertEquals(one.uplinkBits(), together[p].uplinkBits(), what);
                assertArrayEquals(new Object[] {one.projected(), one.message()},
                        new Object[] {together[p].projected(), together[p].message()});
            }
        }
    }

    @Test
    void aProtocolRoundNeedsItsOwnStage() {
        OracleRequest fed = new OracleRequest(1, true, true, null, false,
                new FedRound(1, 5, 2, new BitSet(), false, null), null);
        assertThrows(IllegalArgumentException.class, () -> ClientCompute.evaluatePoints(new OracleRequest[] {fed},
                List.of(block(0, 4, 3, 1)), new LeastSquares(), new double[1][3], new double[1][], 3));
    }
}
