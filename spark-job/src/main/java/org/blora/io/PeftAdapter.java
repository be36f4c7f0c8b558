package org.blora.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.blora.core.linalg.LowRankSvd;
import org.blora.io.SafetensorsWriter.Dtype;
import org.blora.io.SafetensorsWriter.Tensor;

/**
 * Exports trained chains as a Hugging Face PEFT LoRA adapter. A chain of T links of ranks r_t,
 * W = W0 + sum_t B_t A_t, is exactly one LoRA of rank R = sum_t r_t: stack the A_t as rows of A (R x in) and the
 * B_t as columns of B (out x R); then B A = sum_t B_t A_t. PEFT applies B A scaled by lora_alpha / r, so both are
 * set to R and the scale is 1.
 *
 * <p>Files under the target folder, each written under a temporary name and renamed into place:
 * <ul>
 * <li>{@value #CONFIG}: the LoraConfig (peft_type LORA, r, lora_alpha, target_modules, rank_pattern, ...);</li>
 * <li>{@value #WEIGHTS}: {@code base_model.model.<module>.lora_A.weight} (R x in) and {@code ...lora_B.weight}
 * (out x R) per module, the key names PEFT's save_pretrained writes;</li>
 * <li>{@value #BASE}: the frozen W0 of every module as {@code <module>.weight} (out x in), since there is no hub
 * model to load it from;</li>
 * <li>{@value #REPORT}: per module the chain rank, the exported rank and ||dW - B A||_F / ||dW||_F.</li>
 * </ul>
 *
 * <p>With an export rank R' the update of every module whose R exceeds R' is replaced by its truncated SVD,
 * B = U_R' S_R'^(1/2), A = S_R'^(1/2) V_R'^T, the best rank-R' approximation (Eckart-Young). Whatever the options,
 * no module is written at a rank above min(out, in): a chain with R > min(out, in) is written as the SVD of its
 * update at rank min(out, in), which keeps all its singular triplets and is exact up to rounding.
 */
public final class PeftAdapter {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String BASE = "base_model.safetensors";
    public static final String REPORT = "export_report.json";

    /** Prefix of PEFT's keys: the PeftModel's base_model (a LoraModel) wraps the user's model as .model. */
    static final String KEY_PREFIX = "base_model.model.";

    /** A PyTorch module path as named_modules() prints it: attribute names joined by dots. */
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * dtype of the written tensors; exportRank 0 writes every chain exactly, a positive value caps every module's
     * rank at it by truncated SVD.
     */
    public record Options(Dtype dtype, int exportRank) {
        public static final Options DEFAULT = new Options(Dtype.F32, 0);

        public Options {
            if (dtype == null) {
                throw new IllegalArgumentException("export dtype: expected F32 or F64, got null");
            }
            if (exportRank < 0) {
                throw new IllegalArgumentException("export rank: expected 0 (exact) or a positive rank, got " + exportRank);
            }
        }
    }

    /**
     * One module's export: chain rank R = sum_t r_t, the rank written, and ||dW - B A||_F / ||dW||_F for the
     * factors as written (after rounding to the dtype; 0 when dW = 0 and B A = 0).
     */
    public record ModuleReport(String module, int out, int in, int links, int chainRank, int rank, boolean svd,
                               double relativeError) {
    }

    public record Report(List<ModuleReport> modules) {
        public Report {
            modules = List.copyOf(modules);
        }
    }

    private record Export(ModuleChain chain, double[] b, double[] a, ModuleReport report) {
    }

    @FunctionalInterface
    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private PeftAdapter() {
    }

    public static Report write(FileSystem fs, Path dir, List<ModuleChain> modules, Options options) {
        return write(fs, dir, modules, List.of(), options);
    }

