package org.blora.core.linalg;

/**
 * The executor-side kernels, with a summation order that is part of this code: the same bits on every host,
 * whatever its vector width, BLAS or JIT. A BLAS dot product sums in an order picked from the hardware (netlib's
 * VectorBLAS uses the widest vector the JVM allows, and fuses multiply-adds in the vector body but not in the
 * tail), so a task retried on another kind of executor would change a run.
 *
 * <p>The order, for every path:
 * <ul>
 *   <li>{@link #dot}: 16 partial sums, p_j = sum of a_i b_i over i = j (mod 16) in increasing i, each product
 *       rounded before it is added (no fused multiply-add); then p_j += p_{j+8}, p_j += p_{j+4}, p_j += p_{j+2},
 *       p_0 + p_1.</li>
 *   <li>{@link #addRows} and the {@code gemm} family: each output element is updated in place, one product at a
 *       time in increasing order of the summed index, each product rounded before it is added: bit for bit the
 *       naive loop, and so independent of how the work is blocked or vectorised.</li>
 * </ul>
 * Fused multiply-adds would be as deterministic, but a host without FMA hardware (an old or generically
 * virtualised CPU) computes them in software, far slower; a separate multiply and add costs little here.
 *
 * <p>With {@code --add-modules=jdk.incubator.vector} and at least 128-bit vectors the loops run on
 * {@code jdk.incubator.vector} at the JVM's preferred width (up to 512 bits); without the module, or with
 * narrower vectors, they run as scalar Java loops, slower, with the same results.
 */
public final class Kernels {
    /** Partial sums of {@link #dot}: a fixed number, not the hardware's lane count. */
    static final int PARTIALS = 16;
    /** Doubles per vector of the vectorised path; 0 when the scalar path runs. */
    static final int LANES = lanes();
    private static final boolean VECTOR = LANES > 0;

    private Kernels() {
    }

