package org.blora.core.linalg;

import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vectorised loops behind {@link Kernels}, loaded only when {@code jdk.incubator.vector} is present. They run
 * on the JVM's preferred species (at most 512 bits: 8, 4 or 2 doubles) and keep the summation order
 * {@link Kernels} defines whatever that width is: the dot product always keeps 16 partial sums (2 vectors of 8,
 * 4 of 4 or 8 of 2), and the row and matrix products update each output element one product at a time, so their
 * width only decides how many elements are updated together. Products are rounded before they are added
 * ({@code mul} then {@code add}, never {@code fma}), as in the scalar loops.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED.length() >= 8
            ? DoubleVector.SPECIES_512
            : DoubleVector.SPECIES_PREFERRED.length() >= 4 ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_128;
    private static final int L = S.length();
    /** Rows of B per packed panel: KC rows of one tile's 2 vectors (32 KB at 8 lanes) stay in L1 across C's rows. */
    private static final int KC = 256;
    /**
     * Calls of each loop in {@link #warmUp}: far past the JIT's thresholds, so that C2 has compiled the loops, not
     * just queued them, before the scalar loops hand over, even in a JVM whose compile queue is long (Spark's).
     * Once compiled, the remaining calls take microseconds each.
     */
    private static final int WARM_CALLS = 20_000;

    /** Counted down once {@link #warmUp} has run every loop past the JIT's thresholds for compiling it. */
    private static final CountDownLatch WARM = new CountDownLatch(1);

    static {
        if (lanes() > 0) {
            Thread t = new Thread(VectorKernels::warmUp, "blora-kernels-warm-up");
            t.setDaemon(true);
            t.start();
        }
    }

    private VectorKernels() {
    }

    /**
     * Whether the vector loops are compiled yet. Until the JIT's optimising compiler has compiled them, each vector
     * operation allocates an object, and a first pass over a block can take a second where the compiled loop takes
     * a millisecond; {@link Kernels} runs its scalar loops (same results) until then, while a background thread
     * warms these up.
     */
    static boolean ready() {
        return WARM.getCount() == 0;
    }

    /** Blocks until {@link #ready}: for tests that must run the vector loops themselves. */
    static void awaitReady() throws InterruptedException {
        WARM.await();
    }

    /**
     * Every loop and every remainder path, on arrays long enough that each call runs its loop 32 times: the JIT
     * compiles a method with C2 once its calls plus loop iterations pass a threshold (15,000 by default), and
     * each iteration before that is slow, so few long calls warm up faster than many short ones.
     */
    private static void warmUp() {
        try {
            int n = 32 * 16 + 7;
            double[] x = new double[5 * n];
            double[] y = new double[n];
            double[] p = new double[5 * 16];
            int[] rows = {0, n, 2 * n, 3 * n, 4 * n};
            // 13 rows: a group of 8, a group of 4 and a single row in addRows.
            int[] rows13 = {0, n, 2 * n, 3 * n, 4 * n, 0, n, 2 * n, 3 * n, 4 * n, 0, n, 2 * n};
            double[] c = {1, -1, 0.5, 0.25, 2, 1, -1, 0.5, 0.25, 2, 1, -1, 0.5};
            int gn = 2 * L + 3;
            int gk = 32;
            double[] gc = new double[5 * gn];
            java.util.Arrays.fill(x, 1e-3);
            for (int rep = 0; rep < WARM_CALLS; rep++) {
                dotPartials(n - 7, x, 0, y, 0, p);
                dotRowsPartials(n - 7, x, rows, 4 + rep % 2, y, 0, p);
                addRows(n, x, rows13, c, 13, y, 0);
                axpy(n, -1e-3, x, 0, y, 0);
                gemm(5, gn, gk, x, 0, gk, 1, x, 5 * gk, gn, 1, gc, 0);
                gemm(5, gn, gk, x, 0, gk, 1, x, 5 * gk, 1, gk, gc, 0);
            }
        } finally {
            WARM.countDown();
        }
    }

    /** 8, 4 or 2 when the JVM runs vectors of at least 128 bits, else 0 (a 64-bit vector is no faster than scalar). */
    static int lanes() {
        return DoubleVector.SPECIES_PREFERRED.length() >= 2 ? L : 0;
    }

    private static DoubleVector at(double[] a, int off) {
        return DoubleVector.fromArray(S, a, off);
    }

    /** p[j] += sum of a_i b_i over i < body, i = j (mod 16); body is a multiple of 16. */
    static void dotPartials(int body, double[] a, int offA, double[] b, int offB, double[] p) {
        if (L == 8) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            for (int i = 0; i < body; i += 16) {
                s0 = s0.add(at(a, offA + i).mul(at(b, offB + i)));
                s1 = s1.add(at(a, offA + i + 8).mul(at(b, offB + i + 8)));
            }
            s0.intoArray(p, 0);
            s1.intoArray(p, 8);
        } else if (L == 4) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int i = 0; i < body; i += 16) {
                s0 = s0.add(at(a, offA + i).mul(at(b, offB + i)));
                s1 = s1.add(at(a, offA + i + 4).mul(at(b, offB + i + 4)));
                s2 = s2.add(at(a, offA + i + 8).mul(at(b, offB + i + 8)));
                s3 = s3.add(at(a, offA + i + 12).mul(at(b, offB + i + 12)));
            }
            s0.intoArray(p, 0);
            s1.intoArray(p, 4);
            s2.intoArray(p, 8);
            s3.intoArray(p, 12);
        } else {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            DoubleVector s4 = s0;
            DoubleVector s5 = s0;
            DoubleVector s6 = s0;
            DoubleVector s7 = s0;
            for (int i = 0; i < body; i += 16) {
                s0 = s0.add(at(a, offA + i).mul(at(b, offB + i)));
                s1 = s1.add(at(a, offA + i + 2).mul(at(b, offB + i + 2)));
                s2 = s2.add(at(a, offA + i + 4).mul(at(b, offB + i + 4)));
                s3 = s3.add(at(a, offA + i + 6).mul(at(b, offB + i + 6)));
                s4 = s4.add(at(a, offA + i + 8).mul(at(b, offB + i + 8)));
                s5 = s5.add(at(a, offA + i + 10).mul(at(b, offB + i + 10)));
                s6 = s6.add(at(a, offA + i + 12).mul(at(b, offB + i + 12)));
                s7 = s7.add(at(a, offA + i + 14).mul(at(b, offB + i + 14)));
            }
            s0.intoArray(p, 0);
            s1.intoArray(p, 2);
            s2.intoArray(p, 4);
            s3.intoArray(p, 6);
            s4.intoArray(p, 8);
            s5.intoArray(p, 10);
            s6.intoArray(p, 12);
            s7.intoArray(p, 14);
        }
    }

    /**
     * The 16 partial sums of each row k of x (from rowOff[k]) against w over the first body entries, into
     * p[16 k ..]; body is a multiple of 16. With 8 or 4 lanes four rows run together and share each load of w;
     * each row keeps its own partial sums, so the grouping does not change results.
     */
    static void dotRowsPartials(int body, double[] x, int[] rowOff, int count, double[] w, int offW, double[] p) {
        int k = 0;
        if (L == 8) {
            for (; k + 4 <= count; k += 4) {
                dot4Rows8(body, x, rowOff[k], rowOff[k + 1], rowOff[k + 2], rowOff[k + 3], w, offW, p, 16 * k);
            }
        } else if (L == 4) {
            for (; k + 4 <= count; k += 4) {
                dot4Rows4(body, x, rowOff[k], rowOff[k + 1], rowOff[k + 2], rowOff[k + 3], w, offW, p, 16 * k);
            }
        }
        double[] one = new double[16];
        for (; k < count; k++) {
            java.util.Arrays.fill(one, 0.0);
            dotPartials(body, x, rowOff[k], w, offW, one);
            System.arraycopy(one, 0, p, 16 * k, 16);
        }
    }

    private static void dot4Rows8(int body, double[] x, int o0, int o1, int o2, int o3, double[] w, int offW,
                                  double[] p, int at) {
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector b0 = a0;
        DoubleVector b1 = a0;
        DoubleVector c0 = a0;
        DoubleVector c1 = a0;
        DoubleVector e0 = a0;
        DoubleVector e1 = a0;
        for (int i = 0; i < body; i += 16) {
            DoubleVector w0 = at(w, offW + i);
            DoubleVector w1 = at(w, offW + i + 8);
            a0 = a0.add(at(x, o0 + i).mul(w0));
            a1 = a1.add(at(x, o0 + i + 8).mul(w1));
            b0 = b0.add(at(x, o1 + i).mul(w0));
            b1 = b1.add(at(x, o1 + i + 8).mul(w1));
            c0 = c0.add(at(x, o2 + i).mul(w0));
            c1 = c1.add(at(x, o2 + i + 8).mul(w1));
            e0 = e0.add(at(x, o3 + i).mul(w0));
            e1 = e1.add(at(x, o3 + i + 8).mul(w1));
        }
        a0.intoArray(p, at);
        a1.intoArray(p, at + 8);
        b0.intoArray(p, at + 16);
        b1.intoArray(p, at + 24);
        c0.intoArray(p, at + 32);
        c1.intoArray(p, at + 40);
        e0.intoArray(p, at + 48);
        e1.intoArray(p, at + 56);
    }

    private static void dot4Rows4(int body, double[] x, int o0, int o1, int o2, int o3, double[] w, int offW,
                                  double[] p, int at) {
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        DoubleVector b0 = a0;
        DoubleVector b1 = a0;
        DoubleVector b2 = a0;
        DoubleVector b3 = a0;
        DoubleVector c0 = a0;
        DoubleVector c1 = a0;
        DoubleVector c2 = a0;
        DoubleVector c3 = a0;
        DoubleVector e0 = a0;
        DoubleVector e1 = a0;
        DoubleVector e2 = a0;
        DoubleVector e3 = a0;
        for (int i = 0; i < body; i += 16) {
            DoubleVector w0 = at(w, offW + i);
            a0 = a0.add(at(x, o0 + i).mul(w0));
            b0 = b0.add(at(x, o1 + i).mul(w0));
            c0 = c0.add(at(x, o2 + i).mul(w0));
            e0 = e0.add(at(x, o3 + i).mul(w0));
            DoubleVector w1 = at(w, offW + i + 4);
            a1 = a1.add(at(x, o0 + i + 4).mul(w1));
            b1 = b1.add(at(x, o1 + i + 4).mul(w1));
            c1 = c1.add(at(x, o2 + i + 4).mul(w1));
            e1 = e1.add(at(x, o3 + i + 4).mul(w1));
            DoubleVector w2 = at(w, offW + i + 8);
            a2 = a2.add(at(x, o0 + i + 8).mul(w2));
            b2 = b2.add(at(x, o1 + i + 8).mul(w2));
            c2 = c2.add(at(x, o2 + i + 8).mul(w2));
            e2 = e2.add(at(x, o3 + i + 8).mul(w2));
            DoubleVector w3 = at(w, offW + i + 12);
            a3 = a3.add(at(x, o0 + i + 12).mul(w3));
            b3 = b3.add(at(x, o1 + i + 12).mul(w3));
            c3 = c3.add(at(x, o2 + i + 12).mul(w3));
            e3 = e3.add(at(x, o3 + i + 12).mul(w3));
        }
        a0.intoArray(p, at);
        a1.intoArray(p, at + 4);
        a2.intoArray(p, at + 8);
        a3.intoArray(p, at + 12);
        b0.intoArray(p, at + 16);
        b1.intoArray(p, at + 20);
        b2.intoArray(p, at + 24);
        b3.intoArray(p, at + 28);
        c0.intoArray(p, at + 32);
        c1.intoArray(p, at + 36);
        c2.intoArray(p, at + 40);
        c3.intoArray(p, at + 44);
        e0.intoArray(p, at + 48);
        e1.intoArray(p, at + 52);
        e2.intoArray(p, at + 56);
        e3.intoArray(p, at + 60);
    }

    /**
     * See {@link Kernels#addRows}. The rows are taken 8 at a time (then 4, then one by one), each group in one
     * sweep over y that adds its rows to each vector of y in row order: the order per element of y is the rows'
     * order whatever the grouping. Eight rows per sweep is the measured best on a 16-row block: y is read and
     * written twice per block instead of once per row, and only 8 row streams are read at a time (holding y in
     * registers over all 16 rows reads 16 streams at once, which the caches' prefetchers follow less well).
     */
    static void addRows(int n, double[] x, int[] rowOff, double[] c, int count, double[] y, int offY) {
        int k = 0;
        for (; k + 8 <= count; k += 8) {
            add8Rows(n, x, rowOff, c, k, y, offY);
        }
        for (; k + 4 <= count; k += 4) {
            add4Rows(n, x, rowOff, c, k, y, offY);
        }
        for (; k < count; k++) {
            axpy(n, c[k], x, rowOff[k], y, offY);
        }
    }

    private static void add8Rows(int n, double[] x, int[] rowOff, double[] c, int k, double[] y, int offY) {
        int o0 = rowOff[k];
        int o1 = rowOff[k + 1];
        int o2 = rowOff[k + 2];
        int o3 = rowOff[k + 3];
        int o4 = rowOff[k + 4];
        int o5 = rowOff[k + 5];
        int o6 = rowOff[k + 6];
        int o7 = rowOff[k + 7];
        DoubleVector c0 = DoubleVector.broadcast(S, c[k]);
        DoubleVector c1 = DoubleVector.broadcast(S, c[k + 1]);
        DoubleVector c2 = DoubleVector.broadcast(S, c[k + 2]);
        DoubleVector c3 = DoubleVector.broadcast(S, c[k + 3]);
        DoubleVector c4 = DoubleVector.broadcast(S, c[k + 4]);
        DoubleVector c5 = DoubleVector.broadcast(S, c[k + 5]);
        DoubleVector c6 = DoubleVector.broadcast(S, c[k + 6]);
        DoubleVector c7 = DoubleVector.broadcast(S, c[k + 7]);
        int body = n - n % L;
        for (int j = 0; j < body; j += L) {
            DoubleVector v = at(y, offY + j);
            v = v.add(at(x, o0 + j).mul(c0));
            v = v.add(at(x, o1 + j).mul(c1));
            v = v.add(at(x, o2 + j).mul(c2));
            v = v.add(at(x, o3 + j).mul(c3));
            v = v.add(at(x, o4 + j).mul(c4));
            v = v.add(at(x, o5 + j).mul(c5));
            v = v.add(at(x, o6 + j).mul(c6));
            v = v.add(at(x, o7 + j).mul(c7));
            v.intoArray(y, offY + j);
        }
        tail(body, n, x, rowOff, c, k, k + 8, y, offY);
    }

    private static void add4Rows(int n, double[] x, int[] rowOff, double[] c, int k, double[] y, int offY) {
        int o0 = rowOff[k];
        int o1 = rowOff[k + 1];
        int o2 = rowOff[k + 2];
        int o3 = rowOff[k + 3];
        DoubleVector c0 = DoubleVector.broadcast(S, c[k]);
        DoubleVector c1 = DoubleVector.broadcast(S, c[k + 1]);
        DoubleVector c2 = DoubleVector.broadcast(S, c[k + 2]);
        DoubleVector c3 = DoubleVector.broadcast(S, c[k + 3]);
        int body = n - n % L;
        for (int j = 0; j < body; j += L) {
            DoubleVector v = at(y, offY + j);
            v = v.add(at(x, o0 + j).mul(c0));
            v = v.add(at(x, o1 + j).mul(c1));
            v = v.add(at(x, o2 + j).mul(c2));
            v = v.add(at(x, o3 + j).mul(c3));
            v.intoArray(y, offY + j);
        }
        tail(body, n, x, rowOff, c, k, k + 4, y, offY);
    }

    /** The elements from body on, rows from..to-1 in order. */
    private static void tail(int body, int n, double[] x, int[] rowOff, double[] c, int from, int to, double[] y,
                             int offY) {
        for (int j = body; j < n; j++) {
            double s = y[offY + j];
            for (int k = from; k < to; k++) {
                s += c[k] * x[rowOff[k] + j];
            }
            y[offY + j] = s;
        }
    }

    static void axpy(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        DoubleVector av = DoubleVector.broadcast(S, alpha);
        int body = n - n % L;
        for (int j = 0; j < body; j += L) {
            at(y, offY + j).add(at(x, offX + j).mul(av)).intoArray(y, offY + j);
        }
        for (int j = body; j < n; j++) {
            y[offY + j] += alpha * x[offX + j];
        }
    }

    /**
     * C (m x n, row-major) += A B with A's entry (i, l) at a[offA + i sAi + l sAl] and B's entry (l, j) at
     * b[offB + l sBl + j sBj]. A 4-row by 2-vector tile of C stays in registers over a block of l, and the blocks
     * of l run in increasing order, so each element still sums in order of l. The block of B for one tile column
     * is first copied into a contiguous panel: B's rows are n apart (or its columns k apart), and strided reads
     * would miss L1 on every use.
     */
    static void gemm(int m, int n, int k, double[] a, int offA, int sAi, int sAl, double[] b, int offB, int sBl,
                     int sBj, double[] c, int offC) {
        int nr = 2 * L;
        int nBody = n - n % nr;
        int mBody = m - m % 4;
        double[] panel = new double[Math.min(k, KC) * nr];
        for (int l0 = 0; l0 < k; l0 += KC) {
            int kc = Math.min(KC, k - l0);
            for (int j = 0; j < nBody; j += nr) {
                pack(b, offB + l0 * sBl + j * sBj, sBl, sBj, kc, nr, panel);
                for (int i = 0; i < mBody; i += 4) {
                    int c0 = offC + i * n + j;
                    int c1 = c0 + n;
                    int c2 = c1 + n;
                    int c3 = c2 + n;
                    DoubleVector t00 = at(c, c0);
                    DoubleVector t01 = at(c, c0 + L);
                    DoubleVector t10 = at(c, c1);
                    DoubleVector t11 = at(c, c1 + L);
                    DoubleVector t20 = at(c, c2);
                    DoubleVector t21 = at(c, c2 + L);
                    DoubleVector t30 = at(c, c3);
                    DoubleVector t31 = at(c, c3 + L);
                    int ai = offA + i * sAi + l0 * sAl;
                    for (int l = 0; l < kc; l++) {
                        DoubleVector b0 = at(panel, l * nr);
                        DoubleVector b1 = at(panel, l * nr + L);
                        int al = ai + l * sAl;
                        DoubleVector a0 = DoubleVector.broadcast(S, a[al]);
                        DoubleVector a1 = DoubleVector.broadcast(S, a[al + sAi]);
                        DoubleVector a2 = DoubleVector.broadcast(S, a[al + 2 * sAi]);
                        DoubleVector a3 = DoubleVector.broadcast(S, a[al + 3 * sAi]);
                        t00 = t00.add(b0.mul(a0));
                        t01 = t01.add(b1.mul(a0));
                        t10 = t10.add(b0.mul(a1));
                        t11 = t11.add(b1.mul(a1));
                        t20 = t20.add(b0.mul(a2));
                        t21 = t21.add(b1.mul(a2));
                        t30 = t30.add(b0.mul(a3));
                        t31 = t31.add(b1.mul(a3));
                    }
                    t00.intoArray(c, c0);
                    t01.intoArray(c, c0 + L);
                    t10.intoArray(c, c1);
                    t11.intoArray(c, c1 + L);
                    t20.intoArray(c, c2);
                    t21.intoArray(c, c2 + L);
                    t30.intoArray(c, c3);
                    t31.intoArray(c, c3 + L);
                }
                for (int i = mBody; i < m; i++) {
                    int c0 = offC + i * n + j;
                    DoubleVector t0 = at(c, c0);
                    DoubleVector t1 = at(c, c0 + L);
                    for (int l = 0; l < kc; l++) {
                        DoubleVector av = DoubleVector.broadcast(S, a[offA + i * sAi + (l0 + l) * sAl]);
                        t0 = t0.add(at(panel, l * nr).mul(av));
                        t1 = t1.add(at(panel, l * nr + L).mul(av));
                    }
                    t0.intoArray(c, c0);
                    t1.intoArray(c, c0 + L);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = nBody; j < n; j++) {
                double s = c[offC + i * n + j];
                for (int l = 0; l < k; l++) {
                    s += a[offA + i * sAi + l * sAl] * b[offB + l * sBl + j * sBj];
                }
                c[offC + i * n + j] = s;
            }
        }
    }

    /** panel[l nr + jj] = B(l, jj) for l < kc, jj < nr, B's entry (l, j) at b[off + l sBl + j sBj]. */
    private static void pack(double[] b, int off, int sBl, int sBj, int kc, int nr, double[] panel) {
        if (sBj == 1) {
            for (int l = 0; l < kc; l++) {
                System.arraycopy(b, off + l * sBl, panel, l * nr, nr);
            }
        } else {
            for (int jj = 0; jj < nr; jj++) {
                for (int l = 0; l < kc; l++) {
                    panel[l * nr + jj] = b[off + l * sBl + jj * sBj];
                }
            }
        }
    }
}