    /**
     * As {@link #write(FileSystem, Path, List, Options)}, with the base model's tensors that carry no chain (an
     * MLP's biases, weight matrices left out of lora.modules) also in {@value #BASE}, under their PyTorch
     * state_dict names ({@link #stateDictName}), so that the file is the whole base model.
     */
    public static Report write(FileSystem fs, Path dir, List<ModuleChain> modules, List<Tensor> frozen, Options options) {
        checkModules(modules);
        List<Export> exports = new ArrayList<>();
        for (ModuleChain m : modules) {
            exports.add(export(m, options));
        }
        List<Tensor> lora = new ArrayList<>();
        List<Tensor> base = new ArrayList<>();
        for (Export e : exports) {
            ModuleChain m = e.chain();
            int rank = e.report().rank();
            lora.add(new Tensor(KEY_PREFIX + m.module() + ".lora_A.weight", new int[] {rank, m.in()}, e.a()));
            lora.add(new Tensor(KEY_PREFIX + m.module() + ".lora_B.weight", new int[] {m.out(), rank}, e.b()));
            base.add(new Tensor(m.module() + ".weight", new int[] {m.out(), m.in()}, m.base()));
        }
        base.addAll(frozen);
        Map<String, String> meta = Map.of("format", "pt");
        Report report = new Report(exports.stream().map(Export::report).toList());
        write(fs, new Path(dir, WEIGHTS), out -> SafetensorsWriter.write(out, lora, options.dtype(), meta));
        write(fs, new Path(dir, BASE), out -> SafetensorsWriter.write(out, base, options.dtype(), meta));
        write(fs, new Path(dir, REPORT), out -> out.write(JSON.writeValueAsBytes(reportJson(report, options))));
        // The config last: PEFT finds an adapter by it, so a folder with a config holds a complete export.
        write(fs, new Path(dir, CONFIG), out -> out.write(JSON.writeValueAsBytes(config(report))));
        return report;
    }

    /**
     * The state_dict name of a model tensor: a weight matrix {@code l1} is PyTorch's {@code l1.weight}, a bias
     * module {@code l1.bias} keeps its name.
     */
    public static String stateDictName(String module) {
        return module.endsWith(".bias") ? module : module + ".weight";
    }

    /** The inverse of {@link #stateDictName}: the module a state_dict key belongs to. */
    public static String moduleOf(String stateDictKey) {
        return stateDictKey.endsWith(".weight")
                ? stateDictKey.substring(0, stateDictKey.length() - ".weight".length()) : stateDictKey;
    }

