package org.blora.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.blora.core.model.Model;
import org.blora.core.model.ModelKinds;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;

/**
 * Reads a fine-tuned model back from either adapter format a run writes: the run's own {@code adapter/}
 * (adapter.safetensors with every module's {@code .merged} tensor) or the PEFT LoRA export ({@code adapter/peft}:
 * adapter_config.json, adapter_model.safetensors with lora_A / lora_B, base_model.safetensors with W0 under
 * PyTorch state_dict names), where each adapted module is W0 + (lora_alpha / r) B A, with r and lora_alpha
 * resolved per module through rank_pattern / alpha_pattern as PEFT does. The model is recognised from its module
 * names by the registered model kinds ({@link ModelKinds#fromModules}): a single {@code W} is the linear model,
 * {@code l1, l1.bias, l2, ...} the MLP.
 */
public final class AdapterFiles {
    /** Which format a folder held. */
    public enum Format {
        RUN("run adapter"), PEFT("PEFT LoRA adapter");

        public final String text;

        Format(String text) {
            this.text = text;
        }
    }

    /** A fine-tuned model: which format it came from, the model, and theta (the merged modules, in layout order). */
    public record Adapter(Format format, String dir, Model model, double[] theta) {
        public ModelLayout layout() {
            return model.layout();
        }
    }

    private AdapterFiles() {
    }

    /**
     * The model in {@code dir}: a run folder, its {@code adapter/} folder, or a PEFT folder. An
     * IllegalArgumentException names the folder and what is missing or inconsistent.
     */
    public static Adapter read(String dir, Configuration conf) {
        RunFolder f = new RunFolder(dir, conf);
        if (f.exists("adapter.safetensors")) {
            return fromRun(f, "adapter.safetensors");
        }
        if (f.exists("adapter/adapter.safetensors")) {
            return fromRun(f, "adapter/adapter.safetensors");
        }
        if (f.exists(PeftAdapter.CONFIG) && f.exists(PeftAdapter.WEIGHTS)) {
            return fromPeft(f);
        }
        throw new IllegalArgumentException(dir + " holds no adapter: give a run folder, "
                + "its adapter/ folder (adapter.safetensors) "
                + "or a PEFT export (" + PeftAdapter.CONFIG + " + " + PeftAdapter.WEIGHTS + ")");
    }

    private static Adapter fromRun(RunFolder f, String file) {
        String what = f.uri() + "/" + file;
        Map<String, Safetensors.Tensor> tensors = Safetensors.read(f.read(file), what);
        Map<String, Safetensors.Tensor> merged = new LinkedHashMap<>();
        tensors.forEach((k, t) -> {
            if (k.endsWith(RunOutputs.MERGED)) {
                merged.put(k.substring(0, k.length() - RunOutputs.MERGED.length()), t);
            }
        });
        return model(Format.RUN, f.uri(), merged, what);
    }

