package org.blora.app;

import java.util.List;
import org.blora.config.EstimatorKind;
import org.blora.config.LossKind;
import org.blora.config.StepRuleKind;
import org.blora.config.TrainSpec;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.Method;
import org.blora.core.compress.ContractiveCompressor;
import org.blora.core.compress.UnbiasedCompressor;
import org.blora.core.estimator.Page;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.model.Module;
import org.blora.core.objective.FStar;
import org.blora.core.theory.Bound;
import org.blora.core.theory.FederatedBounds;
import org.blora.core.theory.GdBounds;
import org.blora.core.theory.SgdBounds;
import org.blora.core.theory.SketchConstants;
import org.blora.core.theory.SmoothnessConstants;
import org.blora.core.theory.SubgradientBounds;
import org.blora.core.theory.VarianceReducedBounds;
import org.blora.core.train.RoundRecord;

/**
 * The live check of the theory a run can state a bound for (docs/THEORY.md, "How a run reports a bound"):
 * Bernoulli-LoRA, RAC-LoRA and full-parameter fine-tuning on the linear model with one projected step per link, a
 * constant step and the full gradient evaluated every round, with the estimator GD (Theorem 1), SGD (Theorem 2),
 * MVR (Theorem 3), PAGE (Theorem 4), or the federated QGD, MARINA and EF21 (Theorems 5-7, every client in every
 * round). Every constant is one the run measured ({@link Constants}) or an upper bound of it. The objective is
 * non-negative (squares and lambda w^2 / (1 + w^2)), so 0 <= f* <= min_s f(W_s): Delta_0 <= f(W_0) and
 * f* (in SGD's and QGD's C) <= the lowest f(W_s) the run saw. A step the theorem does not cover gives no bound
 * but a note saying why.
 */
final class TheoryCheck {
    /**
     * Per metrics row: the bound after that many rounds (NaN on row 0) and the measured value; or, when the theorem's
     * step condition fails, no bound and the note.
     */
    record Result(Bound bound, String name, double[] perRow, double[] measured, double worstRatio, boolean held,
                  String note) {
        static Result refused(String note) {
            return new Result(null, null, null, null, Double.NaN, false, note);
        }

        /** The bound after each row's round next to the measured values (row 0: NaN), and the largest ratio. */
        static Result against(Bound bound, String name, double[] measured) {
            double[] b = new double[measured.length];
            b[0] = Double.NaN;
            double worst = 0;
            for (int t = 1; t < measured.length; t++) {
                b[t] = bound.at(t);
                worst = Math.max(worst, measured[t] / b[t]);
            }
            return new Result(bound, name, b, measured, worst, worst <= 1.0, null);
        }
    }

    /**
     * What a stochastic or federated bound needs of the data, measured before training: N, the per-row
     * smoothness constants (SGD, MVR, PAGE), the per-client ones (QGD, MARINA, EF21; null when not measured),
     * and EF21's (1/M) sum_l ||G_l^0 - grad f_l(W_0)||^2 from round 0 (NaN when not measured).
     */
    record Constants(long rows, SmoothnessConstants perRow, SmoothnessConstants perClient, double clientError0) {
        Constants withClientError0(double g0) {
            return new Constants(rows, perRow, perClient, g0);
        }
    }

    private TheoryCheck() {
    }

    /** The check, or null when no theorem of the project covers this run's configuration. */
    static Result of(TrainSpec spec, ChainSpec chain, Module w, double gamma, double lHat, List<RoundRecord> rows) {
        return of(spec, chain, w, gamma, lHat, null, null, rows);
    }

    /**
     * Same, with the convex facts of a model.loss=lad or hinge run (null for squares) and the measured constants of
     * a stochastic or federated run (null for GD).
     */
    static Result of(TrainSpec spec, ChainSpec chain, Module w, double gamma, double lHat, ConvexFacts convex,
                     Constants constants, List<RoundRecord> rows) {
        if (spec.model().loss().nonSmooth()) {
            return convex == null ? null : subgradient(spec, chain, w, gamma, convex, rows);
        }
        if (!covered(spec, chain) || !Double.isFinite(lHat) || rows.isEmpty() || !Double.isFinite(rows.get(0).loss())
                || (!isGd(spec) && constants == null)) {
            return null;
        }
        double f0 = rows.get(0).loss();
        double fLow = Double.POSITIVE_INFINITY;
        double fHigh = 0.0;
        for (RoundRecord r : rows) {
            boolean finite = Double.isFinite(r.loss());
            fLow = finite ? Math.min(fLow, r.loss()) : fLow;
            fHigh = finite ? Math.max(fHigh, r.loss()) : Double.POSITIVE_INFINITY;
        }
        SketchConstants lambdas = lambdas(chain, w);
        Bound bound;
        try {
            bound = bound(spec, w, gamma, lHat, constants, f0, fLow, fHigh, lambdas);
        } catch (IllegalArgumentException e) {
            return Result.refused(e.getMessage());
        }
        return Result.against(bound, bound.name() + caveats(spec), bound.measure().observed(rows, 0.0));
    }

