package org.blora.app;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.blora.config.ChainSection;
import org.blora.config.ConfigException;
import org.blora.config.ConfigKeys;
import org.blora.config.DataSection;
import org.blora.config.DataSource;
import org.blora.config.EstimatorKind;
import org.blora.config.FederatedSection;
import org.blora.config.ModelSection;
import org.blora.config.OptimSection;
import org.blora.config.PretrainSection;
import org.blora.config.RunConfig;
import org.blora.config.RunSection;
import org.blora.config.Settings;
import org.blora.config.StepRuleKind;
import org.blora.config.TrainSpec;
import org.blora.core.chain.Method;
import org.blora.data.key.Sha256;
import org.blora.io.RunFolder;

/**
 * The pre-training phase of the paper's linear regression (docs/METHOD.md section 7): plain GD (full-parameter, consistent
 * gradient) on the pre-training set from x ~ N(0, I), lambda = auto, step 1/L_hat, until ||grad f||^2 <= pretrain.tol.
 * It is just another {@link TrainRun} on the other data set; its merged W becomes the fine-tuning run's model.init.
 * The finished run is cached as data.cache.dir/pretrain-HASH (HASH over its resolved configuration), so the runs
 * of a sweep, and later jobs, pre-train once.
 */
final class Pretraining {
    private Pretraining() {
    }

    /** The pre-training run's configuration for the fine-tuning spec {@code ft}. */
    static TrainSpec spec(TrainSpec ft) {
        if (ft.model().type().classifier()) {
            return classifierSpec(ft);
        }
        if (ft.model().type().linear()) {
            return regressionSpec(ft);
        }
        throw new ConfigException("pretrain=true: " + ft.model().type().title() + " (model.type=" + ft.model().type().key()
                + ") has no pre-training here; set pretrain=false and give W0 with model.init");
    }

    /**
     * The MNIST experiment's base model: all parameters of the same MLP trained with AdamW from PyTorch's init on
     * the pre-training classes (digits 0-4), batch optim.batch, validation-loss early stopping, one evaluation per
     * epoch; its merged modules are the fine-tuning run's theta0.
     */
    private static TrainSpec classifierSpec(TrainSpec ft) {
        RunConfig c = ft.config();
        Settings s = new Settings()
                .set(DataSection.SOURCE, DataSource.MNIST)
                .set(DataSection.PATH, ft.data().path())
                .copy(DataSection.CLASSES, c, PretrainSection.CLASSES)
                .set(DataSection.CACHE_DIR, ft.data().cacheDir())
                .copy(DataSection.BLOCK_MB, c, DataSection.BLOCK_MB)
                .set(FederatedSection.CLIENTS, ft.fed().clients())
                .set(ModelSection.TYPE, ft.model().type().key())
                .copy(ModelSection.LAYERS, c, ModelSection.LAYERS)
                .copy(ModelSection.DROPOUT, c, ModelSection.DROPOUT)
                .set(ChainSection.METHOD, Method.FPFT.key())
                .set(OptimSection.OPTIMIZER, "adamw")
                .copy(OptimSection.ADAMW_BETAS, c, OptimSection.ADAMW_BETAS)
                .copy(OptimSection.ADAMW_EPS, c, OptimSection.ADAMW_EPS)
                .copy(OptimSection.ADAMW_WEIGHT_DECAY, c, OptimSection.ADAMW_WEIGHT_DECAY)
                .set(OptimSection.ESTIMATOR, EstimatorKind.SGD)
                .set(OptimSection.BATCH, ft.optim().batch())
                .set(OptimSection.STEP_RULE, StepRuleKind.CONSTANT)
                .copy(OptimSection.STEP_SIZE, c, PretrainSection.LR)
                .copy(OptimSection.EPOCHS, c, PretrainSection.EPOCHS)
                .set(OptimSection.ROUNDS, Integer.MAX_VALUE - 1)
                .set(OptimSection.TOL, "0")
                .copy(OptimSection.EARLY_STOP_PATIENCE, c, PretrainSection.EARLY_STOP_PATIENCE)
                .set(ModelSection.LAMBDA, "0")
                .copy(RunSection.SEED, c, PretrainSection.SEED)
                .set(RunSection.METRICS_EVERY, "epoch")
                .copy(RunSection.PROGRESS_SECONDS, c, RunSection.PROGRESS_SECONDS)
                .set(RunSection.MASTER, ft.run().master());
        return new TrainSpec(s.config());
    }

