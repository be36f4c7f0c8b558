package org.blora.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import breeze.linalg.DenseMatrix;
import breeze.linalg.DenseVector;
import breeze.linalg.svd;
import java.util.List;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.junit.jupiter.api.Test;

/** The distributed power iteration agrees with Breeze's SVD (LAPACK dgesdd) to its 1e-6 target. */
class SmoothnessEstimateTest {
    @Test
    void powerIterationMatchesBreezeSvd() {
        int rows = 300;
        int d = 20;
        List<List<DataBlock>> data = TestProblems.regression(rows, d, 3, 5, 0.1);
        // Stack the clients' rows into one column-major matrix X / sqrt(N) for Breeze.
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
        DenseMatrix<Object> x = new DenseMatrix<>(rows, d, colMajor);
        svd.SVD<DenseMatrix<Object>, DenseVector<Object>> s = svd.Svd_DM_Impl$.MODULE$.apply(x);
        double sigmaMax = (Double) s.singularValues().apply(0);
        double expected = sigmaMax * sigmaMax;
        double got = SmoothnessEstimate.gramNorm(new LocalOracle(data, new LeastSquares()), d, 3, 1e-9, 100_000).value();
        assertEquals(expected, got, 1e-6 * expected);
    }
}
