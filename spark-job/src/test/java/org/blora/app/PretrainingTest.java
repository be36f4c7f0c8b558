package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.Map;
import org.blora.config.RunConfig;
import org.blora.config.TrainSpec;
import org.junit.jupiter.api.Test;

/** The pre-training cache folder: keyed by what changes the result, not by keys a later build adds at their default. */
class PretrainingTest {
    private static String folder(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("data.rows", "200", "data.features", "16", "model.shape", "4x4"));
        s.putAll(extra);
        return Pretraining.folder(new TrainSpec(RunConfig.of(s)));
    }

    @Test
    void aKeyGivenAtItsDefaultKeepsTheFolder() {
        assertEquals(folder(Map.of()), folder(Map.of("fed.weighting", "rows", "model.loss", "squares")));
    }

    @Test
    void aValueThatChangesTheResultChangesTheFolder() {
        assertNotEquals(folder(Map.of()), folder(Map.of("fed.weighting", "uniform")));
        assertNotEquals(folder(Map.of()), folder(Map.of("run.seed", "7")));
    }
}
