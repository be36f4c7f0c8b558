package org.blora.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.blora.core.chain.LowRankChain;
import org.blora.core.linalg.Shape;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.train.RoundRecord;

/**
 * The files of a finished run: config.properties, metrics.csv, adapter/, convergence.png, and summary.json last
 * (its presence marks a finished run). Everything is passed in as plain values: io knows files, not configuration.
 */
public final class RunOutputs {
    public static final String MERGED_W = "merged.W";

    /** What adapter_config.json records beyond the chain itself. */
    public record AdapterInfo(String method, int rank, double p, String sketch, long seed) {
    }

    /** The title of convergence.png, and whether its right panel is against cumulative uplink bits (else epochs). */
    public record PlotInfo(String title, boolean againstBits) {
    }

    private RunOutputs() {
    }

    public static void write(RunFolder out, String configProperties, List<RoundRecord> rows, LowRankChain chain,
                             AdapterInfo adapter, PlotInfo plot, Map<String, Object> summary) {
        out.mkdirs("");
        out.writeText("config.properties", configProperties);
        out.writeText("metrics.csv", MetricsCsv.render(rows));
        writeAdapter(out, adapter, chain);
        out.write("convergence.png", plot(plot.title(), rows, plot.againstBits()));
        out.writeText(RunFolder.SUMMARY, JsonFiles.render(summary));
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
    static void writeAdapter(RunFolder out, AdapterInfo info, LowRankChain chain) {
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
        cfg.put("method", info.method());
        cfg.put("rank", info.rank());
        cfg.put("p", info.p());
        cfg.put("sketch", info.sketch());
        cfg.put("seed", info.seed());
        cfg.put("m", s.m());
        cfg.put("n", s.n());
        cfg.put("chain_length", chain.length());
        cfg.put("layout", "row-major; the parameter vector is W flattened row by row");
        cfg.put("trained_sides", String.join("", sides));
        out.writeText("adapter/adapter_config.json", JsonFiles.render(cfg));
    }

    /**
     * The merged W of an adapter.safetensors written by a finished run, checked to have {@code shape.size()}
     * entries; an IllegalArgumentException names the file and what is wrong.
     */
    public static double[] mergedW(String safetensors, Shape shape, Configuration conf) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(safetensors);
        RunFolder parent = new RunFolder(p.getParent().toString(), conf);
        if (!parent.exists(p.getName())) {
            throw new IllegalArgumentException(safetensors + " does not exist (give the adapter.safetensors of a finished run)");
        }
        Safetensors.Tensor w = Safetensors.read(parent.read(p.getName()), safetensors).get(MERGED_W);
        if (w == null || w.data().length != shape.size()) {
            throw new IllegalArgumentException(safetensors + " has no " + MERGED_W + " tensor of " + shape.size()
                    + " entries (model.shape=" + shape + ")");
        }
        return w.data();
    }
}
