package org.blora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.CoinMode;
import org.blora.core.chain.Method;
import org.blora.core.sketch.Side;
import org.junit.jupiter.api.Test;

/** Core names the parameter, the command line the key, through the one mapping of {@link ParameterKeys}. */
class ParameterKeysTest {
    private static String coreMessage(Method method, double p, int linkSteps) {
        return assertThrows(IllegalArgumentException.class, () -> new ChainSpec(method, 1, p, 1.0, List.of(),
                CoinMode.SHARED, linkSteps, null, Side.A, null, new org.blora.core.sketch.GaussianSketch(), 1)).getMessage();
    }

    @Test
    void coreNamesTheParameterAndTheCommandLineTheKey() {
        String core = coreMessage(Method.BERNOULLI, 2, 1);
        assertEquals("p must be in [0, 1], got 2.0", core);
        assertEquals("lora.p must be in [0, 1], got 2.0", ParameterKeys.translate(core));
        String rac = coreMessage(Method.RAC, 0.5, 1);
        assertEquals("lora.p must be 0 (always train B) or 1 (always train A) for lora.method=rac, got 0.5",
                ParameterKeys.translate(rac));
        assertEquals("lora.link.steps must be >= 0 (0 = never merge), got -1",
                ParameterKeys.translate(coreMessage(Method.BERNOULLI, 0.5, -1)));
    }

    @Test
    void wordsThatOnlyContainAParameterStay() {
        assertEquals("fed.compressor.k = 2 is out of range", ParameterKeys.translate("fed.compressor.k = 2 is out of range"));
        assertEquals("the rank of W must be 1", ParameterKeys.translate("the rank of W must be 1"));
        assertEquals("lora.rank", ParameterKeys.keyOf("rank"));
    }
}
