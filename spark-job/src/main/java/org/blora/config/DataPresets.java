package org.blora.config;

import java.util.Map;
import java.util.Set;
import org.blora.data.regression.RegressionSpec;

/**
 * data.preset: the paper's two linear-regression data sets (ALGORITHMS.md 5.1) as defaults of the data.* keys.
 * A preset implies data.source=cached-regression (generated once with its post-processing, then read); keys set
 * explicitly win, so {@code --set data.rows=2000} gives a reduced-size copy with the same law.
 */
public final class DataPresets {
    static final String NONE = "none";
    static final String PAPER_PRETRAIN = "paper-pretrain";
    static final String PAPER_FINETUNE = "paper-finetune";

    private DataPresets() {
    }

    public static RunConfig apply(RunConfig c) {
        String preset = c.string("data.preset", Set.of(NONE, PAPER_PRETRAIN, PAPER_FINETUNE));
        if (NONE.equals(preset)) {
            return c;
        }
        RegressionSpec spec = PAPER_PRETRAIN.equals(preset) ? RegressionSpec.paperPretrain() : RegressionSpec.paperFinetune();
        RunConfig out = c.withDefault("data.source", "cached-regression")
                .withDefault("data.postprocess", PAPER_PRETRAIN.equals(preset) ? "standardize" : "rescale");
        for (Map.Entry<String, String> e : spec.toProperties().entrySet()) {
            out = out.withDefault(e.getKey(), e.getValue());
        }
        return out;
    }
}
