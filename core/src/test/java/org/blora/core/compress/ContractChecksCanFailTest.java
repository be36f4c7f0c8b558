package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The statistical checks of the contracts, fed with deliberately broken compressors, must report a violation;
 * otherwise a green contract run would prove nothing.
 */
class ContractChecksCanFailTest {

    private static final double[] X = Vectors.sample(37, 21);

    /** Rand-K without the d/k scaling: biased. */
    private static final UnbiasedCompressor UNSCALED_RANDK = new UnbiasedCompressor() {
        @Override
        public CompressedMessage compress(double[] x, SplittableRandom rng) {
            int k = new RandK(0.1).k(x.length);
            return new ScaledMessage(new RandK(0.1).compress(x, rng), (double) k / x.length);
        }

        @Override
        public double omega(int d) {
            return 1.0;
        }

        @Override
        public String name() {
            return "unscaled-randk";
        }
    };

    /** Correct Rand-K claiming an ω 10% below the true d/k − 1. */
    private static final UnbiasedCompressor OPTIMISTIC_RANDK = new UnbiasedCompressor() {
        private final RandK inner = new RandK(0.1);

        @Override
        public CompressedMessage compress(double[] x, SplittableRandom rng) {
            return inner.compress(x, rng);
        }

        @Override
        public double omega(int d) {
            return 0.9 * inner.omega(d);
        }

        @Override
        public String name() {
            return "optimistic-randk";
        }
    };

    @Test
    void biasIsDetected() {
        assertNotNull(MonteCarlo.biasViolation(MonteCarlo.coordinateMeans(UNSCALED_RANDK, X, 20_000, 1), X));
        assertNull(MonteCarlo.biasViolation(MonteCarlo.coordinateMeans(new RandK(0.1), X, 20_000, 1), X));
    }

    @Test
    void anUnderstatedOmegaIsDetected() {
        MonteCarlo.Estimate e = MonteCarlo.squaredError(OPTIMISTIC_RANDK, X, 20_000, 2);
        double norm2 = Vectors.squaredNorm(X);
        assertNotNull(MonteCarlo.exceeds(e, OPTIMISTIC_RANDK.omega(X.length) * norm2, norm2, "variance"));
    }

    @Test
    void anOverstatedAlphaIsDetected() {
        double[] x = Vectors.sample(100, 3);
        MonteCarlo.Estimate e = MonteCarlo.squaredError(new TopK(0.1), x, 10, 3);
        double norm2 = Vectors.squaredNorm(x);
        double claimedAlpha = 0.999;
        assertNotNull(MonteCarlo.exceeds(e, (1 - claimedAlpha) * norm2, norm2, "contraction"));
    }

    /** Q/(ω+1) with an understated ω is not contractive enough for its claimed α: also detected. */
    @Test
    void aScaledCompressorWithUnderstatedOmegaIsDetected() {
        ScaledContractive c = new ScaledContractive(OPTIMISTIC_RANDK);
        MonteCarlo.Estimate e = MonteCarlo.squaredError(c, X, 20_000, 4);
        double norm2 = Vectors.squaredNorm(X);
        assertNotNull(MonteCarlo.exceeds(e, (1 - c.alpha(X.length)) * norm2, norm2, "contraction"));
    }
}
