package org.blora.core.optim;

import org.blora.core.linalg.Dense;

/**
 * The stepsize gamma_t (optim.step.rule): {@code theory} gamma = c / L_hat and {@code constant} gamma fixed
 * (both {@link #constant}), the convex non-smooth theorem's constant step {@link #subgradientConstant}, and the
 * Polyak-type step {@link #polyak} of Bernoulli-LoRA (arXiv 2508.03820), which needs f*.
 */
public abstract class StepRule {
    /** The one line the configuration layer prints when a Polyak rule is asked for without f*. */
    public static final String POLYAK_NEEDS_FSTAR =
            "optim.step.rule=polyak needs optim.polyak.fstar=F, the optimal value of the objective "
                    + "(set it; a wrong f* makes the step overshoot or stall)";

    public abstract double gamma(double loss, double[] fullGrad);

    /** Whether gamma needs f(W_t) and the full gradient every round. */
    public boolean needsFullGradient() {
        return false;
    }

    public abstract String describe();

    public static StepRule constant(double gamma) {
        positive("stepsize", gamma);
        return new Fixed(gamma, "constant " + gamma);
    }

    /**
     * The constant step that minimises the convex non-smooth bound after T rounds,
     * gamma = R / (L0 sqrt(lambda_max^p T)), with R = ||W_0 - W*||_F and L0 the Lipschitz constant of f
     * (see {@code org.blora.core.theory.SubgradientBounds}).
     */
    public static StepRule subgradientConstant(double r, double l0, double lambdaMax, long rounds) {
        positive("R = ||W0 - W*||", r);
        positive("the Lipschitz constant L0", l0);
        unitInterval("lambda_max^p", lambdaMax);
        if (rounds < 1) {
            throw new IllegalArgumentException("the round budget T must be >= 1, got " + rounds);
        }
        double gamma = r / (l0 * Math.sqrt(lambdaMax * rounds));
        positive("stepsize R / (L0 sqrt(lambda_max T))", gamma);
        return new Fixed(gamma, "constant " + gamma + " = R / (L0 sqrt(lambda_max T)), R=" + r + " L0=" + l0
                + " lambda_max=" + lambdaMax + " T=" + rounds);
    }

    /**
     * Polyak-type step gamma_t = (lambda_min^p / lambda_max^p) (f(W_t) - f*) / ||g_t||^2 with the UNPROJECTED
     * (sub)gradient g_t, so gamma_t does not depend on the round's sketch; the ratio is 1 for Gaussian sketches
     * and for full fine-tuning. f(W_t) below f* (f* was not a lower bound) gives gamma_t = 0.
     */
    public static StepRule polyak(double fStar, double lambdaMin, double lambdaMax) {
        if (Double.isNaN(fStar)) {
            throw new IllegalArgumentException(POLYAK_NEEDS_FSTAR);
        }
        if (Double.isInfinite(fStar)) {
            throw new IllegalArgumentException("optim.polyak.fstar must be finite, got " + fStar);
        }
        unitInterval("lambda_min^p", lambdaMin);
        unitInterval("lambda_max^p", lambdaMax);
        if (lambdaMin > lambdaMax) {
            throw new IllegalArgumentException("lambda_min^p must be <= lambda_max^p, got " + lambdaMin + " > " + lambdaMax);
        }
        double ratio = lambdaMin / lambdaMax;
        return new StepRule() {
            @Override
            public double gamma(double loss, double[] fullGrad) {
                double g2 = Dense.normSq(fullGrad);
                return g2 > 0.0 ? ratio * Math.max(0.0, loss - fStar) / g2 : 0.0;
            }

            @Override
            public boolean needsFullGradient() {
                return true;
            }

            @Override
            public String describe() {
                return "polyak f*=" + fStar + (ratio == 1.0 ? "" : " lambda_min/lambda_max=" + ratio);
            }
        };
    }

    /** The Polyak step with lambda_min^p = lambda_max^p (Gaussian sketches, full fine-tuning). */
    public static StepRule polyak(double fStar) {
        return polyak(fStar, 1.0, 1.0);
    }

    private static final class Fixed extends StepRule {
        private final double gamma;
        private final String text;

        Fixed(double gamma, String text) {
            this.gamma = gamma;
            this.text = text;
        }

        @Override
        public double gamma(double loss, double[] fullGrad) {
            return gamma;
        }

        @Override
        public String describe() {
            return text;
        }
    }

    private static void positive(String what, double v) {
        if (!(v > 0.0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
        }
    }

    private static void unitInterval(String what, double v) {
        if (!(v > 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(what + " must be in (0, 1], got " + v);
        }
    }
}