    /**
     * Whether a theorem of the project speaks of this smooth run: the linear least-squares model, Bernoulli-LoRA,
     * RAC-LoRA (one projected step per link) or full-parameter fine-tuning without AdamW or sketch-first, a constant
     * step, ||grad f(W_t)||^2 and f(W_t) every round, and for a federated run every client in every round.
     */
    static boolean covered(TrainSpec spec, ChainSpec chain) {
        return spec.model().type().linear() && spec.model().loss() == LossKind.SQUARES
                && projectedStepsEveryRound(spec, chain) && spec.optim().stepRule() != StepRuleKind.POLYAK
                && (spec.fed().protocol() == ProtocolKind.NONE || spec.fed().participation() == 1.0);
    }

    /**
     * What every theorem here assumes of the steps and of what the run measures: projected (sub)gradient steps of
     * Bernoulli-LoRA or RAC-LoRA with one step per link, or of full fine-tuning, without AdamW or sketch-first, and
     * f and ||grad f||^2 every round.
     */
    private static boolean projectedStepsEveryRound(TrainSpec spec, ChainSpec chain) {
        return chain.adamw() == null && !spec.fed().sketchFirst() && oneProjectedStepPerLink(chain)
                && !spec.run().metricsPerEpoch() && spec.run().metricsEvery() == 1;
    }

    private static boolean oneProjectedStepPerLink(ChainSpec chain) {
        return chain.method() == Method.FPFT || (chain.linkSteps() == 1
                && (chain.method() == Method.BERNOULLI || chain.method() == Method.RAC));
    }

    /**
     * Why no theorem of the project covers this run (the summary's {@code bound_note} of a run without a bound), or
     * null when one does. The first condition the run breaks, with the setting that would meet it where one exists.
     */
    static String uncovered(TrainSpec spec, ChainSpec chain, int modules) {
        if (!spec.model().type().linear() || modules != 1) {
            // A one-matrix layout is what the linear model's theorems take; a linear kind with more is named as such.
            String what = spec.model().type().linear() ? "a model of several modules like the MLP" : spec.model().type().title();
            return "no theorem here covers " + what + " (non-convex, several modules, no known smoothness constant); the "
                    + "bounds are for the linear model";
        }
        if (chain.adamw() != null) {
            return "AdamW steps are not the projected (sub)gradient steps the theorems analyse (optim.optimizer=sgd)";
        }
        if (spec.fed().sketchFirst()) {
            return "the sketch-first variant is not the step the theorems analyse";
        }
        if (!oneProjectedStepPerLink(chain)) {
            return "the theorems cover Bernoulli-LoRA and RAC-LoRA with one projected step per link, and full "
                    + "fine-tuning; not lora.method=" + chain.method().key()
                    + (chain.linkSteps() == 1 ? "" : " with " + chain.linkSteps() + " steps per link");
        }
        if (spec.run().metricsPerEpoch() || spec.run().metricsEvery() != 1) {
            return "the bound's measure needs f and ||grad f||^2 every round (run.metrics.every=1)";
        }
        if (spec.model().loss().nonSmooth()) {
            if (spec.optim().estimator() != EstimatorKind.GD || spec.fed().protocol() != ProtocolKind.NONE) {
                return "the convex non-smooth theorems are for full subgradient steps (optim.estimator=gd, no "
                        + "federated protocol)";
            }
            return "the convex non-smooth bound needs R, L0 and, for the Polyak step, f*: the run could not resolve "
                    + "them (optim.subgradient.r, optim.subgradient.l0, optim.polyak.fstar)";
        }
        if (spec.optim().stepRule() == StepRuleKind.POLYAK) {
            return "the Polyak step is analysed for the convex non-smooth losses (model.loss=lad|hinge) only";
        }
        if (spec.fed().protocol() != ProtocolKind.NONE && spec.fed().participation() != 1.0) {
            return "partial participation (fed.participation < 1) is not covered by the federated theorems";
        }
        return covered(spec, chain) ? null : "no theorem here covers this configuration";
    }

    /** Whether the run is covered and its bound needs measured {@link Constants} (every estimator but GD). */
    static boolean needsConstants(TrainSpec spec, ChainSpec chain) {
        return covered(spec, chain) && !isGd(spec);
    }

    private static boolean isGd(TrainSpec spec) {
        return spec.fed().protocol() == ProtocolKind.NONE && spec.optim().estimator() == EstimatorKind.GD;
    }

