package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The unbiased-compressor contract: E Q(x) = x and E||Q(x) − x||² ≤ ω||x||², checked by Monte Carlo with the
 * tolerance of {@link MonteCarlo} (5 standard errors per coordinate mean, and for the mean squared error).
 */
interface UnbiasedContract extends CompressorContract {

    @Override
    UnbiasedCompressor compressor();

    /** Number of independent draws of the statistical checks. */
    default int draws() {
        return 20_000;
    }

    /**
     * The vector the statistical checks run on; override with a worst case where the bound is tight. The tolerance
     * rests on the central limit theorem, so every coordinate's random event must occur many times in
     * {@link #draws()}: magnitudes stay within one decade (with {@link Vectors#sample}'s six decades, QSGD's
     * rounding of a 1e-3-sized entry happens with probability ~1e-5 and is never seen in 20 000 draws).
     */
    default double[] statisticsVector() {
        return Vectors.moderate(37, 21);
    }

    @Test
    default void meanOverDrawsIsX() {
        double[] x = statisticsVector();
        assertNull(MonteCarlo.biasViolation(MonteCarlo.coordinateMeans(compressor(), x, draws(), 1001), x));
    }

    @Test
    default void meanSquaredErrorIsWithinOmega() {
        double[] x = statisticsVector();
        double bound = compressor().omega(x.length) * Vectors.squaredNorm(x);
        MonteCarlo.Estimate e = MonteCarlo.squaredError(compressor(), x, draws(), 1002);
        assertNull(MonteCarlo.exceeds(e, bound, Vectors.squaredNorm(x), "E||Q(x) - x||^2"));
    }

    @Test
    default void omegaIsFiniteAndNonNegative() {
        for (int d : dimensions()) {
            double omega = compressor().omega(d);
            assertTrue(omega >= 0.0 && omega < Double.POSITIVE_INFINITY, "omega(" + d + ") = " + omega);
        }
    }

    /** Variance ≤ ω·0 forces Q(0) = 0. */
    @Test
    default void zeroMapsToZero() {
        for (int d : dimensions()) {
            CompressedMessage m = compressor().compress(new double[d], new SplittableRandom(6));
            assertEquals(0.0, m.squaredNorm());
        }
    }
}
