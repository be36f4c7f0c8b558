package org.blora.core.sketch;

import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.blora.core.linalg.ThinQR;

/**
 * One Bernoulli-LoRA link as a projected gradient step (ALGORITHMS.md 1.3), computed without forming the
 * m x m or n x n projector.
 *
 * <p>Left sketch (B_S frozen, A trained): with B_S = Q R (thin QR),
 * A_hat = -gamma (B_S^T B_S)^{-1} B_S^T G = -gamma R^{-1} Q^T G, so B_S A_hat = -gamma H_B G with H_B = Q Q^T.
 * Right sketch (A_S frozen, B trained): with A_S^T = Q R, B_hat = -gamma G A_S^T (A_S A_S^T)^{-1}
 * = -gamma G Q R^{-T}, so B_hat A_S = -gamma G H_A with H_A = Q Q^T. Cost O(r m n + r^2 (m + n)).
 */
public final class Projection {
    private Projection() {
    }

    /** The link trained on the left sketch: B = B_S (m x r), A = A_hat (r x n). */
    public static Link leftStep(double[] g, Shape shape, double[] bS, int r, double gamma) {
        ThinQR qr = ThinQR.of(columnsOfLeft(bS, shape.m(), r));
        double[] qtg = qTransposeG(qr.q, g, shape);
        qr.solveUpperInPlace(qtg, shape.n());
        Dense.scale(-gamma, qtg);
        return new Link(Side.A, shape, r, bS, qtg);
    }

    /** The link trained on the right sketch: B = B_hat (m x r), A = A_S (r x n). */
    public static Link rightStep(double[] g, Shape shape, double[] aS, int r, double gamma) {
        int m = shape.m();
        ThinQR qr = ThinQR.of(rowsOf(aS, r, shape.n()));
        double[] gqT = gQTransposed(qr.q, g, shape); // r x m: (G Q)^T
        qr.solveUpperInPlace(gqT, m);                // R^{-1} (G Q)^T = (G Q R^{-T})^T
        double[] bHat = new double[m * r];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < m; i++) {
                bHat[i * r + k] = -gamma * gqT[k * m + i];
            }
        }
        return new Link(Side.B, shape, r, bHat, aS);
    }

    /** H_B G for the left sketch B_S (used by tests and diagnostics). */
    public static double[] projectLeft(double[] g, Shape shape, double[] bS, int r) {
        ThinQR qr = ThinQR.of(columnsOfLeft(bS, shape.m(), r));
        double[] qtg = qTransposeG(qr.q, g, shape);
        double[] out = new double[g.length];
        int n = shape.n();
        for (int i = 0; i < shape.m(); i++) {
            for (int k = 0; k < r; k++) {
                Dense.axpy(n, qr.q[k][i], qtg, k * n, out, i * n);
            }
        }
        return out;
    }

    /** G H_A for the right sketch A_S. */
    public static double[] projectRight(double[] g, Shape shape, double[] aS, int r) {
        ThinQR qr = ThinQR.of(rowsOf(aS, r, shape.n()));
        double[] gqT = gQTransposed(qr.q, g, shape);
        double[] out = new double[g.length];
        int m = shape.m();
        int n = shape.n();
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                Dense.axpy(n, gqT[k * m + i], qr.q[k], 0, out, i * n);
            }
        }
        return out;
    }

    private static double[][] columnsOfLeft(double[] bS, int m, int r) {
        double[][] cols = new double[r][m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                cols[k][i] = bS[i * r + k];
            }
        }
        return cols;
    }

    private static double[][] rowsOf(double[] aS, int r, int n) {
        double[][] rows = new double[r][];
        for (int k = 0; k < r; k++) {
            rows[k] = java.util.Arrays.copyOfRange(aS, k * n, (k + 1) * n);
        }
        return rows;
    }

    /** Q^T G, r x n, streaming the rows of G. */
    private static double[] qTransposeG(double[][] q, double[] g, Shape shape) {
        int n = shape.n();
        int r = q.length;
        double[] out = new double[r * n];
        for (int i = 0; i < shape.m(); i++) {
            for (int k = 0; k < r; k++) {
                Dense.axpy(n, q[k][i], g, i * n, out, k * n);
            }
        }
        return out;
    }

    /** (G Q)^T, r x m. */
    private static double[] gQTransposed(double[][] q, double[] g, Shape shape) {
        int m = shape.m();
        int n = shape.n();
        int r = q.length;
        double[] out = new double[r * m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                out[k * m + i] = Dense.dot(n, g, i * n, q[k], 0);
            }
        }
        return out;
    }
}
