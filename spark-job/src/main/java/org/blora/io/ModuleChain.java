package org.blora.io;

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

    /** sum_t B_t A_t, out x in row-major. O(R out in). */
    public double[] mergedUpdate() {
        double[] dw = new double[out * in];
        for (int t = 0; t < ranks.size(); t++) {
            int r = ranks.get(t);
            double[] bt = b.get(t);
            double[] at = a.get(t);
            for (int i = 0; i < out; i++) {
                for (int k = 0; k < r; k++) {
                    double bik = bt[i * r + k];
                    for (int j = 0; j < in; j++) {
                        dw[i * in + j] += bik * at[k * in + j];
                    }
                }
            }
        }
        return dw;
    }
}
