package org.blora.data.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RegressionSpecTest {

    private static void rejects(String key, Supplier<RegressionSpec> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void constructorNamesTheKey() {
        rejects("data.rows", () -> new RegressionSpec(0, 4, 2, 0, 0.5, 1, 0, 1));
        rejects("data.features", () -> new RegressionSpec(10, 0, 0, 0, 0.5, 1, 0, 1));
        rejects("data.informative", () -> new RegressionSpec(10, 4, 5, 0, 0.5, 1, 0, 1));
        rejects("data.informative", () -> new RegressionSpec(10, 4, -1, 0, 0.5, 1, 0, 1));
        rejects("data.effective.rank", () -> new RegressionSpec(10, 4, 2, -1, 0.5, 1, 0, 1));
        rejects("data.tail.strength", () -> new RegressionSpec(10, 4, 2, 2, 1.5, 1, 0, 1));
        rejects("data.tail.strength", () -> new RegressionSpec(10, 4, 2, 2, Double.NaN, 1, 0, 1));
        rejects("data.noise", () -> new RegressionSpec(10, 4, 2, 2, 0.5, -1, 0, 1));
        rejects("data.noise", () -> new RegressionSpec(10, 4, 2, 2, 0.5, Double.POSITIVE_INFINITY, 0, 1));
        rejects("data.bias", () -> new RegressionSpec(10, 4, 2, 2, 0.5, 1, Double.NaN, 1));
        rejects("data.seed", () -> new RegressionSpec(10, 4, 2, 2, 0.5, 1, 0, -3));
    }

    @Test
    void paperPresets() {
        RegressionSpec pre = RegressionSpec.paperPretrain();
        assertEquals(new RegressionSpec(90_000, 4096, 4096, 64, 0.8, 20, 0, 42), pre);
        RegressionSpec ft = RegressionSpec.paperFinetune();
        assertEquals(new RegressionSpec(10_000, 4096, 2048, 32, 0.9, 50, 10, 84), ft);
        assertNotEquals(pre.cacheKey(), ft.cacheKey());
    }

    @Test
    void cacheKeyIsStableAndSensitiveToEveryParameter() {
        RegressionSpec base = new RegressionSpec(1000, 16, 8, 4, 0.5, 1.0, 2.0, 7);
        // pinned: a change here means every cached copy on disk is silently invalidated
        assertEquals("reg-3198bea3e5e34595", base.cacheKey());
        assertEquals(base.cacheKey(), new RegressionSpec(1000, 16, 8, 4, 0.5, 1.0, 2.0, 7).cacheKey());
        Set<String> keys = new HashSet<>();
        keys.add(base.cacheKey());
        keys.add(new RegressionSpec(1001, 16, 8, 4, 0.5, 1.0, 2.0, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 17, 8, 4, 0.5, 1.0, 2.0, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 16, 9, 4, 0.5, 1.0, 2.0, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 16, 8, 5, 0.5, 1.0, 2.0, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 16, 8, 4, 0.6, 1.0, 2.0, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 16, 8, 4, 0.5, 1.1, 2.0, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 16, 8, 4, 0.5, 1.0, 2.1, 7).cacheKey());
        keys.add(new RegressionSpec(1000, 16, 8, 4, 0.5, 1.0, 2.0, 8).cacheKey());
        assertEquals(9, keys.size());
    }

    @Test
    void propertiesRoundTrip() {
        RegressionSpec s = RegressionSpec.paperFinetune();
        assertEquals(s, RegressionSpec.fromProperties(s.toProperties()));
        var p = new java.util.HashMap<>(s.toProperties());
        p.put("data.rows", "ten");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegressionSpec.fromProperties(p));
        assertTrue(e.getMessage().startsWith("data.rows "), e.getMessage());
    }
}
