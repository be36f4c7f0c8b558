package org.blora.io;

import dev.ludovic.netlib.blas.BLAS;
import java.util.List;

/**
 * The trained low-rank chain of one weight matrix, as an exporter needs it: W = base + sum_t B_t A_t with the
 * frozen base {@code out x in}, each B_t {@code out x r_t} and each A_t {@code r_t x in}, all row-major
 * (PyTorch's orientation of a linear layer's weight). The arrays are shared, not copied.
 */
public record ModuleChain(String module, int out, int in, double[] base, List<double[]> b, List<double[]> a,
                          List<Integer> ranks) {
    public ModuleChain {
        if (module == null || module.isEmpty()) {
            throw new IllegalArgumentException("a module chain needs a module name, got " + (module == null ? "null" : "\"\""));
        }
        if (out < 1 || in < 1) {
            throw new IllegalArgumentException("module " + module + " needs a positive shape, got " + out + "x" + in);
        }
        checkLength(module, "base", base, (long) out * in);
        b = List.copyOf(b);
        a = List.copyOf(a);
        ranks = List.copyOf(ranks);
        if (b.size() != ranks.size() || a.size() != ranks.size()) {
            throw new IllegalArgumentException("module " + module + ": expected one B, one A and one rank per link, got "
                    + b.size() + " B, " + a.size() + " A and " + ranks.size() + " ranks");
        }
        for (int t = 0; t < ranks.size(); t++) {
            int r = ranks.get(t);
            if (r < 1) {
                throw new IllegalArgumentException("module " + module + ": link " + t + " needs a rank >= 1, got " + r);
            }
            checkLength(module, "B_" + t, b.get(t), (long) out * r);
            checkLength(module, "A_" + t, a.get(t), (long) r * in);
        }
    }

    private static void checkLength(String module, String what, double[] v, long expected) {
        if (v == null || v.length != expected) {
            throw new IllegalArgumentException("module " + module + ": " + what + " needs " + expected + " entries, got "
                    + (v == null ? "null" : Integer.toString(v.length)));
        }
    }

    /** Number of links T. */
    public int length() {
        return ranks.size();
    }

    /** R = sum_t r_t, the rank of the single LoRA that the chain is. */
    public int totalRank() {
        int sum = 0;
        for (int r : ranks) {
            sum += r;
        }
        return sum;
    }

    /** [B_1 | B_2 | ... | B_T], out x R: with {@link #stackedA} the chain as one LoRA, B A = sum_t B_t A_t. */
    public double[] stackedB() {
        int rank = totalRank();
        double[] stacked = new double[out * rank];
        int col = 0;
        for (int t = 0; t < ranks.size(); t++) {
            int r = ranks.get(t);
            for (int i = 0; i < out; i++) {
                System.arraycopy(b.get(t), i * r, stacked, i * rank + col, r);
            }
            col += r;
        }
        return stacked;
    }

    /** [A_1; A_2; ...; A_T], R x in: in row-major order the rows of A_t simply follow those of A_{t-1}. */
    public double[] stackedA() {
        double[] stacked = new double[totalRank() * in];
        int pos = 0;
        for (double[] at : a) {
            System.arraycopy(at, 0, stacked, pos, at.length);
            pos += at.length;
        }
        return stacked;
    }

    /**
     * sum_t B_t A_t, out x in row-major, as one product of the stacked factors: a single O(R out in) dgemm writes
     * the out x in result once instead of once per link.
     */
    public double[] mergedUpdate() {
        double[] dw = new double[out * in];
        addProduct(1.0, stackedB(), stackedA(), totalRank(), out, in, dw);
        return dw;
    }

    /**
     * c (out x in) += alpha B (out x r) A (r x in), all row-major. A row-major matrix is its transpose in column
     * order, so this is the column-major c^T += alpha A^T B^T.
     */
    static void addProduct(double alpha, double[] b, double[] a, int r, int out, int in, double[] c) {
        BLAS.getInstance().dgemm("N", "N", in, out, r, alpha, a, in, b, r, 1.0, c, in);
    }
}
