package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScaledContractiveTest {

    /** The contract for Q/(ω+1) over one unbiased Q; bits are those of Q. */
    abstract static class Over implements ContractiveContract {
        abstract UnbiasedCompressor unbiased();

        abstract long unbiasedBits(int d);

        @Override
        public ScaledContractive compressor() {
            return new ScaledContractive(unbiased());
        }

        @Override
        public long expectedBits(int d) {
            return unbiasedBits(d);
        }

        @Test
        void alphaIsOneOverOmegaPlusOneAndValuesAreScaled() {
            double[] x = Vectors.sample(200, 80);
            double omega = unbiased().omega(200);
            assertEquals(1.0 / (omega + 1.0), compressor().alpha(200), 0.0);
            double[] q = unbiased().compress(x, new SplittableRandom(9)).toDense();
            double[] c = compressor().compress(x, new SplittableRandom(9)).toDense();
            for (int i = 0; i < x.length; i++) {
                assertEquals(q[i] / (omega + 1.0), c[i], 1e-15 * Math.abs(q[i]));
            }
        }
    }

    @Nested
    class OverRandK extends Over {
        @Override
        UnbiasedCompressor unbiased() {
            return new RandK(0.25);
        }

        @Override
        long unbiasedBits(int d) {
            return Math.max(1, Math.round(0.25 * d)) * (64L + Vectors.ceilLog2(d));
        }

        /** For Rand-K the bound holds with equality: E||Q/(ω+1) − x||² = (1 − k/d)||x||². */
        @Test
        void contractionBoundIsTight() {
            double[] x = contractionVector();
            double target = (1.0 - compressor().alpha(x.length)) * Vectors.squaredNorm(x);
            MonteCarlo.Estimate e = MonteCarlo.squaredError(compressor(), x, contractionDraws(), 1007);
            assertTrue(Math.abs(e.mean() - target) <= MonteCarlo.Z * e.standardError(),
                    "empirical " + e.mean() + " vs " + target + " (SE " + e.standardError() + ")");
        }
    }

    @Nested
    class OverNatural extends Over {
        @Override
        UnbiasedCompressor unbiased() {
            return new NaturalCompression();
        }

        @Override
        long unbiasedBits(int d) {
            return 12L * d;
        }
    }

    @Nested
    class OverQsgd extends Over {
        @Override
        UnbiasedCompressor unbiased() {
            return new Qsgd(2);
        }

        @Override
        long unbiasedBits(int d) {
            return 64 + 3L * d;
        }
    }

    @Nested
    class OverIdentity extends Over {
        @Override
        UnbiasedCompressor unbiased() {
            return new Identity();
        }

        @Override
        long unbiasedBits(int d) {
            return 64L * d;
        }

        @Override
        public int contractionDraws() {
            return 100;
        }
    }
}
