package org.blora.app;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.blora.config.ConfigException;
import org.blora.config.ConfigKeys;
import org.blora.config.DataSource;
import org.blora.config.EstimatorKind;
import org.blora.config.RunConfig;
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
        if (ft.modelType().classifier()) {
            return classifierSpec(ft);
        }
        if (ft.modelType().linear()) {
            return regressionSpec(ft);
        }
        throw new ConfigException("pretrain=true: " + ft.modelType().title() + " (model.type=" + ft.modelType().key()
                + ") has no pre-training here; set pretrain=false and give W0 with model.init");
    }

    /**
     * The MNIST experiment's base model: all parameters of the same MLP trained with AdamW from PyTorch's init on
     * the pre-training classes (digits 0-4), batch optim.batch, validation-loss early stopping, one evaluation per
     * epoch; its merged modules are the fine-tuning run's theta0.
     */
    private static TrainSpec classifierSpec(TrainSpec ft) {
        RunConfig c = ft.config();
        Map<String, String> s = new TreeMap<>();
        s.put("data.source", DataSource.MNIST.key());
        s.put("data.path", ft.path());
        s.put("data.classes", c.get("pretrain.classes"));
        s.put("data.cache.dir", ft.cacheDir());
        s.put("data.block.mb", c.get("data.block.mb"));
        s.put("clients", Integer.toString(ft.clients()));
        s.put("model.type", ft.modelType().key());
        s.put("model.layers", c.get("model.layers"));
        s.put("model.dropout", c.get("model.dropout"));
        s.put("lora.method", Method.FPFT.key());
        s.put("optim.optimizer", "adamw");
        s.put("optim.adamw.betas", c.get("optim.adamw.betas"));
        s.put("optim.adamw.eps", c.get("optim.adamw.eps"));
        s.put("optim.adamw.weight.decay", c.get("optim.adamw.weight.decay"));
        s.put("optim.estimator", EstimatorKind.SGD.key());
        s.put("optim.batch", Integer.toString(ft.batch()));
        s.put("optim.step.rule", StepRuleKind.CONSTANT.key());
        s.put("optim.step.size", c.get("pretrain.lr"));
        s.put("optim.epochs", c.get("pretrain.epochs"));
        s.put("optim.rounds", Integer.toString(Integer.MAX_VALUE - 1));
        s.put("optim.tol", "0");
        s.put("optim.early.stop.patience", c.get("pretrain.early.stop.patience"));
        s.put("reg.lambda", "0");
        s.put("run.seed", c.get("pretrain.seed"));
        s.put("run.metrics.every", "epoch");
        s.put("run.progress.seconds", c.get("run.progress.seconds"));
        s.put("spark.master", ft.master());
        return new TrainSpec(RunConfig.of(s));
    }

    private static TrainSpec regressionSpec(TrainSpec ft) {
        RunConfig c = ft.config();
        Map<String, String> s = new TreeMap<>();
        s.put("data.preset", c.get("pretrain.preset"));
        if (!c.isAuto("pretrain.rows")) {
            s.put("data.rows", Long.toString(c.longValue("pretrain.rows", 1)));
        }
        // Same feature count as the fine-tuning data (W0 must fit); every feature informative, as in the preset.
        if (ft.synthetic() != null) {
            s.put("data.features", Integer.toString(ft.synthetic().features()));
            s.put("data.informative", "auto");
            // Only tiny test sets have fewer features than the preset's effective rank; cap it there.
            int rank = org.blora.data.regression.RegressionSpec.paperPretrain().effectiveRank();
            if (ft.synthetic().features() < rank) {
                s.put("data.effective.rank", Integer.toString(ft.synthetic().features()));
            }
        }
        s.put("data.cache.dir", ft.cacheDir());
        s.put("data.block.mb", c.get("data.block.mb"));
        s.put("clients", Integer.toString(ft.clients()));
        s.put("model.shape", ft.shapeText());
        s.put("model.init", "gaussian");
        s.put("lora.method", Method.FPFT.key());
        s.put("optim.estimator", EstimatorKind.GD.key());
        s.put("optim.step.rule", StepRuleKind.THEORY.key());
        s.put("optim.step.c", "1.0");
        s.put("optim.rounds", c.get("pretrain.rounds"));
        s.put("optim.tol", c.get("pretrain.tol"));
        s.put("reg.lambda", "auto");
        s.put("smoothness.tol", c.get("smoothness.tol"));
        s.put("run.seed", c.get("pretrain.seed"));
        s.put("run.metrics.every", "1");
        s.put("run.progress.seconds", c.get("run.progress.seconds"));
        s.put("spark.master", ft.master());
        return new TrainSpec(RunConfig.of(s));
    }

    /**
     * The cache folder of a pre-training spec: a hash of everything that changes its result. Keys at their default
     * are left out, so a key added to a later build (at its default, which keeps the earlier behaviour) finds the
     * same cached base model; a change to what pre-training computes bumps the version tag instead.
     */
    static String folder(TrainSpec pre) {
        Map<String, String> key = new TreeMap<>(pre.config().asMap());
        key.remove("run.progress.seconds");
        key.remove("spark.master");
        key.remove("data.cache.dir");
        key.entrySet().removeIf(e -> ConfigKeys.known(e.getKey())
                && e.getValue().equals(ConfigKeys.all().get(e.getKey()).defaultValue()));
        StringBuilder canonical = new StringBuilder("blora-pretrain/v3");
        key.forEach((k, v) -> canonical.append(';').append(k).append('=').append(v));
        return pre.cacheDir() + "/pretrain-" + Sha256.hex(canonical.toString()).substring(0, 16);
    }

    /** Runs (or reuses) the pre-training for {@code ft}; returns the path of its adapter.safetensors. */
    static String ensure(DataSession data, TrainSpec ft, PrintStream log) {
        TrainSpec pre = spec(ft);
        String dir = folder(pre);
        RunFolder out = new RunFolder(dir, data.sc().hadoopConfiguration());
        if (out.holdsFinishedRun()) {
            log.printf("[pretrain] reusing %s%n", dir);
        } else {
            log.printf("[pretrain] %s on %s into %s%n", pre.modelType().classifier() ? "AdamW, all parameters,"
                    : "GD to ||grad f||^2 <= " + pre.tol(), DataSession.dataKey(pre), dir);
            out.clear();
            TrainRun.Outcome o = TrainRun.run(new TrainRun.Context(data, pre, out, log, null));
            data.release(DataSession.dataKey(pre));
            if (!o.result().converged() && pre.modelType().linear()) {
                log.printf("[pretrain] warning: stopped by %s at ||grad f||^2 = %.3e (pretrain.tol=%s)%n",
                        o.result().stopReason().text, o.result().gradNormSq(), pre.tol());
            }
        }
        return dir + "/adapter/adapter.safetensors";
    }
}
