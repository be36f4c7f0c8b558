package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QsgdTest {

    /** The contract for one number of levels; the formula: 64 + d (1 + ceil(log2(s + 1))). */
    abstract static class Levels implements UnbiasedContract {
        abstract int s();

        @Override
        public Qsgd compressor() {
            return new Qsgd(s());
        }

        @Override
        public long expectedBits(int d) {
            return 64 + (long) d * (1 + Vectors.ceilLog2(s() + 1L));
        }
    }

    @Nested
    class OneLevel extends Levels {
        @Override
        int s() {
            return 1;
        }
    }

    @Nested
    class FourLevels extends Levels {
        @Override
        int s() {
            return 4;
        }
    }

    @Nested
    class ManyLevels extends Levels {
        @Override
        int s() {
            return 1000;
        }
    }

    @ParameterizedTest(name = "d={0}, s={1}: bits={2}")
    @CsvSource({"1, 1, 66", "10, 1, 84", "10, 3, 94", "10, 4, 104", "100, 255, 964", "100, 256, 1064",
        "7, 2147483647, 288"})
    void bitsForSeveralDimensionsAndLevels(int d, int s, long bits) {
        assertEquals(bits, new Qsgd(s).compress(Vectors.sample(d, 70), new SplittableRandom(1)).bits());
    }

    @Test
    void omegaIsMinOfDOverSSquaredAndRootDOverS() {
        assertEquals(10.0, new Qsgd(1).omega(100), 0.0);
        assertEquals(100.0 / 400.0, new Qsgd(20).omega(100), 0.0);
        assertEquals(2.0, new Qsgd(2).omega(16), 0.0);
    }

    @Test
    void entriesAreSignedMultiplesOfNormOverSWithinOneStep() {
        double[] x = Vectors.sample(500, 71);
        double norm = Math.sqrt(Vectors.squaredNorm(x));
        int s = 8;
        for (long seed = 0; seed < 10; seed++) {
            QsgdMessage m = (QsgdMessage) new Qsgd(s).compress(x, new SplittableRandom(seed));
            assertEquals(norm, m.norm(), 1e-15 * norm);
            double step = m.norm() / s;
            double[] q = m.toDense();
            for (int i = 0; i < x.length; i++) {
                double level = Math.abs(q[i]) / step;
                assertEquals(Math.rint(level), level, 1e-9);
                assertTrue(level <= s);
                assertTrue(Math.abs(Math.abs(q[i]) - Math.abs(x[i])) < step * (1 + 1e-12));
                assertTrue(q[i] == 0.0 || Math.signum(q[i]) == Math.signum(x[i]));
            }
        }
    }

    @Test
    void aSingleNonZeroEntryIsSentExactly() {
        double[] x = {0.0, 0.0, -2.0, 0.0};
        double[] q = new Qsgd(4).compress(x, new SplittableRandom(1)).toDense();
        CompressorContract.assertBitIdentical(x, q, "one-hot vector sits on the top level");
    }

    @Test
    void normSurvivesExtremeMagnitudes() {
        for (double scale : new double[] {1e-200, 1e-160, 1e160, 1e200}) {
            double[] x = {3 * scale, -4 * scale};
            QsgdMessage m = (QsgdMessage) new Qsgd(4).compress(x, new SplittableRandom(2));
            assertEquals(5 * scale, m.norm(), 1e-14 * 5 * scale, "scale " + scale);
            for (double v : m.toDense()) {
                assertTrue(Double.isFinite(v));
            }
        }
    }

    @Test
    void rejectsBadLevelsNamingTheKeyAndNonFiniteInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Qsgd(0));
        assertTrue(e.getMessage().contains("fed.compressor.levels"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Qsgd(4).compress(new double[] {1.0, Double.NaN}, new SplittableRandom(1)));
    }
}
