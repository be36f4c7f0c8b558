package org.blora.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.blora.cli.TrainRun;
import org.blora.cli.TrainSpec;
import org.blora.core.chain.LowRankChain;
import org.blora.core.linalg.Shape;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainResult;

/** The files of a finished run (DESIGN.md 1): config, metrics, adapter, plot, and summary.json last. */
public final class RunOutputs {
    public static final String MERGED_W = "merged.W";

    private RunOutputs() {
    }

    public static void write(RunFolder out, TrainSpec spec, TrainRun.Setup setup, TrainResult result,
                             List<RoundRecord> rows, LowRankChain chain, Map<String, String> extraFacts) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("spark.version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        facts.put("java.version", System.getProperty("java.version"));
        facts.put("git.revision", BuildInfo.gitRevision());
        facts.put("rows", Long.toString(setup.rows()));
        facts.put("shape", setup.shape().toString());
        facts.put("gram_norm", Double.toString(setup.gramNorm()));
        facts.put("power_iterations", Integer.toString(setup.powerIterations()));
        facts.put("lambda", Double.toString(setup.lambda()));
        facts.put("L_hat", Double.toString(setup.lHat()));
        facts.put("step_rule", setup.stepRule());
        facts.putAll(extraFacts);
        out.mkdirs("");
        out.writeText("config.properties", spec.config.toProperties(facts));
        out.writeText("metrics.csv", MetricsCsv.render(rows));
        writeAdapter(out, spec, setup, chain);
        String title = spec.method.key() + " r=" + spec.rank + " p=" + spec.p + " " + spec.estimator
                + ("none".equals(spec.protocol) ? "" : " " + spec.protocol + "+" + spec.compressor);
        out.write("convergence.png", plot(title, rows, !"none".equals(spec.protocol) || spec.sketchFirst));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("loss", result.loss());
        summary.put("grad_norm_sq", result.gradNormSq());
        summary.put("rounds", result.rounds());
        summary.put("epochs", result.epochs());
        summary.put("wall_ms", result.wallMs());
        summary.put("converged", result.converged());
        summary.put("stop_reason", result.stopReason().text);
        summary.put("trainable_params", result.trainableParams());
        summary.put("total_uplink_bits", result.totalUplinkBits());
        summary.put("lambda", setup.lambda());
        summary.put("step_size", setup.gamma());
        out.writeText(RunFolder.SUMMARY, Json.object(summary));
    }

    /** convergence.png of one run: ||grad f||^2 against rounds and against epochs (or cumulative uplink bits). */
    public static byte[] plot(String title, List<RoundRecord> rows, boolean againstBits) {
        double[] r = new double[rows.size()];
        double[] e = new double[rows.size()];
        double[] g = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            r[i] = rows.get(i).round();
            e[i] = againstBits ? rows.get(i).cumUplinkBits() : rows.get(i).epoch();
            g[i] = rows.get(i).gradNormSq();
        }
        return ConvergencePlot.png(title, againstBits ? "cumulative uplink bits" : "epoch", List.of(new ConvergencePlot.Series(title, r, e, g, null, null)));
    }

    /**
     * adapter/: adapter_config.json and adapter.safetensors with W0, the merged W, and every link's B_t (m x r)
     * and A_t (r x n). Full fine-tuning has no low-rank chain: only W0 and the merged W.
     */
    static void writeAdapter(RunFolder out, TrainSpec spec, TrainRun.Setup setup, LowRankChain chain) {
        Shape s = chain.shape();
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("base.W0", new Safetensors.Tensor(new int[] {s.m(), s.n()}, chain.w0()));
        tensors.put(MERGED_W, new Safetensors.Tensor(new int[] {s.m(), s.n()}, chain.w()));
        List<String> sides = new ArrayList<>();
        int t = 0;
        for (Link link : chain.links()) {
            if (link.side != Side.FULL) {
                tensors.put("chain." + t + ".B", new Safetensors.Tensor(new int[] {s.m(), link.rank}, link.b));
                tensors.put("chain." + t + ".A", new Safetensors.Tensor(new int[] {link.rank, s.n()}, link.a));
            }
            sides.add(link.side.name());
            t++;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "blora-spark chain: W = base.W0 + sum_t chain.t.B @ chain.t.A");
        meta.put("sides", String.join("", sides));
        out.write("adapter/adapter.safetensors", Safetensors.toBytes(tensors, meta));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("method", spec.method.key());
        cfg.put("rank", spec.rank);
        cfg.put("p", spec.p);
        cfg.put("sketch", spec.sketch);
        cfg.put("seed", spec.seed);
        cfg.put("m", s.m());
        cfg.put("n", s.n());
        cfg.put("chain_length", chain.length());
        cfg.put("layout", "row-major; the parameter vector is W flattened row by row");
        cfg.put("trained_sides", String.join("", sides));
        out.writeText("adapter/adapter_config.json", Json.object(cfg));
    }

    /** W0 from model.init (an adapter.safetensors: its merged W), or zeros. */
    public static double[] initialW(String init, Shape shape, Configuration conf) {
        if (init == null || init.isEmpty()) {
            return new double[shape.size()];
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(init);
        RunFolder parent = new RunFolder(p.getParent().toString(), conf);
        if (!parent.exists(p.getName())) {
            throw new org.blora.cli.ConfigException("model.init: " + init + " does not exist (give the adapter.safetensors of a finished run)");
        }
        Map<String, Safetensors.Tensor> t;
        try {
            t = Safetensors.read(parent.read(p.getName()), "model.init " + init);
        } catch (IllegalArgumentException e) {
            throw new org.blora.cli.ConfigException(e.getMessage());
        }
        Safetensors.Tensor w = t.get(MERGED_W);
        if (w == null || w.data().length != shape.size()) {
            throw new org.blora.cli.ConfigException("model.init: " + init + " has no " + MERGED_W + " tensor of " + shape.size()
                    + " entries (model.shape=" + shape + ")");
        }
        return w.data();
    }
}