    private static TrainSpec regressionSpec(TrainSpec ft) {
        RunConfig c = ft.config();
        Settings s = new Settings().copy(DataSection.PRESET, c, PretrainSection.PRESET);
        if (ft.pretrain().rows() > 0) {
            s.set(DataSection.ROWS, ft.pretrain().rows());
        }
        // Same feature count as the fine-tuning data (W0 must fit); every feature informative, as in the preset.
        if (ft.data().synthetic() != null) {
            s.set(DataSection.FEATURES, ft.data().synthetic().features());
            s.set(DataSection.INFORMATIVE, "auto");
            // Only tiny test sets have fewer features than the preset's effective rank; cap it there.
            int rank = org.blora.data.regression.RegressionSpec.paperPretrain().effectiveRank();
            if (ft.data().synthetic().features() < rank) {
                s.set(DataSection.EFFECTIVE_RANK, ft.data().synthetic().features());
            }
        }
        s.set(DataSection.CACHE_DIR, ft.data().cacheDir())
                .copy(DataSection.BLOCK_MB, c, DataSection.BLOCK_MB)
                .set(FederatedSection.CLIENTS, ft.fed().clients())
                .set(ModelSection.SHAPE, ft.model().shapeText())
                .set(ModelSection.INIT, "gaussian")
                .set(ChainSection.METHOD, Method.FPFT.key())
                .set(OptimSection.ESTIMATOR, EstimatorKind.GD)
                .set(OptimSection.STEP_RULE, StepRuleKind.THEORY)
                .set(OptimSection.STEP_C, "1.0")
                .copy(OptimSection.ROUNDS, c, PretrainSection.ROUNDS)
                .copy(OptimSection.TOL, c, PretrainSection.TOL)
                .set(ModelSection.LAMBDA, "auto")
                .copy(OptimSection.SMOOTHNESS_TOL, c, OptimSection.SMOOTHNESS_TOL)
                .copy(RunSection.SEED, c, PretrainSection.SEED)
                .set(RunSection.METRICS_EVERY, "1")
                .copy(RunSection.PROGRESS_SECONDS, c, RunSection.PROGRESS_SECONDS)
                .set(RunSection.MASTER, ft.run().master());
        return new TrainSpec(s.config());
    }

    /**
     * The cache folder of a pre-training spec: a hash of everything that changes its result. Keys at their default
     * are left out, so a key added to a later build (at its default, which keeps the earlier behaviour) finds the
     * same cached base model; a change to what pre-training computes bumps the version tag instead.
     */
    static String folder(TrainSpec pre) {
        Map<String, String> key = new TreeMap<>(pre.config().asMap());
        key.remove(RunSection.PROGRESS_SECONDS.name());
        key.remove(RunSection.MASTER.name());
        key.remove(DataSection.CACHE_DIR.name());
        Map<String, String> defaults = ConfigKeys.defaults();
        key.entrySet().removeIf(e -> e.getValue().equals(defaults.get(e.getKey())));
        StringBuilder canonical = new StringBuilder("blora-pretrain/v3");
        key.forEach((k, v) -> canonical.append(';').append(k).append('=').append(v));
        return pre.data().cacheDir() + "/pretrain-" + Sha256.hex(canonical.toString()).substring(0, 16);
    }

    /** Runs (or reuses) the pre-training for {@code ft}; returns the path of its adapter.safetensors. */
    static String ensure(DataSession data, TrainSpec ft, PrintStream log) {
        TrainSpec pre = spec(ft);
        String dir = folder(pre);
        RunFolder out = new RunFolder(dir, data.sc().hadoopConfiguration());
        if (out.holdsFinishedRun()) {
            log.printf("[pretrain] reusing %s%n", dir);
        } else {
            log.printf("[pretrain] %s on %s into %s%n", pre.model().type().classifier() ? "AdamW, all parameters,"
                    : "GD to ||grad f||^2 <= " + pre.optim().tol(), DataSession.dataKey(pre), dir);
            out.clear();
            TrainRun.Outcome o = TrainRun.run(new TrainRun.Context(data, pre, out, log, null));
            data.release(DataSession.dataKey(pre));
            if (!o.result().converged() && pre.model().type().linear()) {
                log.printf("[pretrain] warning: stopped by %s at ||grad f||^2 = %.3e (pretrain.tol=%s)%n",
                        o.result().stopReason().text, o.result().gradNormSq(), pre.optim().tol());
            }
        }
        return dir + "/adapter/adapter.safetensors";
    }
}
