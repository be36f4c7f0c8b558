package org.blora.core.sketch;

import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.blora.core.linalg.ThinQR;

/**
 * One drawn sketch of a round: the frozen random factor (B_S in R^{m x r} for the left side, A_S in R^{r x n}
 * for the right side) with an orthonormal basis Q of its span (thin QR, B_S = Q R or A_S^T = Q R).
 *
 * <p>Left (A trained): A_hat = -gamma (B_S^T B_S)^{-1} B_S^T G = -gamma R^{-1} Q^T G, so B_S A_hat = -gamma H_B G.
 * Right (B trained): B_hat = -gamma G A_S^T (A_S A_S^T)^{-1} = -gamma G Q R^{-T}, so B_hat A_S = -gamma G H_A.
 * The step only needs the projected coordinates P = Q^T G (r x n) or G Q (m x r), which is what a client sends
 * in sketch-first mode. Cost O(r m n + r^2 (m + n)); no m x m or n x n projector is formed.
 */
public final class Sketch implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public final Side side;
    public final Shape shape;
    public final int rank;
    /** B_S (m x r, row-major) for the left side, A_S (r x n) for the right side. */
    public final double[] frozen;
    private final ThinQR qr;

    private Sketch(Side side, Shape shape, int rank, double[] frozen) {
        this.side = side;
        this.shape = shape;
        this.rank = rank;
        this.frozen = frozen;
        this.qr = ThinQR.of(side == Side.A ? columnsOfLeft(frozen, shape.m(), rank) : rowsOf(frozen, rank, shape.n()));
    }

    public static Sketch left(Shape shape, double[] bS, int rank) {
        return new Sketch(Side.A, shape, rank, bS);
    }

    public static Sketch right(Shape shape, double[] aS, int rank) {
        return new Sketch(Side.B, shape, rank, aS);
    }

    /** Size of the projected coordinates: r n (left) or m r (right). */
    public int projectedSize() {
        return side == Side.A ? rank * shape.n() : shape.m() * rank;
    }

    /** P = Q^T G (r x n, left) or G Q stored transposed as r x m (right). */
    public double[] project(double[] g) {
        int m = shape.m();
        int n = shape.n();
        double[][] q = qr.q;
        if (side == Side.A) {
            double[] out = new double[rank * n];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < rank; k++) {
                    Dense.axpy(n, q[k][i], g, i * n, out, k * n);
                }
            }
            return out;
        }
        double[] out = new double[rank * m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < rank; k++) {
                out[k * m + i] = Dense.dot(n, g, i * n, q[k], 0);
            }
        }
        return out;
    }

    /** The chain link -gamma (projected step) from G. */
    public Link step(double[] g, double gamma) {
        return stepFromProjected(project(g), gamma);
    }

    /** The chain link from the projected coordinates P of {@link #project}; P is consumed. */
    public Link stepFromProjected(double[] p, double gamma) {
        if (side == Side.A) {
            qr.solveUpperInPlace(p, shape.n());
            Dense.scale(-gamma, p);
            return new Link(Side.A, shape, rank, frozen, p);
        }
        int m = shape.m();
        qr.solveUpperInPlace(p, m); // R^{-1} (G Q)^T = (G Q R^{-T})^T
        double[] bHat = new double[m * rank];
        for (int k = 0; k < rank; k++) {
            for (int i = 0; i < m; i++) {
                bHat[i * rank + k] = -gamma * p[k * m + i];
            }
        }
        return new Link(Side.B, shape, rank, bHat, frozen);
    }

    /** H_B G (left) or G H_A (right), formed explicitly: for tests and diagnostics. */
    public double[] projectedGradient(double[] g) {
        double[] p = project(g);
        double[] out = new double[g.length];
        int m = shape.m();
        int n = shape.n();
        double[][] q = qr.q;
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < rank; k++) {
                if (side == Side.A) {
                    Dense.axpy(n, q[k][i], p, k * n, out, i * n);
                } else {
                    Dense.axpy(n, p[k * m + i], q[k], 0, out, i * n);
                }
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
}
