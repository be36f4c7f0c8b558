package org.blora.config;

import java.util.Map;
import org.blora.data.regression.RegressionSpec;

/**
 * data.preset: the paper's two linear-regression data sets (Bernoulli-LoRA, arXiv 2508.03820, the linear
 * regression experiment; docs/METHOD.md) as defaults of the data.* keys. A preset implies
 * data.source=cached-regression (generated once with its post-processing, then read); keys set explicitly win,
 * so {@code --set data.rows=2000} gives a reduced-size copy with the same law.
 */
public final class DataPresets {
    /** The values of data.preset. */
    public enum Preset implements Choice {
        NONE,
        /** The pre-training set: standardised. */
        PAPER_PRETRAIN,
        /** The fine-tuning set: rescaled to mean 1, standard deviation 2. */
        PAPER_FINETUNE
    }

    private DataPresets() {
    }

    public static RunConfig apply(RunConfig c) {
        Preset preset = c.get(DataSection.PRESET);
        if (preset == Preset.NONE) {
            return c;
        }
        boolean pretrain = preset == Preset.PAPER_PRETRAIN;
        RegressionSpec spec = pretrain ? RegressionSpec.paperPretrain() : RegressionSpec.paperFinetune();
        RunConfig out = c.withDefault(DataSection.SOURCE, DataSource.CACHED_REGRESSION.key())
                .withDefault(DataSection.POSTPROCESS, (pretrain ? PostProcess.STANDARDIZE : PostProcess.RESCALE).key());
        for (Map.Entry<String, String> e : spec.toProperties().entrySet()) {
            out = out.withDefault(e.getKey(), e.getValue());
        }
        return out;
    }
}
