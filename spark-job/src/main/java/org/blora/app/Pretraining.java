package org.blora.app;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
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

    /** The cache folder of a pre-training spec: a hash of everything that changes its result. */
    static String folder(TrainSpec pre) {
        Map<String, String> key = new TreeMap<>(pre.config().asMap());
        key.remove("run.progress.seconds");
        key.remove("spark.master");
        key.remove("data.cache.dir");
        StringBuilder canonical = new StringBuilder("blora-pretrain/v1");
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
            log.printf("[pretrain] GD on %s to ||grad f||^2 <= %s into %s%n", DataSession.dataKey(pre),
                    pre.tol(), dir);
            out.clear();
            TrainRun.Outcome o = TrainRun.run(new TrainRun.Context(data, pre, out, log, null));
            data.release(DataSession.dataKey(pre));
            if (!o.result().converged()) {
                log.printf("[pretrain] warning: stopped by %s at ||grad f||^2 = %.3e (pretrain.tol=%s)%n",
                        o.result().stopReason().text, o.result().gradNormSq(), pre.tol());
            }
        }
        return dir + "/adapter/adapter.safetensors";
    }
}
