package org.blora.core.sketch;

import java.io.Serializable;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;

/**
 * One link B_t A_t of the low-rank chain W = W0 + sum_t B_t A_t, with B in R^{m x r} and A in R^{r x n}
 * (row-major). A full-parameter link (method fpft) carries the dense m x n update in {@code a} and no B.
 * The alpha/r scale of LoRA is folded into the trained factor (it cancels, docs/METHOD.md §2).
 */
public final class Link implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Side side;
    public final Shape shape;
    public final int rank;
    /** m x r, or null for a full link. */
    public final double[] b;
    /** r x n, or the dense m x n update of a full link. */
    public final double[] a;

    public Link(Side side, Shape shape, int rank, double[] b, double[] a) {
        this.side = side;
        this.shape = shape;
        this.rank = rank;
        this.b = b;
        this.a = a;
    }

    public static Link full(Shape shape, double[] delta) {
        return new Link(Side.FULL, shape, Math.min(shape.m(), shape.n()), null, delta);
    }

    /** w += B A (or the dense update). O(r m n). */
    public void addTo(double[] w) {
        addTo(w, 0, 1.0);
    }

    /** w += scale * B A. */
    public void addTo(double[] w, double scale) {
        addTo(w, 0, scale);
    }

    /** The m x n block of {@code theta} starting at {@code offset} (one module of a model) += scale * B A. */
    public void addTo(double[] theta, int offset, double scale) {
        int m = shape.m();
        int n = shape.n();
        if (side == Side.FULL) {
            Dense.axpy(m * n, scale, a, 0, theta, offset);
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < rank; k++) {
                double s = scale * b[i * rank + k];
                if (s != 0.0) {
                    Dense.axpy(n, s, a, k * n, theta, offset + i * n);
                }
            }
        }
    }

    /** Numbers this link takes on the wire: r (m + n), or m n for a full link. */
    public long numbers() {
        return side == Side.FULL ? a.length : (long) b.length + a.length;
    }

    /** Parameters trained in this link: the trained factor's size (what a LoRA user counts). */
    public long trainedParams() {
        return switch (side) {
            case A -> a.length;
            case B -> b.length;
            case FULL -> a.length;
            case AB -> (b.length + a.length) / 2;
        };
    }
}
