package org.blora.app;

import java.io.PrintStream;
import org.blora.config.ConfigException;
import org.blora.config.StepRuleKind;
import org.blora.config.TrainSpec;
import org.blora.core.chain.Method;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.ClientWeighting;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.theory.SketchConstants;
import org.blora.core.train.SmoothnessEstimate;

/**
 * The stepsize of a run and what it rests on: ||X^T X / N||_2 by Lanczos where the theory rule or reg.lambda=auto
 * needs it (cached per data set and weighting in the session), the regulariser's weight, L_hat, gamma and the
 * {@link StepRule}.
 */
final class StepSizes {
    /** The smoothness facts of a run and its rule; NaN where a value does not apply. */
    record Choice(double gramNorm, int lanczosStages, double lambda, double lHat, double gamma, StepRule rule) {
        NonConvexRegularizer regularizer() {
            return new NonConvexRegularizer(lambda);
        }
    }

    private StepSizes() {
    }

    static Choice choose(DataSession data, TrainSpec spec, String dataKey, GradientOracle oracle, int d,
                         ModelLayout layout, ConvexFacts convex, PrintStream log) {
        boolean linear = spec.model().type().linear();
        boolean nonSmooth = spec.model().loss().nonSmooth();
        boolean needNorm = linear && !nonSmooth && (Double.isNaN(spec.model().lambda())
                || spec.optim().stepRule() == StepRuleKind.THEORY);
        double gramNorm = Double.NaN;
        int stages = 0;
        if (needNorm) {
            double[] known = gramNorm(data, spec, dataKey, oracle, d);
            gramNorm = known[0];
            stages = (int) known[1];
            log.printf("[train] ||X^T X / N||_2 = %.6e (%d Lanczos stages)%n", gramNorm, stages);
        }
        // reg.lambda=auto is the paper's ||X^T X / N||_2 for the linear model; the MLP has no regulariser by default.
        double lambda = Double.isNaN(spec.model().lambda()) ? (linear && !nonSmooth ? gramNorm : 0.0) : spec.model().lambda();
        double lHat = needNorm ? gramNorm + new NonConvexRegularizer(lambda).curvatureBound() : Double.NaN;
        double gamma = spec.optim().stepRule() == StepRuleKind.THEORY ? spec.optim().stepC() / lHat : spec.optim().stepSize();
        StepRule rule;
        if (nonSmooth) {
            rule = subgradientRule(spec, layout, convex);
            gamma = spec.optim().stepRule() == StepRuleKind.POLYAK ? Double.NaN : rule.gamma(0.0, null);
        } else {
            rule = switch (spec.optim().stepRule()) {
                case THEORY, CONSTANT -> StepRule.constant(gamma);
                case POLYAK -> StepRule.polyak(spec.optim().polyakFStar());
            };
        }
        return new Choice(gramNorm, stages, lambda, lHat, gamma, rule);
    }

    /** ||X^T X / N||_2 of the weighted data and its Lanczos stages: from the session's cache, else estimated. */
    private static double[] gramNorm(DataSession data, TrainSpec spec, String dataKey, GradientOracle oracle, int d) {
        String gramKey = spec.fed().weighting() == ClientWeighting.ROWS ? dataKey
                : dataKey + ";fed.weighting=" + spec.fed().weighting().name();
        double[] known = data.gramNorm(gramKey, spec.run().seed(), spec.optim().smoothnessTol());
        if (known == null) {
            SmoothnessEstimate.Result r = SmoothnessEstimate.lanczos(oracle, d, spec.run().seed(),
                    spec.optim().smoothnessTol(), 10_000);
            known = new double[] {r.value(), r.stages()};
            data.rememberGramNorm(gramKey, spec.run().seed(), spec.optim().smoothnessTol(), r.value(), r.stages());
        }
        return known;
    }

    /**
     * The stepsize of a model.loss=lad or hinge run: theory = c R / (L0 sqrt(lambda_max^p T)) (c = optim.step.c; 1 is
     * the convex theorem's step),
     * constant = optim.step.size, polyak = (lambda_min^p / lambda_max^p)(f(W_t) - f*) / ||g_t||^2 with f* given or
     * resolved (optim.polyak.fstar=auto).
     */
    static StepRule subgradientRule(TrainSpec spec, ModelLayout layout, ConvexFacts convex) {
        var chain = spec.chainSpec(1);
        boolean theorem = chain.method() == Method.FPFT || chain.method() == Method.BERNOULLI
                || chain.method() == Method.RAC;
        SketchConstants lambdas = theorem
                ? TheoryCheck.lambdas(chain, layout.modules().get(0)) : SketchConstants.fullFineTuning();
        try {
            return switch (spec.optim().stepRule()) {
                case THEORY -> {
                    if (!theorem) {
                        throw new ConfigException("optim.step.rule=theory with model.loss=" + spec.model().loss().key()
                                + " is the step of the Bernoulli-LoRA convex theorem: "
                                + "use lora.method=bernoulli, rac or fpft, or optim.step.rule=constant");
                    }
                    StepRule theory = StepRule.subgradientConstant(convex.r(), convex.l0(), lambdas.lambdaMax(),
                            spec.optim().rounds());
                    // optim.step.c scales the theorem's step (c = 1: the step that minimises the bound at T).
                    yield spec.optim().stepC() == 1.0 ? theory
                            : StepRule.constant(spec.optim().stepC() * theory.gamma(0.0, null));
                }
                case CONSTANT -> StepRule.constant(spec.optim().stepSize());
                case POLYAK -> StepRule.polyak(spec.optim().polyakFStarAuto()
                        ? convex.fStar().value() : spec.optim().polyakFStar(),
                        lambdas.lambdaMin(), lambdas.lambdaMax());
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