    private static Adapter fromPeft(RunFolder f) {
        String what = f.uri();
        JsonNode config;
        try {
            config = JsonFiles.MAPPER.readTree(f.readText(PeftAdapter.CONFIG));
        } catch (IOException e) {
            throw new IllegalArgumentException(what + "/" + PeftAdapter.CONFIG + " is not JSON: " + e.getMessage());
        }
        if (!"LORA".equals(config.path("peft_type").asText())) {
            throw new IllegalArgumentException(what + "/" + PeftAdapter.CONFIG + " has peft_type '"
                    + config.path("peft_type").asText() + "', only LORA adapters are read");
        }
        if (config.path("fan_in_fan_out").asBoolean(false) || config.path("use_dora").asBoolean(false)) {
            throw new IllegalArgumentException(what + "/" + PeftAdapter.CONFIG
                    + ": fan_in_fan_out and DoRA adapters are not read");
        }
        if (!f.exists(PeftAdapter.BASE)) {
            throw new IllegalArgumentException(what + " has no " + PeftAdapter.BASE
                    + " (the base weights W0 the adapter applies to)");
        }
        Map<String, Safetensors.Tensor> base = Safetensors.read(f.read(PeftAdapter.BASE), what + "/" + PeftAdapter.BASE);
        Map<String, Safetensors.Tensor> lora = Safetensors.read(f.read(PeftAdapter.WEIGHTS), what + "/" + PeftAdapter.WEIGHTS);
        Map<String, Safetensors.Tensor> merged = new LinkedHashMap<>();
        base.forEach((k, t) -> {
            String module = PeftAdapter.moduleOf(k);
            int rows = t.shape()[0];
            int cols = t.shape().length > 1 ? t.shape()[1] : 1;
            merged.put(module, new Safetensors.Tensor(new int[] {rows, cols}, t.data().clone()));
        });
        for (JsonNode target : config.path("target_modules")) {
            String module = target.asText();
            Safetensors.Tensor w = merged.get(module);
            Safetensors.Tensor a = lora.get(PeftAdapter.KEY_PREFIX + module + ".lora_A.weight");
            Safetensors.Tensor b = lora.get(PeftAdapter.KEY_PREFIX + module + ".lora_B.weight");
            if (w == null || a == null || b == null) {
                throw new IllegalArgumentException(what + ": target module " + module
                        + " needs " + PeftAdapter.stateDictName(module)
                        + " in " + PeftAdapter.BASE + " and its lora_A / lora_B in " + PeftAdapter.WEIGHTS);
            }
            int out = w.shape()[0];
            int in = w.shape()[1];
            int rank = a.shape()[0];
            if (a.shape().length != 2 || a.shape()[1] != in
                    || b.shape().length != 2 || b.shape()[0] != out || b.shape()[1] != rank) {
                throw new IllegalArgumentException(what + ": module " + module + " is " + out + "x" + in + " but lora_A is "
                        + java.util.Arrays.toString(a.shape()) + " and lora_B " + java.util.Arrays.toString(b.shape()));
            }
            double r = pattern(config.path("rank_pattern"), module, config.path("r").asDouble());
            double alpha = pattern(config.path("alpha_pattern"), module, config.path("lora_alpha").asDouble());
            ModuleChain.addProduct(alpha / r, b.data(), a.data(), rank, out, in, w.data());
        }
        return model(Format.PEFT, what, merged, what);
    }

    /** PEFT's per-module override: the first key k with re.match(rf"(.*\.)?({k})$", module), else the default. */
    private static double pattern(JsonNode patterns, String module, double otherwise) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patterns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")").matcher(module).matches()) {
                return e.getValue().asDouble();
            }
        }
        return otherwise;
    }

    /** The model whose modules these are, as the first registered kind that recognises them reads them. */
    private static Adapter model(Format format, String dir, Map<String, Safetensors.Tensor> modules, String what) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        modules.forEach((k, t) -> shapes.put(k, new int[] {t.shape()[0], t.shape().length > 1 ? t.shape()[1] : 1}));
        Model model;
        try {
            model = ModelKinds.fromModules(shapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
        ModelLayout layout = model.layout();
        double[] theta = new double[layout.size()];
        for (Module m : layout.modules()) {
            Safetensors.Tensor t = modules.get(m.name());
            if (t == null || t.data().length != m.size()) {
                throw new IllegalArgumentException(what + " has no " + m.name() + " of " + m.rows() + "x" + m.cols()
                        + " (the " + model.name() + " needs " + layout.names() + ")");
            }
            System.arraycopy(t.data(), 0, theta, m.offset(), m.size());
        }
        if (modules.size() != layout.modules().size()) {
            throw new IllegalArgumentException(what + " holds modules " + modules.keySet() + " beyond the " + model.name()
                    + "'s " + layout.names());
        }
        return new Adapter(format, dir, model, theta);
    }
}
