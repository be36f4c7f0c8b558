package org.blora.ml;

import java.io.Serializable;
import org.blora.io.AdapterFiles;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;

/**
 * A fitted model's adapter files as the run wrote them (adapter.safetensors: every module's base, merged weights
 * and chain links; chain.json, the description of the chains),
 * which a saved model keeps under {@code data/} for the apply and score
 * jobs ({@code --adapter PATH/data}) and for its own loading.
 */
record RunAdapter(byte[] weights, String config) implements Serializable {
    static final String WEIGHTS = "adapter.safetensors";
    static final String CONFIG = RunOutputs.CHAIN;
    /** Where a run folder holds them. */
    private static final String IN_RUN = "adapter/";

    RunAdapter {
        weights = weights.clone();
    }

    /** The adapter of a finished run in {@code run}. */
    static RunAdapter ofRun(RunFolder run) {
        return new RunAdapter(run.read(IN_RUN + WEIGHTS), run.readText(IN_RUN + CONFIG));
    }

    /** The adapter saved in {@code dir}. */
    static RunAdapter in(RunFolder dir) {
        return new RunAdapter(dir.read(WEIGHTS), RunOutputs.chainDescription(dir));
    }

    void writeTo(RunFolder dir) {
        dir.write(WEIGHTS, weights);
        dir.writeText(CONFIG, config);
    }

    /** The model the saved files in {@code dir} describe. */
    static AdapterFiles.Adapter model(RunFolder dir) {
        return AdapterFiles.read(dir.uri(), dir.fileSystem().getConf());
    }
}
