package org.blora.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.blora.core.chain.LowRankChain;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.theory.Measure;
import org.blora.core.train.RoundRecord;

/**
 * The files of a finished run: config.properties, metrics.csv, adapter/, convergence.png, and summary.json last
 * (its presence marks a finished run). Everything is passed in as plain values: io knows files, not configuration.
 */
public final class RunOutputs {
    /** Suffixes of a module's tensors in adapter.safetensors: {@code l1.base}, {@code l1.merged}. */
    public static final String BASE = ".base";
    public static final String MERGED = ".merged";
    /**
     * The run's own description of its chains (method, rank, p, sketch, seed, modules, trained sides), beside
     * adapter.safetensors. Not PEFT's LoraConfig, which the export writes as adapter/peft/adapter_config.json.
     */
    public static final String CHAIN = "chain.json";
    /** The name {@link #CHAIN} had in runs written before it was renamed, read as a fallback. */
    public static final String CHAIN_BEFORE = "adapter_config.json";

    /** What adapter/chain.json records beyond the chain itself; {@code peft} null = no PEFT export. */
    public record AdapterInfo(String method, int rank, double p, String sketch, long seed, PeftAdapter.Options peft) {
    }

    /** The title of convergence.png, and whether its right panel is against cumulative uplink bits (else epochs). */
    public record PlotInfo(String title, boolean againstBits) {
    }

    private RunOutputs() {
    }

    /**
     * A theorem's bound per metrics row (NaN where none) and its name, for metrics.csv, with the {@link Measure} it
     * bounds and that measure per row as the run measured it (for the plot); null fields = none.
     */
    public record BoundColumn(double[] values, String name, Measure measure, double[] measured) {
        public static final BoundColumn NONE = new BoundColumn(null, null, null, null);
    }

    public static void write(RunFolder out, String configProperties, List<RoundRecord> rows, LowRankChain chain,
                             AdapterInfo adapter, PlotInfo plot, Map<String, Object> summary, BoundColumn bound) {
        out.mkdirs("");
        out.writeText("config.properties", configProperties);
        out.writeText("metrics.csv", MetricsCsv.render(rows, bound.values(), bound.name()));
        writeAdapter(out, adapter, chain);
        out.write("convergence.png", plot(plot.title(), rows, plot.againstBits(), bound));
        if (rows.stream().anyMatch(r -> Double.isFinite(r.scores().accuracy()))) {
            out.write("accuracy.png", accuracyPlot(plot.title(), rows));
        }
        out.writeText(RunFolder.SUMMARY, JsonFiles.render(summary));
    }

