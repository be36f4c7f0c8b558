package org.blora.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.JointLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.blora.core.optim.AdamW;
import org.blora.core.optim.EarlyStopping;
import org.blora.core.optim.ReduceLrOnPlateau;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.train.Divergence;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;

/**
 * The schema of a checkpoint: a {@link Checkpoint} as the JSON state and the named arrays of a
 * {@link CheckpointFile}. Every component of the JSON carries its own {@code version}; a reader refuses a version it
 * does not know (docs/CHECKPOINTS.md lists them). Scalars are JSON numbers (Java's shortest round-trip decimal, so
 * every double comes back with its bits; NaN and the infinities as the strings "NaN", "Infinity", "-Infinity");
 * arrays are F64 tensors named in the JSON's terms, and an array that is null has no tensor.
 */
final class CheckpointState {
    /** The version of every component this build writes and reads. */
    static final int COMPONENT_VERSION = 1;

    private final Map<String, Safetensors.Tensor> tensors;

    private CheckpointState(Map<String, Safetensors.Tensor> tensors) {
        this.tensors = tensors;
    }

    static byte[] encode(Map<String, String> config, TrainerState s, LowRankChain chain, List<RoundRecord> rows,
                         List<double[]> clientStates, IterateSummary.State iterates) {
        CheckpointState out = new CheckpointState(new LinkedHashMap<>());
        ObjectNode root = JsonFiles.MAPPER.createObjectNode();
        ObjectNode c = component(root, "config");
        ObjectNode keys = c.putObject("keys");
        new TreeMap<>(config).forEach(keys::put);
        ObjectNode t = component(root, "trainer");
        t.put("round", s.round());
        number(t, "epochs", s.epochs());
        t.put("cum_uplink_bits", s.cumUplinkBits());
        t.put("trained_params", s.trainedParams());
        t.put("wall_ms", s.wallMs());
        number(t, "loss", s.loss());
        number(t, "grad_norm_sq", s.gradNormSq());
        out.array("trainer.estimator_state", s.estimatorState());
        out.method(component(root, "method"), s.methodState());
        ObjectNode dv = component(root, "divergence");
        dv.put("present", s.divergence() != null);
        if (s.divergence() != null) {
            number(dv, "start_loss", s.divergence().startLoss());
            number(dv, "start_grad_norm_sq", s.divergence().startGradNormSq());
        }
        EarlyStopping.State e = s.earlyStopping() == null ? null : s.earlyStopping().state();
        ObjectNode es = component(root, "early_stopping");
        es.put("present", e != null);
        if (e != null) {
            es.put("patience", e.patience());
            number(es, "min_delta", e.minDelta());
            number(es, "best", e.best());
            es.put("wait", e.waitCount());
            es.put("stopped", e.stopped());
        }
        ReduceLrOnPlateau.State p = s.plateau() == null ? null : s.plateau().state();
        ObjectNode pl = component(root, "plateau");
        pl.put("present", p != null);
        if (p != null) {
            number(pl, "factor", p.factor());
            pl.put("patience", p.patience());
            number(pl, "threshold", p.threshold());
            pl.put("cooldown", p.cooldown());
            number(pl, "min_lr", p.minLr());
            number(pl, "initial_lr", p.initialLr());
            number(pl, "lr", p.lr());
            number(pl, "best", p.best());
            pl.put("bad_epochs", p.badEpochs());
            pl.put("cooldown_left", p.cooldownLeft());
        }
        ArrayNode modules = component(root, "layout").putArray("modules");
        for (Module m : chain.layout().modules()) {
            modules.addObject().put("name", m.name()).put("rows", m.rows()).put("cols", m.cols()).put("adaptable", m.adaptable());
        }
        ArrayNode links = component(root, "chain").putArray("links");
        out.array("chain.w0", chain.w0());
        out.array("chain.w", chain.w());
        out.array("chain.w_prev", chain.wPrev());
        for (int i = 0; i < chain.links().size(); i++) {
            ArrayNode link = links.addArray();
            Link[] l = chain.links().get(i);
            for (int j = 0; j < l.length; j++) {
                if (l[j] == null) {
                    link.addNull();
                    continue;
                }
                link.addObject().put("side", l[j].side.name()).put("rank", l[j].rank);
                String name = "chain.link." + i + "." + chain.layout().modules().get(j).name();
                out.array(name + ".B", l[j].b);
                out.array(name + ".A", l[j].a);
            }
        }
        component(root, "metrics").put("csv", MetricsCsv.render(rows));
        component(root, "clients").put("count", clientStates.size());
        for (int i = 0; i < clientStates.size(); i++) {
            out.array("clients." + i, clientStates.get(i));
        }
        ObjectNode it = component(root, "iterates");
        it.put("present", iterates != null);
        if (iterates != null) {
            it.put("steps", iterates.steps());
            number(it, "best_loss", iterates.bestLoss());
            it.put("best_round", iterates.bestRound());
            out.array("iterates.sum", iterates.sum());
            out.array("iterates.best", iterates.best());
        }
        try {
            return CheckpointFile.encode(JsonFiles.MAPPER.writeValueAsString(root), out.tensors);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("cannot render the checkpoint state: " + ex.getOriginalMessage(), ex);
        }
    }

