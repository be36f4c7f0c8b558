package org.blora.core.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

/**
 * Dense vector and row-major matrix operations on flat {@code double[]}. Reductions and updates go through
 * {@link Kernels}, whose summation order is fixed by this code, so a result has the same bits on every executor;
 * small driver-side products are plain loops, written to touch memory row by row.
 */
public final class Dense {
    private static final BLAS BLAS_ = JavaBLAS.getInstance();

    private Dense() {
    }

    /**
     * netlib's Java BLAS (VectorBLAS where the vector module is there), only as the benchmark's comparison: its
     * summation order depends on the host's vector width, so results computed with it may differ between
     * executors. The Java implementation, not {@code BLAS.getInstance()}: that one loads any native libblas the
     * host has installed (Debian's reference BLAS is 2-3x slower than VectorBLAS), so the comparison would depend
     * on the host's packages.
     */
    public static BLAS blas() {
        return BLAS_;
    }

    public static double dot(double[] a, double[] b) {
        return Kernels.dot(a.length, a, 0, b, 0);
    }

    public static double dot(int n, double[] a, int offA, double[] b, int offB) {
        return Kernels.dot(n, a, offA, b, offB);
    }

    /** y += alpha * x. */
    public static void axpy(double alpha, double[] x, double[] y) {
        Kernels.axpy(x.length, alpha, x, 0, y, 0);
    }

    /** y[offY..] += alpha * x[offX..], n entries. */
    public static void axpy(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        Kernels.axpy(n, alpha, x, offX, y, offY);
    }

    public static double normSq(double[] a) {
        return dot(a, a);
    }

    public static void scale(double alpha, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= alpha;
        }
    }

    public static double[] copy(double[] a) {
        return a.clone();
    }

    /** out = a - b. */
    public static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** True when every entry is finite. */
    public static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
