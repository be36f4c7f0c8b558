package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdentityTest implements UnbiasedContract, ContractiveContract {

    @Override
    public Identity compressor() {
        return new Identity();
    }

    @Override
    public long expectedBits(int d) {
        return 64L * d;
    }

    @Override
    public int draws() {
        return 200;
    }

    @Override
    public int contractionDraws() {
        return 200;
    }

    @Test
    void decodesToTheInputExactlyWithConstantsZeroAndOne() {
        double[] x = Vectors.sample(500, 30);
        CompressedMessage m = compressor().compress(x, new SplittableRandom(1));
        CompressorContract.assertBitIdentical(x, m.toDense(), "identity");
        assertTrue(m instanceof DenseMessage);
        assertEquals(0.0, compressor().omega(500));
        assertEquals(1.0, compressor().alpha(500));
        assertEquals(32_000L, m.bits());
    }
}