    private static void checkModules(List<ModuleChain> modules) {
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("PEFT export: expected at least one module chain, got none");
        }
        Set<String> seen = new HashSet<>();
        for (ModuleChain m : modules) {
            if (!MODULE_NAME.matcher(m.module()).matches()) {
                throw new IllegalArgumentException("PEFT export: module name \"" + m.module() + "\" is not a PyTorch module path "
                        + "(letters, digits and _ joined by single dots, e.g. layers.0.q_proj): rename the module");
            }
            if (!seen.add(m.module())) {
                throw new IllegalArgumentException("PEFT export: module " + m.module()
                        + " appears twice: export each module once");
            }
            if (m.totalRank() == 0) {
                throw new IllegalArgumentException("PEFT export: module " + m.module()
                        + " has no links (rank 0) and PEFT needs r >= 1: "
                        + "leave it out of the export");
            }
        }
    }

    private static Export export(ModuleChain m, Options options) {
        int chainRank = m.totalRank();
        // No out x in matrix has a rank above min(out, in): a longer chain is written as the SVD of its update at
        // that rank, which keeps every singular triplet and so is exact up to rounding.
        int cap = Math.min(m.out(), m.in());
        if (options.exportRank() > 0) {
            cap = Math.min(cap, options.exportRank());
        }
        double[] b;
        double[] a;
        boolean svd = chainRank > cap;
        double[] stackedB = m.stackedB();
        double[] stackedA = m.stackedA();
        if (svd) {
            LowRankSvd.Factors f = LowRankSvd.truncate(stackedB, stackedA, m.out(), m.in(), chainRank, cap);
            b = f.b();
            a = f.a();
        } else {
            b = stackedB;
            a = stackedA;
        }
        int rank = b.length / m.out();
        double error = relativeError(m.mergedUpdate(), b, a, m.out(), m.in(), rank, options.dtype());
        return new Export(m, b, a, new ModuleReport(m.module(), m.out(), m.in(), m.length(), chainRank, rank, svd, error));
    }

    /** ||dW - B A||_F / ||dW||_F with B and A as a reader of the file gets them back. O(out in rank). */
    private static double relativeError(double[] dw, double[] b, double[] a, int out, int in, int rank, Dtype dtype) {
        double[] residual = dw.clone();
        ModuleChain.addProduct(-1.0, rounded(b, dtype), rounded(a, dtype), rank, out, in, residual);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < dw.length; i++) {
            diff += residual[i] * residual[i];
            norm += dw[i] * dw[i];
        }
        if (norm == 0.0) {
            return diff == 0.0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(diff / norm);
    }

    private static double[] rounded(double[] v, Dtype dtype) {
        double[] r = new double[v.length];
        Arrays.setAll(r, i -> dtype.round(v[i]));
        return r;
    }

    /**
     * The LoraConfig. r and lora_alpha are the rank most modules share; a module of another rank gets entries in
     * rank_pattern and alpha_pattern (both its rank, so its scale is 1 too), keyed as {@link PeftPatternKeys}
     * chooses for the widest range of PEFT versions.
     */
    static ObjectNode config(Report report) {
        Map<Integer, Integer> count = new HashMap<>();
        for (ModuleReport m : report.modules()) {
            count.merge(m.rank(), 1, Integer::sum);
        }
        int r = report.modules().get(0).rank();
        for (ModuleReport m : report.modules()) {
            if (count.get(m.rank()) > count.get(r)) {
                r = m.rank();
            }
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("peft_type", "LORA");
        c.putNull("base_model_name_or_path");
        c.putNull("task_type");
        c.put("inference_mode", true);
        c.put("r", r);
        c.put("lora_alpha", r);
        var targets = c.putArray("target_modules");
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (ModuleReport m : report.modules()) {
            targets.add(m.module());
            ranks.put(m.module(), m.rank());
        }
        ObjectNode rankPattern = JSON.createObjectNode();
        PeftPatternKeys.of(ranks, r).forEach(rankPattern::put);
        c.set("rank_pattern", rankPattern);
        c.set("alpha_pattern", rankPattern.deepCopy());
        c.put("fan_in_fan_out", false);
        c.put("use_rslora", false);
        c.put("use_dora", false);
        c.put("bias", "none");
        c.put("lora_dropout", 0.0);
        c.putNull("modules_to_save");
        return c;
    }

    private static ObjectNode reportJson(Report report, Options options) {
        ObjectNode r = JSON.createObjectNode();
        r.put("dtype", options.dtype().name());
        r.put("export_rank", options.exportRank());
        var modules = r.putArray("modules");
        for (ModuleReport m : report.modules()) {
            ObjectNode e = modules.addObject();
            e.put("module", m.module());
            e.put("out", m.out());
            e.put("in", m.in());
            e.put("links", m.links());
            e.put("chain_rank", m.chainRank());
            e.put("rank", m.rank());
            e.put("method", !m.svd() ? "stacked chain (exact)"
                    : m.rank() == Math.min(m.out(), m.in()) ? "SVD at rank min(out, in) (exact)" : "truncated SVD");
            e.put("relative_frobenius_error", m.relativeError());
        }
        return r;
    }

    /** Streams into a temporary name next to the target, then renames it over the target. */
    private static void write(FileSystem fs, Path target, Body body) {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(target.getParent());
            try (OutputStream out = fs.create(tmp, true)) {
                body.writeTo(out);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
        } catch (IOException e) {
            deleteQuietly(fs, tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(fs, tmp);
            throw e;
        }
    }

    private static void deleteQuietly(FileSystem fs, Path tmp) {
        try {
            fs.delete(tmp, false);
        } catch (IOException ignored) {
            // best effort: the temporary name never shadows a real output
        }
    }
}
