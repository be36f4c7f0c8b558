package org.blora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link ConfigRules}, by name: a configuration that breaks it (and whose sections parse) gets its
 * message, the same configuration with one setting repaired does not, and {@link TrainSpec}
 * refuses the breaking one with that message. A rule added without a case here fails {@link #everyRuleHasACase}.
 */
class ConfigRulesTest {
    /**
     * A breaking configuration, the one setting that repairs it ({@code key} back to its default, or {@code
     * key=value}), and a part of the message.
     */
    private record Case(Map<String, String> settings, String repair, String says) {
    }

    private static Map<String, String> m(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    private static final Map<String, String> MNIST = m("data.source", "mnist", "data.path", "/nowhere", "model.type", "mlp",
            "optim.step.rule", "constant", "optim.step.size", "0.01");

    private static Map<String, String> mnistWith(String... kv) {
        Map<String, String> out = new LinkedHashMap<>(MNIST);
        out.putAll(m(kv));
        return out;
    }

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("mlp-needs-class-labels", new Case(m("model.type", "mlp", "optim.step.rule", "constant",
                "optim.step.size", "0.01"), "model.type", "model.type=mlp is a classifier"));
        CASES.put("mnist-needs-mlp", new Case(m("data.source", "mnist", "data.path", "/nowhere",
                "optim.step.rule", "constant", "optim.step.size", "0.01"), "model.type=mlp",
                "data.source=mnist needs model.type=mlp"));
        CASES.put("theory-step-needs-linear", new Case(mnistWith("optim.step.rule", "theory"), "optim.step.rule=constant",
                "optim.step.rule=theory estimates L"));
        CASES.put("patience-needs-validation", new Case(m("optim.early.stop.patience", "3"), "optim.early.stop.patience",
                "watch the validation loss"));
        CASES.put("pretrain-or-init", new Case(m("pretrain", "true", "model.init", "gaussian"), "model.init",
                "model.init=gaussian conflicts with pretrain=true"));
        CASES.put("counterexample-has-no-rows", new Case(m("data.source", "counterexample", "model.shape", "16x16",
                "optim.estimator", "sgd"), "optim.estimator", "data.source=counterexample has no data rows"));
        CASES.put("page-mvr-refuse-dropout", new Case(mnistWith("optim.estimator", "page"), "optim.estimator",
                "optim.estimator=page with model.dropout=0.1"));
        CASES.put("polyak-auto-needs-non-smooth", new Case(m("optim.polyak.fstar", "auto"), "optim.polyak.fstar",
                "optim.polyak.fstar=auto is computed for model.loss=lad or hinge only"));
        CASES.put("loss-needs-linear", new Case(mnistWith("model.loss", "lad"), "model.loss",
                "model.loss=lad is a loss of the linear model"));
        CASES.put("non-smooth-refuses-regulariser", new Case(m("model.loss", "lad", "reg.lambda", "0.5"), "reg.lambda",
                "reg.lambda=0.5: the non-convex regulariser"));
        CASES.put("sign-labels-need-generator", new Case(m("data.source", "cached-regression", "data.labels", "sign"),
                "data.labels", "data.labels=sign is made by the synthetic generator"));
        CASES.put("sign-labels-refuse-shift", new Case(m("data.labels", "sign", "data.client.shift", "0.5"),
                "data.client.shift", "a target shift does not move"));
        CASES.put("hinge-needs-sign-labels", new Case(m("model.loss", "hinge", "data.labels", "values"), "data.labels",
                "model.loss=hinge needs labels -1/+1"));
        CASES.put("non-smooth-needs-row-weighting", new Case(m("model.loss", "lad", "fed.weighting", "uniform"),
                "fed.weighting", "fed.weighting=uniform with model.loss=lad"));
        CASES.put("protocol-needs-gd", new Case(m("fed.protocol", "qgd", "optim.estimator", "sgd"), "optim.estimator",
                "fed.protocol=qgd runs on local full gradients"));
        CASES.put("sketch-first-needs-plain-linear-gd", new Case(m("fed.sketch.first", "true", "optim.estimator", "page"),
                "optim.estimator", "fed.sketch.first=true needs"));
        CASES.put("shape-fits-features", new Case(m("model.shape", "8x8"), "model.shape",
                "model.shape=8x8 has 64 entries but the data has 256 features"));
        CASES.put("rank-fits-shape", new Case(m("model.shape", "2x128", "lora.rank", "3"), "lora.rank",
                "lora.rank=3 exceeds min(m, n)=2 for model.shape=2x128"));
        CASES.put("batch-fits-rows", new Case(m("optim.estimator", "sgd", "data.rows", "50"), "data.rows",
                "optim.batch (100) exceeds data.rows (50)"));
    }

    private static ConfigRules.Rule rule(String name) {
        return ConfigRules.RULES.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static TrainSpec unchecked(Map<String, String> settings) {
        return new TrainSpec(RunConfig.of(settings), false);
    }

    @Test
    void everyRuleHasACase() {
        List<String> names = new ArrayList<>();
        ConfigRules.RULES.forEach(r -> names.add(r.name()));
        assertEquals(names, List.copyOf(CASES.keySet()), "one case per rule, in the rules' order");
    }

    @Test
    void theDefaultsBreakNoRule() {
        TrainSpec spec = unchecked(Map.of());
        for (ConfigRules.Rule r : ConfigRules.RULES) {
            assertNull(r.violation().apply(spec), r.name());
        }
    }

    @Test
    void eachRuleReportsItsBreakAndOnlyThatKeyRepairsIt() {
        CASES.forEach((name, c) -> {
            String message = rule(name).violation().apply(unchecked(c.settings()));
            assertNotNull(message, name + " should be broken by " + c.settings());
            assertTrue(message.contains(c.says()), name + ": '" + message + "' should say '" + c.says() + "'");
            Map<String, String> repaired = new HashMap<>(c.settings());
            int eq = c.repair().indexOf('=');
            if (eq < 0) {
                repaired.remove(c.repair());
            } else {
                repaired.put(c.repair().substring(0, eq), c.repair().substring(eq + 1));
            }
            assertNull(rule(name).violation().apply(unchecked(repaired)), name + " still broken after " + c.repair());
        });
    }

    @Test
    void trainSpecRefusesABrokenRuleWithItsMessage() {
        CASES.forEach((name, c) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> new TrainSpec(RunConfig.of(c.settings())), name);
            assertTrue(e.getMessage().contains(c.says()), name + ": " + e.getMessage());
        });
    }

    @Test
    void theRankIsCheckedAgainstTheShapeTheDataGive() {
        TrainSpec spec = new TrainSpec(RunConfig.of(m("data.source", "path", "data.path", "/nowhere", "lora.rank", "3")));
        spec.checkRank(new org.blora.core.linalg.Shape(4, 4));
        ConfigException e = assertThrows(ConfigException.class, () -> spec.checkRank(new org.blora.core.linalg.Shape(2, 8)));
        assertEquals("lora.rank=3 exceeds min(m, n)=2 for model.shape=2x8 (set lora.rank <= 2)", e.getMessage());
    }
}