    /** 8, 4 or 2 doubles per vector when the vector module is there and the JVM allows 128+ bits, else 0. */
    private static int lanes() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? VectorKernels.lanes() : 0;
    }

    /** The vector loops run once they are compiled (see {@link VectorKernels#ready}); the results are the same. */
    private static boolean vector() {
        return VECTOR && VectorKernels.ready();
    }

    /** Blocks until the vector loops run (if this JVM has them): for tests and benchmarks that must measure them. */
    public static void awaitVectorLoops() throws InterruptedException {
        if (VECTOR) {
            VectorKernels.awaitReady();
        }
    }

    /** Whether this JVM runs the vector loops (once compiled); false: the scalar loops, same bits, slower. */
    public static boolean vectorLoops() {
        return VECTOR;
    }

    /**
     * Which path runs here, in one line for an executor's log and the benchmark's report: the vector width, or the
     * scalar loops and what would enable the vector ones.
     */
    public static String describe() {
        if (VECTOR) {
            return "fixed-order kernels: jdk.incubator.vector, " + LANES * 64 + "-bit vectors (" + LANES
                    + " doubles), multiply then add (no FMA); the same bits on every host";
        }
        String why = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                ? "this JVM's vectors are narrower than 128 bits (-XX:MaxVectorSize, or the CPU)"
                : "the JVM runs without jdk.incubator.vector: add --add-modules=jdk.incubator.vector to its options";
        return "fixed-order kernels: scalar loops, slower than the vector loops (" + why
                + "); the same bits on every host";
    }

    /** sum_i a[offA + i] b[offB + i], i < n, in the fixed order of the class comment. */
    public static double dot(int n, double[] a, int offA, double[] b, int offB) {
        double[] p = new double[PARTIALS];
        int body = n - n % PARTIALS;
        if (vector()) {
            VectorKernels.dotPartials(body, a, offA, b, offB, p);
        } else {
            scalarPartials(body, a, offA, b, offB, p);
        }
        for (int i = body; i < n; i++) {
            p[i - body] += a[offA + i] * b[offB + i];
        }
        return tree(p);
    }

    /** The scalar form of the 16 partial sums, in locals so the JIT keeps them in registers. */
    private static void scalarPartials(int body, double[] a, int offA, double[] b, int offB, double[] p) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        for (int i = 0; i < body; i += PARTIALS) {
            int x = offA + i;
            int y = offB + i;
            s0 += a[x] * b[y];
            s1 += a[x + 1] * b[y + 1];
            s2 += a[x + 2] * b[y + 2];
            s3 += a[x + 3] * b[y + 3];
            s4 += a[x + 4] * b[y + 4];
            s5 += a[x + 5] * b[y + 5];
            s6 += a[x + 6] * b[y + 6];
            s7 += a[x + 7] * b[y + 7];
            s8 += a[x + 8] * b[y + 8];
            s9 += a[x + 9] * b[y + 9];
            s10 += a[x + 10] * b[y + 10];
            s11 += a[x + 11] * b[y + 11];
            s12 += a[x + 12] * b[y + 12];
            s13 += a[x + 13] * b[y + 13];
            s14 += a[x + 14] * b[y + 14];
            s15 += a[x + 15] * b[y + 15];
        }
        p[0] = s0;
        p[1] = s1;
        p[2] = s2;
        p[3] = s3;
        p[4] = s4;
        p[5] = s5;
        p[6] = s6;
        p[7] = s7;
        p[8] = s8;
        p[9] = s9;
        p[10] = s10;
        p[11] = s11;
        p[12] = s12;
        p[13] = s13;
        p[14] = s14;
        p[15] = s15;
    }

    /**
     * out[k] = dot(n, x, rowOff[k], w, offW) for k < count, each bit for bit as {@link #dot}: the residuals of a
     * row block, several rows at a time so each load of w serves more than one row.
     */
    public static void dotRows(int n, double[] x, int[] rowOff, int count, double[] w, int offW, double[] out) {
        int body = n - n % PARTIALS;
        boolean vector = vector();
        double[] p = vector ? new double[PARTIALS * count] : null;
        if (vector) {
            VectorKernels.dotRowsPartials(body, x, rowOff, count, w, offW, p);
        }
        double[] one = new double[PARTIALS];
        for (int k = 0; k < count; k++) {
            if (vector) {
                System.arraycopy(p, PARTIALS * k, one, 0, PARTIALS);
            } else {
                scalarPartials(body, x, rowOff[k], w, offW, one);
            }
            for (int i = body; i < n; i++) {
                one[i - body] += x[rowOff[k] + i] * w[offW + i];
            }
            out[k] = tree(one);
        }
    }

    /** The pairwise combination of the 16 partial sums. */
    static double tree(double[] p) {
        for (int h = PARTIALS / 2; h >= 1; h >>= 1) {
            for (int j = 0; j < h; j++) {
                p[j] += p[j + h];
            }
        }
        return p[0];
    }

    /**
     * y[offY + j] += sum_k c[k] x[rowOff[k] + j] for j < n, rows k = 0..count-1 added one after another: the
     * transpose of a row block times a vector, reading and writing y once per block instead of once per row.
     */
    public static void addRows(int n, double[] x, int[] rowOff, double[] c, int count, double[] y, int offY) {
        if (vector()) {
            VectorKernels.addRows(n, x, rowOff, c, count, y, offY);
        } else {
            for (int k = 0; k < count; k++) {
                axpy(n, c[k], x, rowOff[k], y, offY);
            }
        }
    }

    /** y[offY + j] += alpha x[offX + j], j < n; the product is rounded before the add (no fused multiply-add). */
    public static void axpy(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        if (vector()) {
            VectorKernels.axpy(n, alpha, x, offX, y, offY);
        } else {
            for (int j = 0; j < n; j++) {
                y[offY + j] += alpha * x[offX + j];
            }
        }
    }

    /** C (m x n) += A (m x k) B (k x n), all row-major and contiguous from their offsets. */
    public static void gemm(int m, int n, int k, double[] a, int offA, double[] b, int offB, double[] c, int offC) {
        checkGemm(m, n, k, a.length - offA, b.length - offB, c.length - offC);
        gemmStrided(m, n, k, a, offA, k, 1, b, offB, n, 1, c, offC);
    }

    /** C (m x n) += A^T B with A stored k x m and B k x n, row-major. */
    public static void gemmTN(int m, int n, int k, double[] a, int offA, double[] b, int offB, double[] c, int offC) {
        checkGemm(m, n, k, a.length - offA, b.length - offB, c.length - offC);
        gemmStrided(m, n, k, a, offA, 1, m, b, offB, n, 1, c, offC);
    }

    /** C (m x n) += A B^T with A stored m x k and B n x k, row-major; the same summation order as {@link #gemm}. */
    public static void gemmNT(int m, int n, int k, double[] a, int offA, double[] b, int offB, double[] c, int offC) {
        checkGemm(m, n, k, a.length - offA, b.length - offB, c.length - offC);
        gemmStrided(m, n, k, a, offA, k, 1, b, offB, 1, k, c, offC);
    }

    private static void checkGemm(int m, int n, int k, int aLen, int bLen, int cLen) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if ((long) m * k > aLen || (long) k * n > bLen || (long) m * n > cLen) {
            throw new IllegalArgumentException("gemm m=" + m + " n=" + n + " k=" + k + " needs " + (long) m * k
                    + ", " + (long) k * n + ", " + (long) m * n + " entries after the offsets of A, B, C, got "
                    + aLen + ", " + bLen + ", " + cLen);
        }
    }

    /**
     * C (m x n, row-major) += A B where A's entry (i, l) is a[offA + i sAi + l sAl] and B's entry (l, j) is
     * b[offB + l sBl + j sBj]: each element of C sums its products in increasing l.
     */
    private static void gemmStrided(int m, int n, int k, double[] a, int offA, int sAi, int sAl,
                                    double[] b, int offB, int sBl, int sBj, double[] c, int offC) {
        if (vector()) {
            VectorKernels.gemm(m, n, k, a, offA, sAi, sAl, b, offB, sBl, sBj, c, offC);
        } else {
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) {
                    double ail = a[offA + i * sAi + l * sAl];
                    for (int j = 0; j < n; j++) {
                        c[offC + i * n + j] += ail * b[offB + l * sBl + j * sBj];
                    }
                }
            }
        }
    }
}