    /** The method's state beyond the chain: none, or the AdamW moments of the open link (their m and v as arrays). */
    private void method(ObjectNode m, Serializable state) {
        if (state == null) {
            m.putNull("kind");
        } else if (state instanceof BernoulliLoRA.OpenLink o) {
            m.put("kind", "one-factor").put("link", o.link());
            moments(m.putArray("trained"), "method.trained", o.moments());
        } else if (state instanceof JointLoRA.OpenPair j) {
            m.put("kind", "two-factor").put("link", j.link()).put("modules", j.b().length);
            for (int k = 0; k < j.b().length; k++) {
                array("method.b." + k, j.b()[k]);
                array("method.a." + k, j.a()[k]);
            }
            if (j.momentsB() == null) {
                m.putNull("moments_b");
                m.putNull("moments_a");
            } else {
                moments(m.putArray("moments_b"), "method.moments_b", j.momentsB());
                moments(m.putArray("moments_a"), "method.moments_a", j.momentsA());
            }
        } else {
            throw new IllegalArgumentException("a checkpoint cannot hold a method state of " + state.getClass().getName());
        }
    }

    private void moments(ArrayNode list, String name, AdamW.State[] states) {
        for (int k = 0; k < states.length; k++) {
            if (states[k] == null) {
                list.addNull();
            } else {
                list.addObject().put("step", states[k].step());
                array(name + "." + k + ".m", states[k].m());
                array(name + "." + k + ".v", states[k].v());
            }
        }
    }

    static Checkpoint decode(byte[] file) {
        CheckpointFile.Contents contents = CheckpointFile.decode(file);
        JsonNode root;
        try {
            root = JsonFiles.MAPPER.readTree(contents.state());
        } catch (IOException e) {
            throw new Checkpoints.CorruptCheckpointException("unreadable state: " + e.getMessage());
        }
        CheckpointState in = new CheckpointState(contents.tensors());
        try {
            return in.checkpoint(root);
        } catch (RuntimeException e) {
            if (e instanceof Checkpoints.CorruptCheckpointException || e instanceof Checkpoints.OlderFormatException) {
                throw e;
            }
            throw new Checkpoints.CorruptCheckpointException("unreadable: " + e);
        }
    }

    private Checkpoint checkpoint(JsonNode root) {
        Map<String, String> config = new TreeMap<>();
        component(root, "config").get("keys").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        JsonNode t = component(root, "trainer");
        JsonNode e = component(root, "early_stopping");
        EarlyStopping early = !e.get("present").asBoolean() ? null : EarlyStopping.of(new EarlyStopping.State(
                e.get("patience").asInt(), number(e, "min_delta"), number(e, "best"), e.get("wait").asInt(),
                e.get("stopped").asBoolean()));
        JsonNode p = component(root, "plateau");
        ReduceLrOnPlateau plateau = !p.get("present").asBoolean() ? null : ReduceLrOnPlateau.of(new ReduceLrOnPlateau.State(
                number(p, "factor"), p.get("patience").asInt(), number(p, "threshold"), p.get("cooldown").asInt(),
                number(p, "min_lr"), number(p, "initial_lr"), number(p, "lr"), number(p, "best"),
                p.get("bad_epochs").asInt(), p.get("cooldown_left").asInt()));
        TrainerState s = new TrainerState(t.get("round").asInt(), number(t, "epochs"), t.get("cum_uplink_bits").asLong(),
                t.get("trained_params").asLong(), t.get("wall_ms").asLong(), number(t, "loss"), number(t, "grad_norm_sq"),
                optional("trainer.estimator_state"), method(component(root, "method")), early, plateau, divergence(root));
        ModelLayout.Builder lb = ModelLayout.builder();
        for (JsonNode m : component(root, "layout").get("modules")) {
            lb.add(m.get("name").asText(), m.get("rows").asInt(), m.get("cols").asInt(), m.get("adaptable").asBoolean());
        }
        ModelLayout layout = lb.build();
        JsonNode chain = component(root, "chain");
        List<Link[]> links = new ArrayList<>();
        for (JsonNode link : chain.get("links")) {
            Link[] l = new Link[layout.modules().size()];
            if (link.size() != l.length) {
                throw new Checkpoints.CorruptCheckpointException("a link of " + link.size()
                        + " modules in a model of " + l.length);
            }
            for (int j = 0; j < l.length; j++) {
                if (!link.get(j).isNull()) {
                    Module m = layout.modules().get(j);
                    String name = "chain.link." + links.size() + "." + m.name();
                    l[j] = new Link(Side.valueOf(link.get(j).get("side").asText()), new Shape(m.rows(), m.cols()),
                            link.get(j).get("rank").asInt(), optional(name + ".B"), required(name + ".A"));
                }
            }
            links.add(l);
        }
        double[] w0 = required("chain.w0");
        double[] w = required("chain.w");
        List<RoundRecord> rows = MetricsCsv.parse(component(root, "metrics").get("csv").asText());
        List<double[]> clientStates = new ArrayList<>();
        for (int i = 0; i < component(root, "clients").get("count").asInt(); i++) {
            clientStates.add(optional("clients." + i));
        }
        JsonNode it = component(root, "iterates");
        IterateSummary.State iterates = !it.get("present").asBoolean() ? null : new IterateSummary.State(required("iterates.sum"),
                it.get("steps").asLong(), number(it, "best_loss"), optional("iterates.best"), it.get("best_round").asInt());
        if (rows.size() != s.round() || w0.length != layout.size() || w.length != layout.size()) {
            throw new Checkpoints.CorruptCheckpointException("round " + s.round() + " with " + rows.size()
                    + " metrics rows and " + w.length + " parameters for a model of " + layout.size());
        }
        return new Checkpoint(config, s, layout, w0, links, w, optional("chain.w_prev"), rows, clientStates, iterates);
    }

