package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contractive-compressor contract: E||C(x) − x||² ≤ (1 − α)||x||² with α ∈ (0, 1], checked by Monte Carlo with
 * the tolerance of {@link MonteCarlo} (exact up to rounding for deterministic compressors, whose SE is 0).
 */
interface ContractiveContract extends CompressorContract {

    @Override
    ContractiveCompressor compressor();

    default int contractionDraws() {
        return 20_000;
    }

    default double[] contractionVector() {
        return Vectors.sample(37, 22);
    }

    @Test
    default void meanSquaredErrorIsWithinOneMinusAlpha() {
        double[] x = contractionVector();
        double norm2 = Vectors.squaredNorm(x);
        double bound = (1.0 - compressor().alpha(x.length)) * norm2;
        MonteCarlo.Estimate e = MonteCarlo.squaredError(compressor(), x, contractionDraws(), 1003);
        assertNull(MonteCarlo.exceeds(e, bound, norm2, "E||C(x) - x||^2"));
    }

    @Test
    default void alphaIsInZeroOne() {
        for (int d : dimensions()) {
            double alpha = compressor().alpha(d);
            assertTrue(alpha > 0.0 && alpha <= 1.0, "alpha(" + d + ") = " + alpha);
        }
    }

    @Test
    default void zeroMapsToZeroVector() {
        CompressedMessage m = compressor().compress(new double[50], new SplittableRandom(7));
        assertEquals(0.0, m.squaredNorm());
    }
}
