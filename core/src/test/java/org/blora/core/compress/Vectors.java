package org.blora.core.compress;

import java.util.SplittableRandom;

/** Test vectors: mixed signs and magnitudes (six decades), about 10% zeros, some tied magnitudes. */
final class Vectors {

    private Vectors() {
    }

    static double[] sample(int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            double u = rng.nextDouble();
            if (u < 0.1) {
                x[i] = 0.0;
            } else if (u < 0.2 && i > 0) {
                x[i] = -x[rng.nextInt(i)];
            } else {
                x[i] = (rng.nextDouble() - 0.5) * Math.pow(10.0, rng.nextDouble() * 6.0 - 3.0);
            }
        }
        x[0] = 1.5;
        return x;
    }

    /** Magnitudes in [0.1, 1], random signs, and one zero entry (for d ≥ 2). */
    static double[] moderate(int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = (rng.nextBoolean() ? 1 : -1) * (0.1 + 0.9 * rng.nextDouble());
        }
        if (d >= 2) {
            x[d / 2] = 0.0;
        }
        return x;
    }

    static double squaredNorm(double[] x) {
        double s = 0.0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    }

    static double maxAbs(double[] x) {
        double m = 0.0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Smallest b with 2^b ≥ n, by counting (independent of the implementation's bit trick). */
    static int ceilLog2(long n) {
        int b = 0;
        while ((1L << b) < n) {
            b++;
        }
        return b;
    }
}
