package org.blora.core.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;

/**
 * The bits of every executor-side result on one fixed seeded problem, one line per value
 * ({@code name hex-of-Double.doubleToRawLongBits}); run as a child JVM's main by {@link CrossHostBitsTest}, which
 * compares the lines with its own. Sizes are not multiples of 16 so every remainder and tail path runs.
 */
public final class KernelBits {
    /** Prefix of the lines computed by netlib, not by our kernels: expected to differ across vector widths. */
    static final String NETLIB = "netlib.";
    static final String PATH = "path ";

    private KernelBits() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (String line : lines()) {
            System.out.println(line);
        }
    }

    /** Waits for the vector loops first, so a JVM that has them computes with them. */
    static List<String> lines() throws InterruptedException {
        Kernels.awaitVectorLoops();
        List<String> out = new ArrayList<>();
        out.add(PATH + Kernels.describe());
        SplittableRandom rnd = new SplittableRandom(20250805);
        double[] a = rnd.doubles(4099, -1, 1).toArray();
        double[] b = rnd.doubles(4099, -1, 1).toArray();
        put(out, "dot4099", Kernels.dot(4099, a, 0, b, 0));
        put(out, NETLIB + "ddot4099", Dense.blas().ddot(4099, a, 1, b, 1));

        int rows = 45;
        int d = 1029;
        DataBlock block = new DataBlock(0, 0, rows, d, rnd.doubles((long) rows * d, -1, 1).toArray(),
                rnd.doubles(rows, -3, 3).toArray());
        double[] w = rnd.doubles(d, -0.1, 0.1).toArray();
        LeastSquares ls = new LeastSquares();
        double[] grad = new double[d];
        put(out, "loss", ls.accumulate(block, w, grad));
        put(out, "grad", grad);
        int[] batch = {44, 3, 3, 17, 0, 29, 8, 40, 41, 42, 43, 1, 2, 5, 6, 7, 9, 10, 11, 12, 13, 30};
        double[] rowGrad = new double[d];
        put(out, "rowLoss", ls.accumulateRows(block, batch, 1, batch.length, w, rowGrad, 3));
        put(out, "rowGrad", rowGrad);
        double[] gram = new double[d];
        ls.addGramTimes(block, w, gram);
        put(out, "gram", gram);

        int m = 13;
        int n = 11;
        int k = 29;
        double[] am = rnd.doubles(m * k, -1, 1).toArray();
        double[] bm = rnd.doubles(k * n, -1, 1).toArray();
        double[] c = new double[m * n];
        Kernels.gemm(m, n, k, am, 0, bm, 0, c, 0);
        put(out, "gemm", c);
        double[] ct = new double[k * k];
        Kernels.gemmNT(k, k, n, bm, 0, bm, 0, ct, 0);
        put(out, "gemmNT", ct);
        double[] tn = new double[n * n];
        Kernels.gemmTN(n, n, k, bm, 0, bm, 0, tn, 0);
        put(out, "gemmTN", tn);

        // The MLP classifier: both modes, with the dropout masks of a training minibatch.
        int[] layers = {37, 19, 11, 5};
        org.blora.core.model.Mlp mlp = new org.blora.core.model.Mlp(layers, 0.1, 7);
        double[] theta = org.blora.core.model.Mlp.init(mlp.layout(), new SplittableRandom(3));
        double[] labels = new double[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 5;
        }
        DataBlock images = new DataBlock(0, 0, rows, 37, rnd.doubles((long) rows * 37, -1, 1).toArray(), labels);
        double[] mlpGrad = new double[theta.length];
        put(out, "mlp.loss", mlp.accumulate(images, theta, mlpGrad));
        put(out, "mlp.grad", mlpGrad);
        double[] mlpRowGrad = new double[theta.length];
        put(out, "mlp.rowLoss", mlp.accumulateRows(images, batch, 1, batch.length, theta, mlpRowGrad, 3));
        put(out, "mlp.rowGrad", mlpRowGrad);

        double[][] sketch = {rnd.doubles(67, -1, 1).toArray(), rnd.doubles(67, -1, 1).toArray(),
                rnd.doubles(67, -1, 1).toArray()};
        ThinQR qr = ThinQR.of(sketch);
        for (int col = 0; col < qr.q.length; col++) {
            put(out, "qr.q" + col, qr.q[col]);
        }
        return out;
    }

    private static void put(List<String> out, String name, double v) {
        out.add(name + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
    }

    private static void put(List<String> out, String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            put(out, name + "[" + i + "]", v[i]);
        }
    }
}
