package org.blora.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blora.config.TrainSpec;
import org.blora.core.chain.LowRankChain;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.Scores;
import org.blora.core.train.StopReason;
import org.blora.core.train.TrainResult;
import org.blora.io.PeftAdapter;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;
import org.blora.io.SafetensorsWriter;

/**
 * The files of a finished run: config.properties (the resolved keys and the run's facts), metrics, adapter, plot,
 * then summary.json (the result, the live bound where a theorem covers the run, or why none does).
 */
final class RunReport {
    /** Everything a finished run reports beyond its folder. */
    record Inputs(TrainSpec spec, TrainRun.Setup setup, TrainResult result, List<RoundRecord> records,
                  LowRankChain chain, Map<String, String> runFacts, ConvexFacts convex,
                  TheoryCheck.Constants constants, Map<String, Object> convexSummary) {
    }

    private RunReport() {
    }

    static void write(RunFolder out, Inputs in) {
        TrainSpec spec = in.spec();
        Map<String, Object> summary = resultSummary(in);
        TheoryCheck.Result theory = theory(in, summary);
        String title = out.name() + ": " + spec.chain().method().key() + " r=" + spec.chain().rank()
                + " p=" + spec.chain().p() + " "
                + spec.optim().estimator().key()
                + (spec.fed().protocol() == ProtocolKind.NONE ? "" : " " + spec.fed().protocol().key()
                        + "+" + spec.fed().compressorName());
        RunOutputs.write(out, spec.config().toProperties(configFacts(in.setup(), in.runFacts())), in.records(), in.chain(),
                new RunOutputs.AdapterInfo(spec.chain().method().key(), spec.chain().rank(), spec.chain().p(),
                        spec.chain().sketch().name(), spec.run().seed(),
                        // A diverged chain is no adapter anyone loads: no PEFT export of it.
                        in.result().stopReason() == StopReason.DIVERGED ? null : new PeftAdapter.Options(
                                spec.export().f64() ? SafetensorsWriter.Dtype.F64 : SafetensorsWriter.Dtype.F32,
                                spec.export().rank())),
                new RunOutputs.PlotInfo(title, spec.fed().protocol() != ProtocolKind.NONE || spec.fed().sketchFirst()), summary,
                theory == null ? RunOutputs.BoundColumn.NONE : new RunOutputs.BoundColumn(theory.perRow(), theory.name(),
                        theory.bound().measure(), theory.measured()));
    }

    /** The facts of config.properties: versions, the setup's smoothness facts, then the run's own. */
    private static Map<String, String> configFacts(TrainRun.Setup setup, Map<String, String> runFacts) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("spark.version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        facts.put("java.version", System.getProperty("java.version"));
        facts.put("git.revision", BuildInfo.gitRevision());
        facts.put("rows", Long.toString(setup.rows()));
        facts.put("model", setup.layout().toString());
        facts.put("parameters", Integer.toString(setup.layout().size()));
        facts.put("gram_norm", Double.toString(setup.gramNorm()));
        facts.put("lanczos_stages", Integer.toString(setup.lanczosStages()));
        facts.put("lambda", Double.toString(setup.lambda()));
        facts.put("L_hat", Double.toString(setup.lHat()));
        facts.put("step_rule", setup.stepRule());
        facts.putAll(runFacts);
        return facts;
    }

    /** summary.json's result entries, in the order of the file, up to the convex and bound entries. */
    private static Map<String, Object> resultSummary(Inputs in) {
        TrainResult result = in.result();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("loss", result.loss());
        summary.put("grad_norm_sq", result.gradNormSq());
        summary.put("rounds", result.rounds());
        summary.put("epochs", result.epochs());
        summary.put("wall_ms", result.wallMs());
        summary.put("converged", result.converged());
        summary.put("stop_reason", result.stopReason().text);
        summary.put("trainable_params", result.trainableParams());
        summary.put("expected_trainable_params", in.setup().expectedTrainable());
        List<RoundRecord> records = in.records();
        RoundRecord lastRow = records.isEmpty() ? null : records.get(records.size() - 1);
        if (lastRow != null && !Scores.NONE.equals(lastRow.scores())) {
            summary.put("accuracy", lastRow.scores().accuracy());
            summary.put("val_loss", lastRow.scores().valLoss());
            summary.put("val_accuracy", lastRow.scores().valAccuracy());
            summary.put("test_loss", lastRow.scores().testLoss());
            summary.put("test_accuracy", lastRow.scores().testAccuracy());
        }
        summary.put("total_uplink_bits", result.totalUplinkBits());
        summary.put("lambda", in.setup().lambda());
        summary.put("step_size", in.setup().gamma());
        return summary;
    }

    /**
     * Adds the convex entries and the bound's (or a note saying why no theorem covers the run) to {@code summary};
     * returns the live check, or null when there is none.
     */
    private static TheoryCheck.Result theory(Inputs in, Map<String, Object> summary) {
        TrainSpec spec = in.spec();
        TrainRun.Setup setup = in.setup();
        TheoryCheck.Result theory = setup.layout().modules().size() == 1
                ? TheoryCheck.of(spec, spec.chainSpec(setup.rows()), setup.layout().modules().get(0), setup.gamma(),
                        setup.lHat(), in.convex(), in.constants(), in.records())
                : null;
        summary.putAll(in.convexSummary());
        if (theory == null) {
            String why = TheoryCheck.uncovered(spec, spec.chainSpec(setup.rows()), setup.layout().modules().size());
            if (why != null) {
                summary.put("bound_note", why);
            }
            return null;
        }
        if (theory.bound() == null) {
            summary.put("bound_note", theory.note());
            return null;
        }
        summary.put("bound_name", theory.name());
        summary.put("bound_measure", theory.bound().measure().description);
        summary.put("bound_ratio", theory.worstRatio());
        summary.put("bound_held", theory.held());
        return theory;
    }
}
