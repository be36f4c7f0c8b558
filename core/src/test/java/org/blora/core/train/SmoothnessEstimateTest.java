package org.blora.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import breeze.linalg.DenseMatrix;
import breeze.linalg.DenseVector;
import breeze.linalg.svd;
import java.util.List;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.oracle.LocalOracle;
import org.junit.jupiter.api.Test;

/** The distributed power iteration agrees with Breeze's SVD (LAPACK dgesdd) to its 1e-6 target. */
class SmoothnessEstimateTest {
    @Test
    void powerIterationMatchesBreezeSvd() {
        int rows = 300;
        int d = 20;
        List<List<DataBlock>> data = TestProblems.regression(rows, d, 3, 5, 0.1);
        double expected = breezeGramNorm(data, rows, d);
        double got = SmoothnessEstimate.gramNorm(new LocalOracle(data, new LeastSquares()), d, 3, 1e-9, 100_000).value();
        assertEquals(expected, got, 1e-6 * expected);
    }

    @Test
    void lanczosMatchesBreezeSvdInFewerStagesThanPowerIteration() {
        int rows = 400;
        int d = 60;
        // Gaussian data: a small spectral gap at the top, where power iteration is slow.
        List<List<DataBlock>> data = TestProblems.regression(rows, d, 2, 11, 0.1);
        double expected = breezeGramNorm(data, rows, d);
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        SmoothnessEstimate.Result lanczos = SmoothnessEstimate.lanczos(oracle, d, 3, 1e-9, 10_000);
        // Power iteration to the looser 1e-6 still needs more stages than Lanczos to 1e-9.
        SmoothnessEstimate.Result power = SmoothnessEstimate.gramNorm(oracle, d, 3, 1e-6, 100_000);
        assertEquals(expected, lanczos.value(), 1e-9 * expected);
        assertTrue(lanczos.stages() < power.stages(),
                "lanczos " + lanczos.stages() + " stages vs power " + power.stages());
        // Deterministic: a rerun gives the same bits.
        assertEquals(lanczos.value(), SmoothnessEstimate.lanczos(oracle, d, 3, 1e-9, 10_000).value(), 0.0);
    }

    @Test
    void eachClientsOwnGramNormMatchesBreezeSvdOfItsRows() {
        int d = 12;
        List<List<DataBlock>> data = TestProblems.heterogeneous(300, d, 3, 5, 1.0, 0.5);
        for (int c = 0; c < data.size(); c++) {
            List<DataBlock> mine = data.get(c);
            int n = mine.stream().mapToInt(b -> b.rows).sum();
            double expected = breezeGramNorm(List.of(mine), n, d);
            SmoothnessEstimate.Result r = SmoothnessEstimate.clientGramNorm(mine, new LeastSquares(), d, 3, c, 1e-12);
            assertEquals(expected, r.value(), 1e-10 * expected, "client " + c);
            // Deterministic in (seed, client): a rerun gives the same bits.
            assertEquals(r.value(), SmoothnessEstimate.clientGramNorm(mine, new LeastSquares(), d, 3, c, 1e-12).value(), 0.0);
        }
    }

    /** sigma_max(X / sqrt(N))^2 = ||X^T X / N||_2 by Breeze's SVD of the clients' rows stacked column-major. */
    private static double breezeGramNorm(List<List<DataBlock>> data, int rows, int d) {
        double[] colMajor = new double[rows * d];
        int r = 0;
        for (List<DataBlock> c : data) {
            for (DataBlock b : c) {
                for (int i = 0; i < b.rows; i++, r++) {
                    for (int j = 0; j < d; j++) {
                        colMajor[j * rows + r] = b.x[i * d + j] / Math.sqrt(rows);
                    }
                }
            }
        }
        svd.SVD<DenseMatrix<Object>, DenseVector<Object>> s =
                svd.Svd_DM_Impl$.MODULE$.apply(new DenseMatrix<>(rows, d, colMajor));
        double sigmaMax = (Double) s.singularValues().apply(0);
        return sigmaMax * sigmaMax;
    }
}
