package org.blora.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Kernels;

/**
 * The fixed-order matrix products against netlib's dgemm, one thread, side by side per repetition, at the shape of
 * an MLP layer on a minibatch (100 rows, 784 inputs, 256 outputs): C += A B, A B^T and A^T B on row-major arrays
 * (netlib sees them as the column-major transposes). Returns our C += A B time over netlib's.
 */
final class GemmRows {
    private GemmRows() {
    }

    static double measure(int reps, Report rep) {
        int m = 100;
        int n = 256;
        int k = 784;
        SplittableRandom rnd = new SplittableRandom(1);
        double[] a = rnd.doubles(m * k, -1, 1).toArray();
        double[] at = rnd.doubles(k * m, -1, 1).toArray();
        double[] b = rnd.doubles(k * n, -1, 1).toArray();
        double[] bt = rnd.doubles(n * k, -1, 1).toArray();
        double[] c = new double[m * n];
        BLAS blas = Dense.blas();
        Samples[] s = RoundBenchmark.samples(6);
        for (int r = -Math.max(10, reps / 4); r < reps; r++) {
            long t0 = System.nanoTime();
            Kernels.gemm(m, n, k, a, 0, b, 0, c, 0);
            long t1 = System.nanoTime();
            blas.dgemm("N", "N", n, m, k, 1.0, b, n, a, k, 1.0, c, n);
            long t2 = System.nanoTime();
            Kernels.gemmNT(m, n, k, a, 0, bt, 0, c, 0);
            long t3 = System.nanoTime();
            blas.dgemm("T", "N", n, m, k, 1.0, bt, k, a, k, 1.0, c, n);
            long t4 = System.nanoTime();
            Kernels.gemmTN(m, n, k, at, 0, b, 0, c, 0);
            long t5 = System.nanoTime();
            blas.dgemm("N", "T", n, m, k, 1.0, b, n, at, m, 1.0, c, n);
            long t6 = System.nanoTime();
            if (r >= 0) {
                long[] t = {t0, t1, t2, t3, t4, t5, t6};
                for (int i = 0; i < 6; i++) {
                    s[i].addNanos(t[i + 1] - t[i]);
                }
            }
        }
        String shape = " (" + m + "x" + k + " times " + k + "x" + n + ", 1 thread)";
        String[] names = {"Kernels.gemm C += A B", "netlib dgemm C += A B", "Kernels.gemmNT C += A B^T",
                "netlib dgemm C += A B^T", "Kernels.gemmTN C += A^T B", "netlib dgemm C += A^T B"};
        for (int i = 0; i < 6; i++) {
            rep.row(names[i] + shape, s[i]);
        }
        return s[0].median() / s[1].median();
    }
}
