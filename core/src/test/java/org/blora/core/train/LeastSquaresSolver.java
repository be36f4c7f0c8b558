package org.blora.core.train;

import java.util.List;
import org.blora.core.objective.DataBlock;

/** Normal equations X^T X w = X^T y by Gaussian elimination with partial pivoting (tests only, small d). */
final class LeastSquaresSolver {
    private LeastSquaresSolver() {
    }

    static double[] solve(List<List<DataBlock>> data, int d) {
        double[][] a = new double[d][d + 1];
        for (List<DataBlock> c : data) {
            for (DataBlock b : c) {
                for (int i = 0; i < b.rows; i++) {
                    for (int j = 0; j < d; j++) {
                        double xj = b.x[i * d + j];
                        for (int k = 0; k < d; k++) {
                            a[j][k] += xj * b.x[i * d + k];
                        }
                        a[j][d] += xj * b.y[i];
                    }
                }
            }
        }
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[piv];
            a[piv] = tmp;
            for (int r = col + 1; r < d; r++) {
                double f = a[r][col] / a[col][col];
                for (int k = col; k <= d; k++) {
                    a[r][k] -= f * a[col][k];
                }
            }
        }
        double[] w = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int k = r + 1; k < d; k++) {
                s -= a[r][k] * w[k];
            }
            w[r] = s / a[r][r];
        }
        return w;
    }
}
