package org.blora.core.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Arrays;
import org.netlib.util.intW;

/**
 * The project's one LAPACK wrapper: Householder QR of an m x n column-major matrix (dgeqrf, then dorgqr for the
 * thin Q), and the small SVD the PEFT export's truncation needs (dgesdd). Householder QR stays orthogonal when the
 * matrix is rank deficient. The driver-side callers use it (the low-rank SVD of an export, the generator's Haar
 * rotation); the sketches of a round use {@link ThinQR}, pure Java, so a round's bits never depend on which LAPACK
 * backend an executor loaded.
 *
 * <p>Both routines get one workspace of at least the size each asks for (they block by the same panel width, and a
 * workspace at least as large as the optimal one gives the same blocking and so the same bits).
 */
public final class Lapack {
    /** Q (m x k) and R (k x n), column-major, k = min(m, n); R's diagonal may be negative. */
    public record Qr(int k, double[] q, double[] r) {
    }

    private Lapack() {
    }

    /** The thin QR of {@code x} (m x n, column-major), which it overwrites. */
    public static Qr qr(double[] x, int m, int n) {
        int k = Math.min(m, n);
        LAPACK lapack = LAPACK.getInstance();
        double[] tau = new double[k];
        intW info = new intW(0);
        double[] query = new double[1];
        lapack.dgeqrf(m, n, x, m, tau, query, -1, info);
        int lwork = Math.max(n, (int) query[0]);
        lapack.dorgqr(m, k, k, x, m, tau, query, -1, info);
        lwork = Math.max(lwork, (int) query[0]);
        double[] work = new double[Math.max(1, lwork)];
        lapack.dgeqrf(m, n, x, m, tau, work, work.length, info);
        check("dgeqrf", info);
        double[] r = new double[k * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= Math.min(j, k - 1); i++) {
                r[i + j * k] = x[i + j * m];
            }
        }
        lapack.dorgqr(m, k, k, x, m, tau, work, work.length, info);
        check("dorgqr", info);
        // dorgqr leaves Q in the first k columns of x, which are its first m k entries.
        return new Qr(k, Arrays.copyOf(x, m * k), r);
    }

    /** The singular values, U (rows x k) and V^T (k x cols) of a small column-major matrix (overwritten), k = min. */
    public record Svd(double[] s, double[] u, double[] vt) {
    }

    public static Svd svd(double[] a, int rows, int cols) {
        int k = Math.min(rows, cols);
        double[] s = new double[k];
        // netlib 3.2's bounds check asks U for rows x rows entries whatever jobz ("S" writes rows x k): the core
        // matrices are rank-sized, so the larger buffer is cheap; U is its first rows x k entries (column-major).
        double[] u = new double[rows * rows];
        double[] vt = new double[k * cols];
        int[] iwork = new int[8 * k];
        intW info = new intW(0);
        double[] query = new double[1];
        LAPACK lapack = LAPACK.getInstance();
        lapack.dgesdd("S", rows, cols, a, rows, s, u, rows, vt, k, query, -1, iwork, info);
        double[] work = new double[(int) query[0]];
        lapack.dgesdd("S", rows, cols, a, rows, s, u, rows, vt, k, work, work.length, iwork, info);
        check("dgesdd", info);
        return new Svd(s, Arrays.copyOf(u, rows * k), vt);
    }

    private static void check(String routine, intW info) {
        if (info.val != 0) {
            throw new ArithmeticException(routine + " failed with info = " + info.val + " (expected 0)");
        }
    }
}
