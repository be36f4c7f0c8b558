package org.blora.core.random;

import java.util.SplittableRandom;

/** Gamma(alpha, 1) draws (Marsaglia-Tsang; alpha < 1 via the boost alpha + 1), e.g. for Dirichlet client sizes. */
public final class Gamma {
    private Gamma() {
    }

    public static double sample(double alpha, SplittableRandom rng) {
        if (alpha < 1) {
            return sample(alpha + 1, rng) * Math.pow(rng.nextDouble(), 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
