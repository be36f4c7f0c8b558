package org.blora.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.blora.config.TrainSpec;
import org.blora.core.chain.ChainSpec;
import org.blora.core.model.Module;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.theory.Bound;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.io.RunFolder;
import org.blora.io.Safetensors;
import org.blora.spark.PointLoss;

/**
 * What a model.loss=lad or hinge run adds to its outputs (docs/THEORY.md): L0, R and f* with where each came from
 * (config.properties), the best and the average iterate (adapter/iterates.safetensors, W.best and W.average; the
 * chain is the last iterate), f at the average iterate by one extra stage, and the constant step's
 * average-iterate bound at T (summary.json).
 */
final class ConvexOutputs {
    private ConvexOutputs() {
    }

    /** The run facts of config.properties. */
    static void putFacts(ConvexFacts convex, Map<String, String> facts) {
        facts.put("L0", Double.toString(convex.l0()));
        facts.put("L0_how", convex.l0How());
        facts.put("R", Double.toString(convex.r()));
        facts.put("R_how", convex.rHow());
        if (convex.fStar() != null) {
            facts.put("f_star", Double.toString(convex.fStar().value()));
            facts.put("f_star_accuracy", Double.toString(convex.fStar().accuracy()));
            facts.put("f_star_how", convex.fStar().how());
        }
    }

    /**
     * The summary.json entries; writes adapter/iterates.safetensors when {@code iterates} is not null (a finished
     * run, fresh or resumed from checkpoints that kept its iterates).
     */
    static Map<String, Object> summarise(TrainSpec spec, ChainSpec chain, Module w, double gamma, ConvexFacts convex,
                                         IterateSummary iterates, List<RoundRecord> records, JavaRDD<DataBlock> blocks,
                                         DataLoss loss, long rows, RunFolder out) {
        Map<String, Object> summary = new LinkedHashMap<>();
        if (convex.fStar() != null) {
            summary.put("f_star", convex.fStar().value());
            summary.put("f_star_accuracy", convex.fStar().accuracy());
        }
        summary.put("L0", convex.l0());
        summary.put("R", Double.isNaN(convex.r()) ? null : convex.r());
        if (iterates == null || iterates.steps() == 0) {
            return summary;
        }
        double avgLoss = PointLoss.mean(blocks, loss, iterates.average(), rows);
        summary.put("W", "adapter.safetensors holds the last iterate W_T; adapter/iterates.safetensors holds "
                + "W.best (min over s <= T of f(W_s): the subgrad-*-best theorems) "
                + "and W.average ((1/T) sum_{s<T} W_s: subgrad-const-avg)");
        summary.put("best_iterate_round", iterates.bestRound());
        summary.put("best_iterate_loss", iterates.bestLoss());
        summary.put("average_iterate_loss", avgLoss);
        if (convex.fStar() != null) {
            summary.put("best_iterate_gap", iterates.bestLoss() - convex.fStar().value());
            summary.put("average_iterate_gap", avgLoss - convex.fStar().value());
        }
        Bound avgBound = TheoryCheck.averageBound(spec, chain, w, gamma, convex);
        if (avgBound != null && TheoryCheck.subgradient(spec, chain, w, gamma, convex, records) != null) {
            double fLow = TheoryCheck.fLow(convex.fStar());
            long t = iterates.steps();
            summary.put("average_iterate_bound_name", avgBound.name() + TheoryCheck.caveats(convex));
            summary.put("average_iterate_bound", avgBound.at(t));
            summary.put("average_iterate_bound_ratio", (avgLoss - fLow) / avgBound.at(t));
            summary.put("average_iterate_bound_held", avgLoss - fLow <= avgBound.at(t));
        }
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("W.best", new Safetensors.Tensor(new int[] {w.rows(), w.cols()}, iterates.best()));
        tensors.put("W.average", new Safetensors.Tensor(new int[] {w.rows(), w.cols()}, iterates.average()));
        out.mkdirs("adapter");
        out.write("adapter/iterates.safetensors", Safetensors.toBytes(tensors, Map.of(
                "best_round", Integer.toString(iterates.bestRound()), "average_over_rounds", Long.toString(iterates.steps()))));
        return summary;
    }
}