    /**
     * convergence.png of one run: ||grad f||^2 against rounds and against epochs (or cumulative uplink bits), and
     * for a run with a theorem's bound the panel of {@link #boundPanel}.
     */
    public static byte[] plot(String title, List<RoundRecord> rows, boolean againstBits, BoundColumn bound) {
        double[] r = new double[rows.size()];
        double[] e = new double[rows.size()];
        double[] g = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            r[i] = rows.get(i).round();
            e[i] = againstBits ? rows.get(i).cumUplinkBits() : rows.get(i).epoch();
            g[i] = rows.get(i).gradNormSq();
        }
        return ConvergencePlot.png(title, againstBits ? "cumulative uplink bits" : "epoch",
                List.of(new ConvergencePlot.Series(title, r, e, g, null, null)), boundPanel(rows, bound));
    }

    /**
     * The measured quantity a run's bound is on and the bound, per round, labelled "measured" and by the
     * bound_name; null for a run without a bound.
     */
    public static ConvergencePlot.BoundPanel boundPanel(List<RoundRecord> rows, BoundColumn bound) {
        if (bound.values() == null) {
            return null;
        }
        double[] r = rows.stream().mapToDouble(RoundRecord::round).toArray();
        return new ConvergencePlot.BoundPanel(bound.measure().description,
                new ConvergencePlot.Series("measured", r, r, bound.measured(), null, null),
                new ConvergencePlot.Series(bound.name(), r, r, bound.values(), null, null));
    }

    /** accuracy.png of a classifier run: training, validation and test accuracy at every evaluation, by epoch. */
    static byte[] accuracyPlot(String title, List<RoundRecord> rows) {
        List<RoundRecord> scored = rows.stream().filter(r -> Double.isFinite(r.scores().accuracy())).toList();
        double[] rounds = scored.stream().mapToDouble(RoundRecord::round).toArray();
        double[] epochs = scored.stream().mapToDouble(RoundRecord::epoch).toArray();
        List<ConvergencePlot.Series> series = new ArrayList<>();
        series.add(new ConvergencePlot.Series("train", rounds, epochs,
                scored.stream().mapToDouble(r -> r.scores().accuracy()).toArray(), null, null));
        if (scored.stream().anyMatch(r -> Double.isFinite(r.scores().valAccuracy()))) {
            series.add(new ConvergencePlot.Series("validation", rounds, epochs,
                    scored.stream().mapToDouble(r -> r.scores().valAccuracy()).toArray(), null, null));
        }
        if (scored.stream().anyMatch(r -> Double.isFinite(r.scores().testAccuracy()))) {
            series.add(new ConvergencePlot.Series("test", rounds, epochs,
                    scored.stream().mapToDouble(r -> r.scores().testAccuracy()).toArray(), null, null));
        }
        return ConvergencePlot.accuracyPng(title, "accuracy", series);
    }

    /**
     * adapter/: chain.json and adapter.safetensors with, per module of the model, its pre-trained
     * {@code <module>.base}, its fine-tuned {@code <module>.merged} and every link's {@code <module>.chain.<t>.B}
     * (m x r) and {@code <module>.chain.<t>.A} (r x n), so that merged = base + sum_t B_t A_t. Modules without a
     * low-rank chain (biases, or every module under full fine-tuning) have base and merged only.
     */
    static void writeAdapter(RunFolder out, AdapterInfo info, LowRankChain chain) {
        ModelLayout layout = chain.layout();
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        for (Module m : layout.modules()) {
            int[] shape = {m.rows(), m.cols()};
            tensors.put(m.name() + BASE, new Safetensors.Tensor(shape, Arrays.copyOfRange(chain.w0(), m.offset(), m.end())));
            tensors.put(m.name() + MERGED, new Safetensors.Tensor(shape, Arrays.copyOfRange(chain.w(), m.offset(), m.end())));
        }
        List<String> sides = new ArrayList<>();
        int t = 0;
        for (Link[] link : chain.links()) {
            StringBuilder side = new StringBuilder();
            for (int i = 0; i < link.length; i++) {
                Link l = link[i];
                if (l == null) {
                    continue;
                }
                side.append(l.side == Side.FULL ? "F" : l.side.name());
                if (l.side != Side.FULL) {
                    Module m = layout.modules().get(i);
                    tensors.put(m.name() + ".chain." + t + ".B", new Safetensors.Tensor(new int[] {m.rows(), l.rank}, l.b));
                    tensors.put(m.name() + ".chain." + t + ".A", new Safetensors.Tensor(new int[] {l.rank, m.cols()}, l.a));
                }
            }
            sides.add(side.toString());
            t++;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "blora-spark chains: <module>.merged = <module>.base + sum_t <module>.chain.t.B @ <module>.chain.t.A");
        meta.put("sides", String.join(" ", sides));
        out.write("adapter/adapter.safetensors", Safetensors.toBytes(tensors, meta));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("method", info.method());
        cfg.put("rank", info.rank());
        cfg.put("p", info.p());
        cfg.put("sketch", info.sketch());
        cfg.put("seed", info.seed());
        cfg.put("modules", layout.toString());
        cfg.put("chain_length", chain.length());
        cfg.put("layout", "row-major; a weight matrix is out x in; theta is the modules flattened in this order");
        cfg.put("trained_sides", String.join(" ", sides));
        out.writeText("adapter/" + CHAIN, JsonFiles.render(cfg));
        List<ModuleChain> peft = peftChains(chain);
        if (!peft.isEmpty() && info.peft() != null) {
            List<SafetensorsWriter.Tensor> frozen = new ArrayList<>();
            java.util.Set<String> adapted = new java.util.HashSet<>();
            peft.forEach(c -> adapted.add(c.module()));
            for (Module m : layout.modules()) {
                if (!adapted.contains(m.name())) {
                    frozen.add(new SafetensorsWriter.Tensor(PeftAdapter.stateDictName(m.name()),
                            m.name().endsWith(".bias") ? new int[] {m.rows()} : new int[] {m.rows(), m.cols()},
                            Arrays.copyOfRange(chain.w0(), m.offset(), m.end())));
                }
            }
            PeftAdapter.write(out.fileSystem(), out.path("adapter/peft"), peft, frozen, info.peft());
        }
    }

    /**
     * The low-rank chains of the adapted modules for the PEFT export (a chain of T links of rank r is one LoRA of
     * rank rT); empty under full fine-tuning, which has none.
     */
    static List<ModuleChain> peftChains(LowRankChain chain) {
        ModelLayout layout = chain.layout();
        List<ModuleChain> out = new ArrayList<>();
        for (int i = 0; i < layout.modules().size(); i++) {
            Module m = layout.modules().get(i);
            List<double[]> bs = new ArrayList<>();
            List<double[]> as = new ArrayList<>();
            List<Integer> ranks = new ArrayList<>();
            for (Link[] link : chain.links()) {
                Link l = link[i];
                if (l != null && l.side != Side.FULL) {
                    bs.add(l.b);
                    as.add(l.a);
                    ranks.add(l.rank);
                }
            }
            if (!bs.isEmpty()) {
                out.add(new ModuleChain(m.name(), m.rows(), m.cols(),
                        Arrays.copyOfRange(chain.w0(), m.offset(), m.end()), bs, as, ranks));
            }
        }
        return out;
    }

    /**
     * The text of a run adapter folder's chain description: {@value #CHAIN}, or {@value #CHAIN_BEFORE} in a folder
     * written before the rename; an IllegalArgumentException when neither is there.
     */
    public static String chainDescription(RunFolder adapterDir) {
        for (String name : new String[] {CHAIN, CHAIN_BEFORE}) {
            if (adapterDir.exists(name)) {
                return adapterDir.readText(name);
            }
        }
        throw new IllegalArgumentException(adapterDir.uri() + " has no " + CHAIN + " (the description of the chains beside "
                + "adapter.safetensors)");
    }

    /**
     * theta0 from a safetensors file, for model.init: a finished run's adapter.safetensors (the {@code <module>.merged}
     * tensors) or a PyTorch state_dict saved as safetensors (a PEFT export's base_model.safetensors, or a user's own
     * pre-trained model: {@code l1.weight} out x in, {@code l1.bias} of out entries, ..., F32 or F64), in the layout's
     * order, each checked against the module's shape; an IllegalArgumentException names the file and the problem.
     */
    public static double[] mergedTheta(String safetensors, ModelLayout layout, Configuration conf) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(safetensors);
        RunFolder parent = new RunFolder(p.getParent().toString(), conf);
        if (!parent.exists(p.getName())) {
            throw new IllegalArgumentException(safetensors + " does not exist (give the adapter.safetensors of a finished run, "
                    + "or a PyTorch state_dict saved as safetensors)");
        }
        Map<String, Safetensors.Tensor> tensors = Safetensors.read(parent.read(p.getName()), safetensors);
        boolean run = tensors.keySet().stream().anyMatch(k -> k.endsWith(MERGED));
        double[] theta = new double[layout.size()];
        for (Module m : layout.modules()) {
            String key = run ? m.name() + MERGED : PeftAdapter.stateDictName(m.name());
            Safetensors.Tensor w = tensors.get(key);
            if (w == null || !fits(w.shape(), m)) {
                throw new IllegalArgumentException(safetensors + " has no " + key + " tensor of " + shape(m)
                        + (w == null ? "" : " (it is " + Arrays.toString(w.shape()) + ")") + "; the model is " + layout
                        + (run ? "" : ", whose PyTorch state_dict keys are " + stateDictKeys(layout)));
            }
            System.arraycopy(w.data(), 0, theta, m.offset(), m.size());
        }
        return theta;
    }

    /** A module's tensor as a state_dict holds it: a weight out x in, a bias (cols 1) a vector of out entries. */
    private static boolean fits(int[] shape, Module m) {
        return Arrays.equals(shape, new int[] {m.rows(), m.cols()})
                || m.cols() == 1 && Arrays.equals(shape, new int[] {m.rows()});
    }

    private static String shape(Module m) {
        return m.rows() + "x" + m.cols();
    }

    private static List<String> stateDictKeys(ModelLayout layout) {
        return layout.modules().stream().map(m -> PeftAdapter.stateDictName(m.name())).toList();
    }
}