    private Serializable method(JsonNode m) {
        String kind = m.get("kind").isNull() ? null : m.get("kind").asText();
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case "one-factor" -> new BernoulliLoRA.OpenLink(m.get("link").asInt(), moments(m.get("trained"), "method.trained"));
            case "two-factor" -> twoFactor(m);
            default -> throw new Checkpoints.CorruptCheckpointException("unknown method state '" + kind + "'");
        };
    }

    /** The start values a run's divergence test compares with (absent when the run had none yet). */
    private static Divergence divergence(JsonNode root) {
        JsonNode d = component(root, "divergence");
        return !d.get("present").asBoolean() ? null
                : new Divergence(number(d, "start_loss"), number(d, "start_grad_norm_sq"));
    }

    /** LoRA's and COLA's open link: both factors as trained (unscaled) and, with AdamW, their moments. */
    private JointLoRA.OpenPair twoFactor(JsonNode m) {
        int modules = m.get("modules").asInt();
        double[][] b = new double[modules][];
        double[][] a = new double[modules][];
        for (int k = 0; k < modules; k++) {
            b[k] = required("method.b." + k);
            a[k] = required("method.a." + k);
        }
        boolean adamw = !m.get("moments_b").isNull();
        return new JointLoRA.OpenPair(m.get("link").asInt(), b, a,
                adamw ? moments(m.get("moments_b"), "method.moments_b") : null,
                adamw ? moments(m.get("moments_a"), "method.moments_a") : null);
    }

    private AdamW.State[] moments(JsonNode list, String name) {
        AdamW.State[] states = new AdamW.State[list.size()];
        for (int k = 0; k < states.length; k++) {
            if (!list.get(k).isNull()) {
                states[k] = new AdamW.State(required(name + "." + k + ".m"), required(name + "." + k + ".v"),
                        list.get(k).get("step").asLong());
            }
        }
        return states;
    }

    /** A new component {@code {"version": 1, ...}} of the root. */
    private static ObjectNode component(ObjectNode root, String name) {
        return root.putObject(name).put("version", COMPONENT_VERSION);
    }

    /** A component of the state, refused (one line, naming it) when it is missing or of a version this build does not read. */
    private static JsonNode component(JsonNode root, String name) {
        JsonNode c = root.get(name);
        if (c == null || !c.isObject()) {
            throw new Checkpoints.CorruptCheckpointException("no " + name + " component");
        }
        if (c.path("version").asInt(-1) != COMPONENT_VERSION) {
            throw new Checkpoints.OlderFormatException("has a " + name + " component of version " + c.path("version").asText("?")
                    + ", this build reads version " + COMPONENT_VERSION);
        }
        return c;
    }

    private void array(String name, double[] v) {
        if (v != null) {
            tensors.put(name, new Safetensors.Tensor(new int[] {v.length}, v));
        }
    }

    private double[] optional(String name) {
        Safetensors.Tensor t = tensors.get(name);
        return t == null ? null : t.data();
    }

    private double[] required(String name) {
        double[] v = optional(name);
        if (v == null) {
            throw new Checkpoints.CorruptCheckpointException("no array " + name);
        }
        return v;
    }

    /** A double as JSON: a number when finite (its shortest round-trip decimal), else "NaN", "Infinity" or "-Infinity". */
    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.put(key, Double.toString(v));
        }
    }

    private static double number(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !(v.isNumber() || v.isTextual())) {
            throw new Checkpoints.CorruptCheckpointException("no number " + key);
        }
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
    }
}
