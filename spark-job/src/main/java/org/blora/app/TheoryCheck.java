package org.blora.app;

import java.util.List;
import org.blora.config.EstimatorKind;
import org.blora.config.FedProtocol;
import org.blora.config.ModelType;
import org.blora.config.StepRuleKind;
import org.blora.config.TrainSpec;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.Method;
import org.blora.core.model.Module;
import org.blora.core.objective.FStar;
import org.blora.core.theory.Bound;
import org.blora.core.theory.GdBounds;
import org.blora.core.theory.SketchConstants;
import org.blora.core.theory.SubgradientBounds;
import org.blora.core.train.RoundRecord;

/**
 * The live check of the theory a run can state a bound for (docs/THEORY.md): Bernoulli-LoRA-GD, RAC-LoRA-GD and
 * full-parameter GD on the linear model with one projected step per link, gamma <= 1/L_hat, and the full
 * gradient evaluated every round. Theorem 1 bounds the average of ||grad f(W_s)||^2 over s < t by
 * 2 Delta_0 / (gamma lambda_min^p t); the run knows no f*, but its objective is non-negative (squares and
 * lambda w^2 / (1 + w^2)), so f* >= 0 and Delta_0 <= f(W_0): the bound with f(W_0) is still an upper bound.
 */
final class TheoryCheck {
    /** Per metrics row: the bound after that many rounds (NaN on row 0) and the measured average. */
    record Result(Bound bound, String name, double[] perRow, double[] measured, double worstRatio, boolean held) {
        Result(Bound bound, double[] perRow, double[] measured, double worstRatio, boolean held) {
            this(bound, bound.name(), perRow, measured, worstRatio, held);
        }
    }

    private TheoryCheck() {
    }

    /** The check, or null when no theorem of the project covers this run's configuration. */
    static Result of(TrainSpec spec, ChainSpec chain, Module w, double gamma, double lHat, List<RoundRecord> rows) {
        return of(spec, chain, w, gamma, lHat, null, rows);
    }

    /** Same, with the convex facts of a model.loss=lad or hinge run (null for squares). */
    static Result of(TrainSpec spec, ChainSpec chain, Module w, double gamma, double lHat, ConvexFacts convex,
                     List<RoundRecord> rows) {
        if (spec.loss().nonSmooth()) {
            return convex == null ? null : subgradient(spec, chain, w, gamma, convex, rows);
        }
        boolean covered = spec.modelType() == ModelType.LINEAR && spec.estimator() == EstimatorKind.GD
                && spec.protocol() == FedProtocol.NONE && chain.adamw() == null && !spec.sketchFirst()
                && (chain.method() == Method.FPFT || (chain.linkSteps() == 1
                        && (chain.method() == Method.BERNOULLI || chain.method() == Method.RAC)))
                && !spec.metricsPerEpoch() && spec.metricsEvery() == 1
                && Double.isFinite(lHat) && gamma <= 1.0 / lHat && !rows.isEmpty() && Double.isFinite(rows.get(0).loss());
        if (!covered) {
            return null;
        }
        SketchConstants lambdas = chain.method() == Method.FPFT ? SketchConstants.fullFineTuning()
                : SketchConstants.gaussian(w.rows(), w.cols(), chain.rank(), chain.p());
        Bound bound = GdBounds.nonConvex(rows.get(0).loss(), gamma, lHat, lambdas);
        double[] b = new double[rows.size()];
        double[] measured = bound.measure().observed(rows, 0.0);
        b[0] = Double.NaN;
        double worst = 0;
        for (int t = 1; t < rows.size(); t++) {
            b[t] = bound.at(t);
            worst = Math.max(worst, measured[t] / b[t]);
        }
        return new Result(bound, b, measured, worst, worst <= 1.0);
    }

    /**
     * Bernoulli-LoRA, RAC-LoRA or full-parameter subgradient descent on a convex non-smooth loss, one step per link,
     * f(W_t) every round: the constant-step bound (subgrad-const-best) or the Polyak bound (subgrad-polyak-best) on
     * min_{s<t} f(W_s) - f*, with R and L0 as resolved. The gap is measured against the lowest f* the run can
     * vouch for: f* minus its certified accuracy, or 0 when f* is not known (lad and hinge are non-negative), which
     * can only overstate the gap. The bound_name says which constants are not exact.
     */
    static Result subgradient(TrainSpec spec, ChainSpec chain, Module w, double gamma, ConvexFacts convex,
                              List<RoundRecord> rows) {
        boolean covered = spec.estimator() == EstimatorKind.GD && spec.protocol() == FedProtocol.NONE
                && chain.adamw() == null && !spec.sketchFirst()
                && (chain.method() == Method.FPFT || (chain.linkSteps() == 1
                        && (chain.method() == Method.BERNOULLI || chain.method() == Method.RAC)))
                && !spec.metricsPerEpoch() && spec.metricsEvery() == 1
                && convex.r() > 0 && Double.isFinite(convex.r()) && convex.l0() > 0 && rows.size() > 1
                && (spec.stepRule() == StepRuleKind.POLYAK ? convex.fStar() != null : gamma > 0 && Double.isFinite(gamma));
        if (!covered) {
            return null;
        }
        SketchConstants lambdas = lambdas(chain, w);
        Bound bound = spec.stepRule() == StepRuleKind.POLYAK
                ? SubgradientBounds.polyak(convex.r(), convex.l0(), lambdas)
                : SubgradientBounds.constantBest(convex.r(), convex.l0(), gamma, lambdas);
        double fLow = fLow(convex.fStar());
        String name = bound.name() + caveats(convex);
        double[] b = new double[rows.size()];
        double[] measured = bound.measure().observed(rows, fLow);
        b[0] = Double.NaN;
        double worst = 0;
        for (int t = 1; t < rows.size(); t++) {
            b[t] = bound.at(t);
            worst = Math.max(worst, measured[t] / b[t]);
        }
        return new Result(bound, name, b, measured, worst, worst <= 1.0);
    }

    /** The average-iterate bound of the constant step after T rounds (subgrad-const-avg), or null. */
    static Bound averageBound(TrainSpec spec, ChainSpec chain, Module w, double gamma, ConvexFacts convex) {
        if (spec.stepRule() == StepRuleKind.POLYAK || convex == null || !(convex.r() > 0) || !Double.isFinite(convex.r())
                || !(gamma > 0)) {
            return null;
        }
        return SubgradientBounds.constantAverage(convex.r(), convex.l0(), gamma, lambdas(chain, w));
    }

    /**
     * The f* a gap is measured against: the lowest value the run can vouch for, f* minus its certified accuracy, or
     * 0 when f* is not known (lad and hinge are non-negative).
     */
    static double fLow(FStar fStar) {
        return fStar == null ? 0.0 : fStar.value() - fStar.accuracy();
    }

    static SketchConstants lambdas(ChainSpec chain, Module w) {
        return chain.method() == Method.FPFT ? SketchConstants.fullFineTuning()
                : SketchConstants.gaussian(w.rows(), w.cols(), chain.rank(), chain.p());
    }

    /** What in a subgradient bound is not exact: f* only bounded below by 0, R from an approximate minimiser. */
    static String caveats(ConvexFacts convex) {
        String c = "";
        if (convex.fStar() == null) {
            c += "; f* >= 0 used";
        } else if (convex.fStar().accuracy() > 0) {
            c += "; f* certified to " + String.format(java.util.Locale.ROOT, "%.1e", convex.fStar().accuracy());
        }
        if (convex.rHow().contains("reference minimiser")) {
            c += "; R from the reference minimiser";
        }
        return c;
    }
}