    /** The theorem's bound for the run's estimator, from the measured constants; throws when the step is not covered. */
    private static Bound bound(TrainSpec spec, Module w, double gamma, double lHat, Constants k, double f0,
                               double fLow, double fHigh, SketchConstants lambdas) {
        int d = w.rows() * w.cols();
        switch (spec.fed().protocol()) {
            case QGD -> {
                double omega = ((UnbiasedCompressor) spec.fed().compressor()).omega(d);
                return FederatedBounds.qgd(f0, gamma, lHat, k.perClient().lMax(), omega, spec.fed().clients(), fLow, lambdas);
            }
            case MARINA -> {
                // Round 0 always synchronises with exact local gradients: G_0 = grad f(W_0), G_0 term 0.
                double omega = ((UnbiasedCompressor) spec.fed().compressor()).omega(d);
                return FederatedBounds.marina(f0, 0.0, gamma, lHat, k.perClient().lTilde(), omega, spec.fed().marinaQ(),
                        spec.fed().clients(), lambdas);
            }
            case EF21 -> {
                if (Double.isNaN(k.clientError0())) {
                    throw new IllegalArgumentException("EF21's G_0 = (1/M) sum_l ||G_l^0 - grad f_l(W_0)||^2 was not "
                            + "measured (round 0 ran before a resume)");
                }
                double alpha = ((ContractiveCompressor) spec.fed().compressor()).alpha(d);
                return FederatedBounds.ef21(f0, k.clientError0(), gamma, lHat, k.perClient().lTilde(), alpha, lambdas);
            }
            case NONE -> {
            }
        }
        int batch = spec.optim().batch();
        return switch (spec.optim().estimator()) {
            case GD -> GdBounds.nonConvex(f0, gamma, lHat, lambdas);
            case SGD -> {
                double a = SgdBounds.minibatchA(k.perRow().lMax(), k.rows(), batch);
                yield SgdBounds.nonConvex(f0, gamma, lHat, a, 1.0, 2.0 * a * fLow, lambdas);
            }
            case MVR -> {
                // sigma^2 >= the minibatch variance at every iterate: 2 A f(W_s) at each, so 2 A max_s f(W_s).
                double a = SgdBounds.minibatchA(k.perRow().lMax(), k.rows(), batch);
                if (!Double.isFinite(fHigh)) {
                    throw new IllegalArgumentException("MVR's sigma^2 needs f(W_s) at every round, and the run diverged");
                }
                yield VarianceReducedBounds.mvr(f0, 0.0, gamma, lHat, k.perRow().lTilde(), spec.optim().mvrB(), 2.0 * a * fHigh,
                        lambdas);
            }
            // G_0 is the full gradient (Page, Mvr): the G_0 term is 0.
            case PAGE -> VarianceReducedBounds.page(f0, 0.0, gamma, lHat, k.perRow().lTilde(),
                    Double.isNaN(spec.optim().pageQ()) ? Page.defaultQ(batch, k.rows()) : spec.optim().pageQ(), batch, lambdas);
        };
    }

    /** Which constants of a smooth bound are upper bounds rather than exact (besides Delta_0 <= f(W_0)). */
    private static String caveats(TrainSpec spec) {
        if (spec.fed().protocol() == ProtocolKind.QGD) {
            return "; Delta_inf <= min f(W_s) used";
        }
        if (spec.fed().protocol() == ProtocolKind.NONE && spec.optim().estimator() == EstimatorKind.SGD) {
            return "; f* <= min f(W_s) used in C";
        }
        if (spec.fed().protocol() == ProtocolKind.NONE && spec.optim().estimator() == EstimatorKind.MVR) {
            return "; sigma^2 = 2A max f(W_s) of this run";
        }
        return "";
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
        boolean covered = spec.optim().estimator() == EstimatorKind.GD && spec.fed().protocol() == ProtocolKind.NONE
                && projectedStepsEveryRound(spec, chain) && convex.r() > 0 && Double.isFinite(convex.r())
                && convex.l0() > 0 && rows.size() > 1
                && (spec.optim().stepRule() == StepRuleKind.POLYAK ? convex.fStar() != null
                        : gamma > 0 && Double.isFinite(gamma));
        if (!covered) {
            return null;
        }
        SketchConstants lambdas = lambdas(chain, w);
        Bound bound = spec.optim().stepRule() == StepRuleKind.POLYAK
                ? SubgradientBounds.polyak(convex.r(), convex.l0(), lambdas)
                : SubgradientBounds.constantBest(convex.r(), convex.l0(), gamma, lambdas);
        double fLow = fLow(convex.fStar());
        String name = bound.name() + caveats(convex);
        return Result.against(bound, name, bound.measure().observed(rows, fLow));
    }

    /** The average-iterate bound of the constant step after T rounds (subgrad-const-avg), or null. */
    static Bound averageBound(TrainSpec spec, ChainSpec chain, Module w, double gamma, ConvexFacts convex) {
        if (spec.optim().stepRule() == StepRuleKind.POLYAK || convex == null || !(convex.r() > 0) || !Double.isFinite(convex.r())
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
